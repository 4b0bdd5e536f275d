"""footnotes.xml / endnotes.xml → Footnote records keyed by id (endnote ids prefixed "e")."""

from __future__ import annotations

from parsers.docx.body import BodyReader, read_notes
from parsers.docx.numbering import Numbering
from parsers.docx.package import Package
from parsers.docx.styles import Styles
from parsers.docx.xmlutil import w
from parsers.model import Footnote


def read_all_notes(
    pkg: Package, parts: dict[str, str], styles: Styles, warnings: list[str]
) -> dict[str, Footnote]:
    # Notes are read without list numbering: their labels would disturb the body's counters.
    reader = BodyReader(styles, Numbering(None), None, warnings)
    notes: dict[str, Footnote] = {}
    for kind, tag, prefix in (("footnotes", "footnote", ""), ("endnotes", "endnote", "e")):
        part = parts.get(kind)
        if part is None or not pkg.has(part):
            continue
        notes.update(read_notes(pkg.xml(part), reader, w(tag), prefix))
    return notes
