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

__all__ = ["read_docx", "with_visible_numbering"]

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


def _read(data: bytes, labelled: list | None = None) -> Document:
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
    numbering.style_num.update(styles.numbering_styles)
    notes = read_all_notes(pkg, parts, styles, warnings)
    root = pkg.xml(main)
    body = root.find(w("body"))
    if body is None:
        if root.tag.startswith(f"{{{STRICT_W_NS}}}"):
            raise ReadError("Strict Open XML documents are not supported; save as a normal .docx")
        raise ReadError("the document is malformed: word/document.xml has no body")
    reader = BodyReader(styles, numbering, notes, warnings)
    reader.labelled = labelled
    blocks: list[Block] = []
    reader.read_blocks(body, blocks, False)
    if reader._fields:
        warnings.append("a field in the document is not closed")
    return Document(blocks=blocks, warnings=warnings, source_format="docx")


def read_docx(data: bytes) -> Document:
    """Read DOCX bytes into blocks in reading order; ReadError for anything unreadable."""
    return _guarded_read(data, None)


def _guarded_read(data: bytes, labelled: list | None) -> Document:
    # The reader allocates many short-lived objects and no cycles: the cyclic GC only
    # costs time here (about 40% on large documents), so it is paused while reading.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read(data, labelled)
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

NUM_PR, PPR, R, T = w("numPr"), w("pPr"), w("r"), w("t")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def with_visible_numbering(data: bytes) -> bytes:
    """The same DOCX with each auto-numbered paragraph's label ("I.", "2.1.", "a)") written
    into its text and its numbering switched off.

    For converters to HTML (mammoth) that render Word lists as <ol> counting from 1 in
    every list and drop the numbers of numbered headings. Bullets are left as they are.
    ReadError for what read_docx refuses.
    """
    import io
    import zipfile

    from lxml import etree

    labelled: list[tuple[etree._Element, str]] = []
    _guarded_read(data, labelled)
    if not labelled:
        return data
    pkg = open_package(data)
    main = pkg.main_part()
    root = labelled[0][0].getroottree().getroot()
    for p, label in labelled:
        ppr = p.find(PPR)
        if ppr is None:
            ppr = etree.SubElement(p, PPR)
            p.insert(0, ppr)
        num_pr = ppr.find(NUM_PR)
        if num_pr is None:  # numbered through its style: numId 0 switches that off
            num_pr = etree.SubElement(ppr, NUM_PR)
        for child in list(num_pr):
            num_pr.remove(child)
        etree.SubElement(num_pr, w("numId")).set(w("val"), "0")
        run = etree.Element(R)
        text = etree.SubElement(run, T)
        text.text = label + " "
        text.set(XML_SPACE, "preserve")
        p.insert(p.index(ppr) + 1, run)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, document if info.filename == main else pkg.read(info.filename))
    return out.getvalue()
