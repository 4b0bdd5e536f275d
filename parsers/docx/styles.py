"""styles.xml: style names, basedOn chains, outline levels, numbering and run formatting."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from parsers.docx.xmlutil import W_VAL, int_attr, on_off, w

_STYLE = w("style")
_NAME = w("name")
_BASED_ON = w("basedOn")
_PPR = w("pPr")
_RPR = w("rPr")
_TBLPR = w("tblPr")
_OUTLINE = w("outlineLvl")
_NUMPR = w("numPr")
_NUMID = w("numId")
_ILVL = w("ilvl")
_JC = w("jc")
_B = w("b")
_I = w("i")
_CAPS = w("caps")
_RFONTS = w("rFonts")
_VANISH = w("vanish")
_RSTYLE = w("rStyle")
_PSTYLE = w("pStyle")
_TBL_BORDERS = w("tblBorders")
_ASCII = w("ascii")
_HANSI = w("hAnsi")
_TYPE = w("type")
_STYLE_ID = w("styleId")
_DEFAULT = w("default")

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_ALIGN = {
    "left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
    "both": "both", "distribute": "both", "justify": "both", "lowKashida": "both",
    "mediumKashida": "both", "highKashida": "both", "thaiDistribute": "both",
}


@dataclass(slots=True)
class RunProps:
    """Run formatting as written in one rPr: None = not said here."""

    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    font: str | None = None
    vanish: bool | None = None
    style: str | None = None

    def over(self, base: RunProps) -> RunProps:
        """These properties with the gaps filled from base."""
        return RunProps(
            self.bold if self.bold is not None else base.bold,
            self.italic if self.italic is not None else base.italic,
            self.caps if self.caps is not None else base.caps,
            self.font if self.font is not None else base.font,
            self.vanish if self.vanish is not None else base.vanish,
            self.style if self.style is not None else base.style,
        )


EMPTY_RUN = RunProps()


def read_rpr(rpr: etree._Element | None) -> RunProps:
    props = RunProps()
    if rpr is None:
        return props
    for child in rpr:
        tag = child.tag
        if tag == _B:
            props.bold = on_off(child)
        elif tag == _I:
            props.italic = on_off(child)
        elif tag == _CAPS:
            props.caps = on_off(child)
        elif tag == _RFONTS:
            props.font = child.get(_ASCII) or child.get(_HANSI)
        elif tag == _VANISH:
            props.vanish = on_off(child)
        elif tag == _RSTYLE:
            props.style = child.get(W_VAL)
    return props


_RUN_KEYED = frozenset({_B, _I, _CAPS, _VANISH, _RSTYLE})


def read_rpr_key(rpr: etree._Element) -> tuple:
    """What read_rpr looks at in one rPr, as written (tag, value, tag, value …): a cache key.
    Equal keys give equal RunProps; nothing is interpreted until the cache misses."""
    key: list[str | None] = []
    for child in rpr:
        tag = child.tag
        if tag in _RUN_KEYED:
            key.append(tag)
            key.append(child.get(W_VAL))
        elif tag == _RFONTS:
            key.append(tag)
            key.append(child.get(_ASCII) or child.get(_HANSI))
    return tuple(key)


def alignment(val: str | None) -> str | None:
    return _ALIGN.get(val) if val else None


@dataclass(slots=True)
class ParaProps:
    """Paragraph properties as written in one pPr (or resolved): None = not said."""

    outline_level: int | None = None
    num_id: str | None = None
    num_ilvl: int | None = None
    alignment: str | None = None
    style: str | None = None  # pStyle (direct formatting only)

    def over(self, base: ParaProps) -> ParaProps:
        return ParaProps(
            self.outline_level if self.outline_level is not None else base.outline_level,
            self.num_id if self.num_id is not None else base.num_id,
            self.num_ilvl if self.num_ilvl is not None else base.num_ilvl,
            self.alignment if self.alignment is not None else base.alignment,
        )


def read_ppr_props(ppr: etree._Element | None) -> ParaProps:
    props = ParaProps()
    if ppr is None:
        return props
    for child in ppr:
        tag = child.tag
        if tag == _PSTYLE:
            props.style = child.get(W_VAL)
        elif tag == _OUTLINE:
            props.outline_level = int_attr(child)
        elif tag == _NUMPR:
            for sub in child:
                if sub.tag == _NUMID:
                    props.num_id = sub.get(W_VAL)
                elif sub.tag == _ILVL:
                    props.num_ilvl = int_attr(sub, 0)
        elif tag == _JC:
            props.alignment = alignment(child.get(W_VAL))
    return props


_PARA_KEYED = frozenset({_PSTYLE, _OUTLINE, _JC})


def read_ppr_key(ppr: etree._Element) -> tuple:
    """What read_ppr_props looks at in one pPr, as written: a cache key (see read_rpr_key)."""
    key: list[str | None] = []
    for child in ppr:
        tag = child.tag
        if tag in _PARA_KEYED:
            key.append(tag)
            key.append(child.get(W_VAL))
        elif tag == _NUMPR:
            for sub in child:
                key.append(sub.tag)
                key.append(sub.get(W_VAL))
    return tuple(key)


@dataclass(slots=True)
class Style:
    id: str
    name: str | None
    type: str
    based_on: str | None
    ppr: ParaProps
    rpr: RunProps
    borders: bool | None  # table styles: any visible tblBorders


@dataclass(slots=True)
class ParaStyle:
    """A paragraph style resolved through its basedOn chain."""

    id: str | None
    name: str | None
    heading_level: int | None
    ppr: ParaProps
    rpr: RunProps  # the style's run formatting over the document defaults


def table_borders(tblpr: etree._Element | None) -> bool | None:
    """True/False when tblPr says whether any border is drawn; None when it does not say."""
    if tblpr is None:
        return None
    borders = tblpr.find(_TBL_BORDERS)
    if borders is None:
        return None
    return any((b.get(W_VAL) or "none") not in ("nil", "none") for b in borders)


class Styles:
    def __init__(self, root: etree._Element | None):
        self.styles: dict[str, Style] = {}
        self.default_rpr = RunProps()
        self.default_ppr = ParaProps()
        self.default_para: str | None = None
        self.default_char: str | None = None
        self._para_cache: dict[str | None, ParaStyle] = {}
        self._char_cache: dict[str | None, RunProps] = {}
        self.numbering_styles: dict[str, str] = {}  # numbering style id → its w:numId
        if root is None:
            return
        defaults = root.find(w("docDefaults"))
        if defaults is not None:
            rpr = defaults.find(f"{w('rPrDefault')}/{_RPR}")
            self.default_rpr = read_rpr(rpr)
            self.default_ppr = read_ppr_props(defaults.find(f"{w('pPrDefault')}/{_PPR}"))
        for el in root.iter(_STYLE):
            sid = el.get(_STYLE_ID)
            if sid is None:
                continue
            stype = el.get(_TYPE) or "paragraph"
            name_el = el.find(_NAME)
            based = el.find(_BASED_ON)
            style = Style(
                id=sid,
                name=name_el.get(W_VAL) if name_el is not None else None,
                type=stype,
                based_on=based.get(W_VAL) if based is not None else None,
                ppr=read_ppr_props(el.find(_PPR)),
                rpr=read_rpr(el.find(_RPR)),
                borders=table_borders(el.find(_TBLPR)) if stype == "table" else None,
            )
            self.styles[sid] = style
            if el.get(_DEFAULT) in ("1", "true", "on"):
                if stype == "paragraph" and self.default_para is None:
                    self.default_para = sid
                elif stype == "character" and self.default_char is None:
                    self.default_char = sid
            if stype == "numbering" and style.ppr.num_id is not None:
                self.numbering_styles[sid] = style.ppr.num_id

    def _chain(self, sid: str | None) -> list[Style]:
        chain: list[Style] = []
        seen: set[str] = set()
        while sid is not None and sid not in seen and len(chain) < 32:
            seen.add(sid)
            style = self.styles.get(sid)
            if style is None:
                break
            chain.append(style)
            sid = style.based_on
        return chain

    def paragraph(self, sid: str | None) -> ParaStyle:
        """The resolved paragraph style (cached); the default style when sid is None."""
        cached = self._para_cache.get(sid)
        if cached is not None:
            return cached
        use = sid if sid is not None else self.default_para
        chain = self._chain(use)
        ppr = ParaProps()
        rpr = RunProps()
        for style in chain:
            ppr = ppr.over(style.ppr)
            rpr = rpr.over(style.rpr)
        ppr = ppr.over(self.default_ppr)
        rpr = rpr.over(self.default_rpr)
        name = chain[0].name if chain and chain[0].id == use else None
        heading = None
        match = _HEADING_NAME.match((name or "").strip())
        if match is None and not chain and use:
            # a style referenced but not defined: fall back on a built-in id such as "Heading1"
            match = _HEADING_NAME.match(use)
        if match:
            heading = int(match.group(1))
            if ppr.outline_level is None:
                ppr.outline_level = heading - 1  # Word's built-in headings imply the level
        resolved = ParaStyle(use, name, heading, ppr, rpr)
        self._para_cache[sid] = resolved
        return resolved

    def character(self, sid: str | None) -> RunProps:
        """Run formatting of a character style through its chain (without defaults)."""
        cached = self._char_cache.get(sid)
        if cached is not None:
            return cached
        rpr = RunProps()
        for style in self._chain(sid if sid is not None else self.default_char):
            rpr = rpr.over(style.rpr)
        self._char_cache[sid] = rpr
        return rpr

    def table_has_borders(self, sid: str | None) -> bool | None:
        for style in self._chain(sid):
            if style.borders is not None:
                return style.borders
        return None
