"""Each counted report as clean HTML a person can read in a browser (mammoth).

Rendered once per report file (cached in the archive by the file's sha256) and copied
into the export folder as `bao-cao/<unit id>.html`.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import mammoth
from markupsafe import Markup

from aggregators.records import UnitStatus
from parsers.docx import with_visible_numbering
from parsers.model import ReadError
from parsers.report import sniff_format
from pipeline.templating import render

log = logging.getLogger(__name__)

# mammoth escapes text but copies link targets as written: keep only harmless schemes.
_UNSAFE_HREF = re.compile(r'href="(?!https?:|mailto:|#)[^"]*"', re.IGNORECASE)


def report_html(docx: bytes, title: str, source_name: str) -> str:
    """A standalone HTML page of one DOCX report (text escaped, images inline)."""
    try:
        # mammoth restarts every Word list at "1." and drops heading numbers: write the
        # labels Word shows into the text first.
        docx = with_visible_numbering(docx)
    except ReadError as exc:
        log.info("numbering kept as lists in the preview of %s: %s", source_name, exc)
    result = mammoth.convert_to_html(io.BytesIO(docx))
    body = _UNSAFE_HREF.sub('href="#"', result.value)
    return render("report.html.j2", title=title, source_name=source_name, body=Markup(body))


def cache_preview(archive: Path, sha256: str, docx: bytes, title: str, source_name: str) -> Path | None:
    """Render one received report into the archive's preview cache (once per file)."""
    cached = archive / "previews" / f"{sha256}.html"
    if cached.exists():
        return cached
    if sniff_format(docx) != "docx":
        return None  # .doc and .pdf reports: their original file is the thing to open
    try:
        page = report_html(docx, title, source_name)
    except Exception as exc:  # a report mammoth cannot render still counts
        log.warning("no HTML preview for %s: %s", source_name, exc)
        return None
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(page, encoding="utf-8")
    return cached


def write_previews(statuses: list[UnitStatus], archive: Path, out_dir: Path) -> list[Path]:
    """`out_dir/<unit id>.html` for every unit whose counted report is a DOCX in the archive
    (intake renders them as mail arrives; this only renders what an older run left out)."""
    written: list[Path] = []
    for status in statuses:
        sub = status.submission
        if sub is None or not sub.sha256:
            continue
        cached = archive / "previews" / f"{sub.sha256}.html"
        source = archive / sub.sha256[:2] / f"{sub.sha256}.docx"
        if not cached.exists() and source.exists():
            cache_preview(archive, sub.sha256, source.read_bytes(), status.name, sub.file or "")
        if not cached.exists():
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{status.id}.html"
        target.write_bytes(cached.read_bytes())
        written.append(target)
    return written
