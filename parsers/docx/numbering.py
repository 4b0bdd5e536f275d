"""numbering.xml: list definitions and the labels Word displays, counted in document order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from parsers.docx.xmlutil import W_VAL, int_attr, on_off, w

_ABSTRACT = w("abstractNum")
_ABSTRACT_ID = w("abstractNumId")
_NUM = w("num")
_NUM_ID = w("numId")
_LVL = w("lvl")
_ILVL = w("ilvl")
_START = w("start")
_NUMFMT = w("numFmt")
_LVLTEXT = w("lvlText")
_LVLRESTART = w("lvlRestart")
_ISLGL = w("isLgl")
_OVERRIDE = w("lvlOverride")
_START_OVERRIDE = w("startOverride")
_NUM_STYLE_LINK = w("numStyleLink")
_PSTYLE = w("pStyle")

_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass(slots=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # lvlText; None = not given
    restart: int | None = None  # lvlRestart: restart after this 1-based level is used; 0 = never
    legal: bool = False
    style: str | None = None  # pStyle: the paragraph style bound to this level


def _read_level(el: etree._Element) -> Level:
    level = Level()
    for child in el:
        tag = child.tag
        if tag == _START:
            level.start = int_attr(child, 1) or 0
        elif tag == _NUMFMT:
            level.fmt = child.get(W_VAL) or "decimal"
        elif tag == _LVLTEXT:
            level.text = child.get(W_VAL)
        elif tag == _LVLRESTART:
            level.restart = int_attr(child)
        elif tag == _ISLGL:
            level.legal = bool(on_off(child))
        elif tag == _PSTYLE:
            level.style = child.get(W_VAL)
    return level


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, sym in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    # Word: a..z, aa..zz, aaa..: the letter repeated
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    if fmt == "ordinal":
        return f"{n}."
    return str(n)  # decimal and the exotic formats we do not render


@dataclass
class _Num:
    abstract_id: str
    overrides: dict[int, Level] = field(default_factory=dict)  # full lvl overrides
    starts: dict[int, int] = field(default_factory=dict)  # startOverride per level


@dataclass(slots=True)
class Label:
    text: str | None
    level: int
    is_bullet: bool


class Numbering:
    """Definitions plus the running counters: call label() for paragraphs in document order."""

    def __init__(self, root: etree._Element | None):
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNum with numStyleLink → style id
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, str] = {}  # numbering style id → numId (for numStyleLink)
        if root is None:
            return
        for el in root.iter(_ABSTRACT):
            aid = el.get(_ABSTRACT_ID)
            if aid is None:
                continue
            levels: dict[int, Level] = {}
            for lvl in el.iter(_LVL):
                levels[int(lvl.get(_ILVL) or 0)] = _read_level(lvl)
            self.abstracts[aid] = levels
            link = el.find(_NUM_STYLE_LINK)
            if link is not None and link.get(W_VAL):
                self.style_links[aid] = link.get(W_VAL) or ""
        for el in root.iter(_NUM):
            nid = el.get(_NUM_ID)
            ref = el.find(_ABSTRACT_ID)
            if nid is None or ref is None:
                continue
            num = _Num(abstract_id=ref.get(W_VAL) or "")
            for ov in el.iter(_OVERRIDE):
                ilvl = int(ov.get(_ILVL) or 0)
                start = ov.find(_START_OVERRIDE)
                if start is not None:
                    num.starts[ilvl] = int_attr(start, 1) or 0
                lvl = ov.find(_LVL)
                if lvl is not None:
                    num.overrides[ilvl] = _read_level(lvl)
            self.nums[nid] = num

    def fresh(self) -> Numbering:
        """These (read-only) definitions with counters of their own, for one document."""
        new = Numbering(None)
        new.abstracts, new.style_links, new.nums = self.abstracts, self.style_links, self.nums
        return new

    def _levels(self, num: _Num) -> dict[int, Level]:
        levels = self.abstracts.get(num.abstract_id, {})
        if not levels and num.abstract_id in self.style_links:
            # numStyleLink: the definition lives in the abstractNum whose styleLink names it
            target = self.style_num.get(self.style_links[num.abstract_id])
            if target and target in self.nums:
                levels = self.abstracts.get(self.nums[target].abstract_id, {})
        if num.overrides:
            levels = {**levels, **num.overrides}
        return levels

    def label(
        self, num_id: str | None, ilvl: int | None, style_id: str | None = None
    ) -> Label | None:
        """Advance the counters for one numbered paragraph and return its label.

        Without an explicit ilvl, a paragraph numbered through its style takes the level
        bound to that style (lvl/pStyle), as Word's multi-level heading lists do.
        """
        if num_id is None or num_id == "0":
            return None
        num = self.nums.get(num_id)
        if num is None:
            return None
        levels = self._levels(num)
        if ilvl is None and style_id is not None:
            ilvl = next((lv for lv, spec in levels.items() if spec.style == style_id), None)
        ilvl = min(max(ilvl or 0, 0), 8)
        level = levels.get(ilvl)
        if level is None:
            return None
        if level.fmt == "bullet":
            return Label(None, ilvl, True)
        # Word counts per abstract list across its numIds; a num that overrides a start
        # value is a restarted list with counters of its own.
        key = f"n{num_id}" if (num.starts or num.overrides) else f"a{num.abstract_id}"
        counters = self.counters.setdefault(key, {})

        def start_of(lv: int) -> int:
            if lv in num.starts:
                return num.starts[lv]
            spec = levels.get(lv)
            return spec.start if spec is not None else 1

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start_of(ilvl)
        for deeper in [lv for lv in counters if lv > ilvl]:
            spec = levels.get(deeper)
            restart = spec.restart if spec is not None and spec.restart is not None else deeper
            if restart != 0 and ilvl < restart:
                del counters[deeper]
        if level.text is None:
            return Label(None, ilvl, False)

        def render(match: re.Match[str]) -> str:
            lv = int(match.group(1)) - 1
            value = counters.get(lv, start_of(lv))
            spec = levels.get(lv)
            fmt = spec.fmt if spec is not None else "decimal"
            if level.legal and fmt != "none":
                fmt = "decimal"  # isLgl: every level shown in Arabic numerals
            return format_number(value, fmt)

        text = _PLACEHOLDER.sub(render, level.text).strip()
        return Label(text or None, ilvl, False)
