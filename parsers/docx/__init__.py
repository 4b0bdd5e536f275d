"""DOCX reader: bytes → parsers.model.Document (lxml, one small reader per OOXML part).

Designed after python-mammoth's mammoth/docx/: package → relationships → styles,
numbering, notes → body; warnings collected, and ReadError the only exception raised.
"""

from __future__ import annotations

import gc

from parsers.docx.body import BodyReader
from parsers.docx.notes import read_all_notes
from parsers.docx.numbering import Numbering
from parsers.docx.package import Package, cached, open_package
from parsers.docx.styles import Styles
from parsers.docx.xmlutil import STRICT_W_NS, parse_xml, w
from parsers.model import Block, Document, ReadError

__all__ = ["read_docx"]

_PART_TYPES = ("styles", "numbering", "footnotes", "endnotes")


def _parts(pkg: Package, main: str) -> dict[str, str]:
    """Relationship type suffix → part name, with the conventional names as fallback."""
    found: dict[str, str] = {}
    for rel_type, target in pkg.rels(main).values():
        kind = rel_type.rsplit("/", 1)[-1]
        if kind in _PART_TYPES and target in pkg.names:
            found.setdefault(kind, target)
    for kind in _PART_TYPES:
        if kind not in found and f"word/{kind}.xml" in pkg.names:
            found[kind] = f"word/{kind}.xml"
    return found


def _read(data: bytes) -> Document:
    pkg = open_package(data)
    main = pkg.main_part()
    warnings: list[str] = []
    parts = _parts(pkg, main)
    # styles and numbering are shared by many reports made from one template: parsed once
    # per distinct part (Styles only fills deterministic caches; Numbering gets fresh counters)
    if "styles" in parts:
        name = parts["styles"]
        styles = cached("styles", pkg.read(name), lambda d: Styles(parse_xml(d, name)))
    else:
        styles = Styles(None)
    if "numbering" in parts:
        name = parts["numbering"]
        numbering = cached(
            "numbering", pkg.read(name), lambda d: Numbering(parse_xml(d, name))
        ).fresh()
    else:
        numbering = Numbering(None)
    for style in styles.styles.values():
        if style.type == "numbering" and style.ppr.num_id is not None:
            numbering.style_num[style.id] = style.ppr.num_id
    notes = read_all_notes(pkg, parts, styles, warnings)
    root = pkg.xml(main)
    body = root.find(w("body"))
    if body is None:
        if root.tag.startswith(f"{{{STRICT_W_NS}}}"):
            raise ReadError("Strict Open XML documents are not supported; save as a normal .docx")
        raise ReadError("the document is malformed: word/document.xml has no body")
    reader = BodyReader(styles, numbering, notes, warnings)
    blocks: list[Block] = []
    reader.read_blocks(body, blocks, False)
    if reader._fields:
        warnings.append("a field in the document is not closed")
    return Document(blocks=blocks, warnings=warnings, source_format="docx")


def read_docx(data: bytes) -> Document:
    """Read DOCX bytes into blocks in reading order; ReadError for anything unreadable."""
    # The reader allocates many short-lived objects and no cycles: the cyclic GC only
    # costs time here (about 40% on large documents), so it is paused while reading.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read(data)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("the document is malformed: structure nested too deeply") from None
    except MemoryError:
        raise ReadError("the document is too large to read") from None
    except Exception as exc:  # any other failure on hostile input is still a ReadError
        raise ReadError(f"the document could not be read: {type(exc).__name__}: {exc}") from None
    finally:
        if gc_was_enabled:
            gc.enable()
