"""One PDF page → glyphs (characters with position, size and style) and ruling segments.

pdfplumber (pdfminer.six) gives every character with its font name and box, and the page's
drawn lines and rectangles; tables and tracked-change marks are read from the latter.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from parsers.legacy import font_encoding

MAX_GLYPHS_PER_PAGE = 40_000  # a report page holds ~3,000; more is a hostile or a scan
MAX_RULES_PER_PAGE = 5_000


@dataclass
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    base: float  # baseline, from the top of the page
    size: float
    font: str  # without the subset prefix ("ABCDEF+")
    bold: bool
    italic: bool
    encoding: str | None  # legacy 8-bit encoding named by the font (parsers.legacy)
    struck: bool = False  # struck through: a tracked deletion, laid out but not text


@dataclass
class Rule:
    """A thin horizontal segment: strike-through, underline, border, footnote separator."""

    x0: float
    x1: float
    y: float


def _style(font: str) -> tuple[bool, bool]:
    low = font.lower()
    bold = any(w in low for w in ("bold", "black", "heavy", "semibold", "demi")) or low.endswith(
        (",b", ",bi", "-b", "-bi")
    )
    italic = "italic" in low or "oblique" in low or low.endswith((",i", ",bi", "-i", "-bi"))
    return bold, italic


def _glyph(ch: dict) -> Glyph | None:
    text = ch.get("text") or ""
    if not text or not ch.get("upright", True):
        return None  # rotated text: margin notes and stamps, never report prose
    font = str(ch.get("fontname") or "").split("+", 1)[-1]
    bold, italic = _style(font)
    size = float(ch.get("size") or 0.0)
    matrix = ch.get("matrix")
    top, bottom = float(ch["top"]), float(ch["bottom"])
    if size <= 0:
        size = max(bottom - top, 1.0)
    base = bottom
    if matrix and len(matrix) == 6 and "page_height" in ch:
        base = float(ch["page_height"]) - float(matrix[5])
    return Glyph(text, float(ch["x0"]), float(ch["x1"]), top, base, size, font, bold, italic,
                 font_encoding(font))


def page_glyphs(page) -> list[Glyph]:
    glyphs: list[Glyph] = []
    height = float(page.height)
    for ch in page.chars[:MAX_GLYPHS_PER_PAGE]:
        ch = {**ch, "page_height": height} if "matrix" in ch else ch
        g = _glyph(ch)
        if g is not None:
            glyphs.append(g)
    return glyphs


def page_rules(page) -> list[Rule]:
    """Thin horizontal lines and rectangles of the page."""
    rules: list[Rule] = []
    for line in page.lines:
        if abs(float(line["top"]) - float(line["bottom"])) < 1.0:
            rules.append(Rule(float(line["x0"]), float(line["x1"]), float(line["top"])))
    for rect in page.rects:
        top, bottom = float(rect["top"]), float(rect["bottom"])
        if bottom - top < 1.5 and float(rect["x1"]) - float(rect["x0"]) > 2:
            rules.append(Rule(float(rect["x0"]), float(rect["x1"]), (top + bottom) / 2))
    return rules[:MAX_RULES_PER_PAGE]


def mark_struck(glyphs: list[Glyph], rules: list[Rule]) -> None:
    """Flag struck-through glyphs: tracked deletions shown in the PDF (or struck text).
    They keep their place in the layout (line widths) but are not read as text."""
    if not rules:
        return
    rules = sorted(rules, key=lambda r: r.y)
    ys = [r.y for r in rules]
    for g in glyphs:
        mid = (g.x0 + g.x1) / 2
        # a strike line crosses the glyph above the baseline; an underline lies below it
        lo = bisect.bisect_right(ys, g.base - 0.6 * g.size)
        hi = bisect.bisect_left(ys, g.base - 0.12 * g.size)
        g.struck = any(rules[i].x0 <= mid <= rules[i].x1 for i in range(lo, hi))
