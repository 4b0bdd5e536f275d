"""Namespaces, precomputed tag names and a hardened XML parser for OOXML parts."""

from __future__ import annotations

import re
import threading

from lxml import etree

from parsers.model import ReadError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def w(name: str) -> str:
    """Clark-notation name in the WordprocessingML namespace."""
    return f"{{{W_NS}}}{name}"


W_VAL = w("val")
_DOCTYPE_MARKERS = tuple(
    text.encode(codec)
    for text in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("ascii", "utf-16-le", "utf-16-be")
)
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_parsers = threading.local()  # an lxml parser must not be shared between threads


def _parser() -> etree.XMLParser:
    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            dtd_validation=False,
            remove_comments=True,
            remove_pis=True,
        )
    return parser


def _declares_doctype(data: bytes) -> bool:
    # A DOCTYPE can only stand before the root element: in an 8-bit encoding only that
    # prolog is searched (a few bytes, not the whole part); UTF-16 is searched in full.
    root = _ROOT_START.search(data, 0, 4096)
    head = data[: root.start()] if root is not None else data
    if b"<!--" in head:  # "<x" inside a comment is not the root: search everything
        head = data
    return any(marker in head for marker in _DOCTYPE_MARKERS)


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parse one part with entities, DTDs and network access disabled; ReadError on failure."""
    # A DOCTYPE has no business in OOXML; refusing it outright kills entity bombs and XXE.
    if _declares_doctype(data):
        raise ReadError(f"the document is malformed: {part} declares a DOCTYPE (refused for safety)")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"the document is malformed: {part} is not well-formed XML ({exc})") from None
    if root is None:
        raise ReadError(f"the document is malformed: {part} is empty")
    return root


def on_off(el: etree._Element | None) -> bool | None:
    """Value of an OOXML on/off property element: None when the element is absent."""
    if el is None:
        return None
    val = el.get(W_VAL)
    return val is None or val not in ("0", "false", "off", "none")


def int_attr(el: etree._Element | None, default: int | None = None) -> int | None:
    if el is None:
        return default
    val = el.get(W_VAL)
    if val is None:
        return default
    try:
        return int(val)
    except ValueError:
        try:
            return int(float(val))
        except ValueError:
            return default
