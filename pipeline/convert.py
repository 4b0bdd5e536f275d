"""Legacy formats (.doc, .rtf) → DOCX with LibreOffice, in a throw-away directory."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from parsers.model import ReadError

SOFFICE_NAMES = ("soffice", "libreoffice")


def soffice_path() -> str | None:
    return next((p for p in map(shutil.which, SOFFICE_NAMES) if p), None)


def to_docx(data: bytes, suffix: str = ".doc", timeout: float = 120.0) -> bytes:
    """Convert a .doc/.rtf document to DOCX bytes; ReadError when that is not possible."""
    soffice = soffice_path()
    if soffice is None:
        raise ReadError(
            "cannot read legacy Word (.doc) files: LibreOffice is not installed "
            "(Debian: apt-get install libreoffice-writer-nogui)"
        )
    with tempfile.TemporaryDirectory(prefix="tonghop-soffice-") as tmp:
        work = Path(tmp)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        # A private profile: concurrent runs and root's missing HOME do not collide.
        profile = (work / "profile").as_uri()
        try:
            subprocess.run(
                [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work), str(source)],
                check=False, capture_output=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise ReadError(f"LibreOffice did not convert the file within {timeout:.0f} s") from exc
        target = work / "input.docx"
        if not target.exists():
            raise ReadError("LibreOffice could not convert the file (damaged or not a Word document)")
        return target.read_bytes()
