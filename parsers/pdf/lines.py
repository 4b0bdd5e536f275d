"""Glyphs → text lines (by baseline); raised small digits become footnote reference marks."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from parsers.legacy import decode_legacy
from parsers.pdf.glyphs import Glyph

TAB_GAP = 2.5  # a horizontal gap wider than this many font sizes separates columns
_MARK = re.compile(r"^[0-9*]{1,3}$")
# A list number as drawn, with LibreOffice's tracked-change brackets: "2.", "[3.]", "I/[II/]".
_NUMBER = re.compile(r"^(?:\[?[0-9IVXLCa-z]{1,4}[.)/:\-–]?\]?){1,2}$")


@dataclass
class Line:
    glyphs: list[Glyph]  # in reading order, reference marks excluded
    text: str
    x0: float
    x1: float
    top: float
    base: float
    size: float
    bold: bool
    italic: bool
    first_word: float  # width of the first word: would it have fitted on the line above?
    legacy: bool  # a glyph's font names a legacy 8-bit encoding (already decoded)
    marks: list[str] = field(default_factory=list)  # superscript footnote marks
    page: int = 0

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def _clusters(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs sharing a baseline, top to bottom."""
    out: list[list[Glyph]] = []
    base = size = 0.0
    for g in sorted(glyphs, key=lambda g: g.base):
        if out and abs(g.base - base) <= 0.25 * max(g.size, size):
            out[-1].append(g)
            size = max(size, g.size)
        else:
            out.append([g])
            base, size = g.base, g.size
    return out


def _median_size(group: list[Glyph]) -> float:
    sizes = [g.size for g in group if g.text.strip()]
    return statistics.median(sizes) if sizes else group[0].size


def _overlaps(a: list[Glyph], b: list[Glyph]) -> bool:
    return min(g.x0 for g in a) < max(g.x1 for g in b) + 2 and max(g.x1 for g in a) > min(
        g.x0 for g in b) - 2


def _mark_groups(group: list[Glyph]) -> list[str]:
    """Superscript glyphs → marks: "12" stays one mark, separate runs are separate marks."""
    marks: list[str] = []
    prev: Glyph | None = None
    for g in sorted(group, key=lambda g: g.x0):
        if not g.text.strip():
            prev = None
            continue
        if prev is not None and g.x0 - prev.x1 < 0.3 * g.size and marks:
            marks[-1] += g.text
        else:
            marks.append(g.text)
        prev = g
    return [m for m in marks if _MARK.match(m)]


def make_lines(glyphs: list[Glyph], page: int = 0) -> list[Line]:
    clusters = _clusters(glyphs)
    sizes = [_median_size(c) for c in clusters]
    marks: dict[int, list[Glyph]] = {}
    dropped: set[int] = set()
    for i, group in enumerate(clusters):
        # a small raised cluster just above a line of bigger text: its reference marks
        if i + 1 < len(clusters) and sizes[i] < 0.8 * sizes[i + 1]:
            below = clusters[i + 1]
            rise = below[0].base - group[0].base
            found = _mark_groups(group)
            if 0 < rise < 0.7 * sizes[i + 1] and found and _overlaps(group, below) and (
                    "".join(found) == "".join(g.text for g in group if g.text.strip())):
                marks.setdefault(i + 1, []).extend(g for g in group if g.text.strip())
                dropped.add(i)
    lines: list[Line] = []
    for i, group in enumerate(clusters):
        if i in dropped:
            continue
        line = _line(group, sizes[i], page, marks.get(i, []))
        if line is not None:
            lines.append(line)
    return lines


def _line(group: list[Glyph], size: float, page: int, above: list[Glyph]) -> Line | None:
    """One line from its glyphs; `above` are reference-mark glyphs raised out of it."""
    base = statistics.median(g.base for g in group if g.text.strip()) if any(
        g.text.strip() for g in group) else group[0].base
    main: list[Glyph] = []
    raised: list[Glyph] = list(above)
    for g in sorted(group, key=lambda g: g.x0):
        if g.size < 0.75 * size and g.base < base - 0.15 * size:
            raised.append(g)  # a superscript inside the line's own tolerance
        elif main and g.text == main[-1].text and abs(g.x0 - main[-1].x0) < 0.3:
            continue  # the same glyph printed twice (fake bold)
        else:
            main.append(g)
    laid = [g for g in main if g.text.strip()]  # struck glyphs included: they take room
    visible = [g for g in laid if not g.struck]
    if not visible:
        return None
    text = _text([g for g in main if not g.struck], size, raised)
    return Line(
        glyphs=main,
        text=text,
        x0=laid[0].x0,
        x1=max(g.x1 for g in laid),
        top=min(g.top for g in laid),
        base=base,
        size=size,
        bold=all(g.bold for g in _styled(visible, size)),
        italic=all(g.italic for g in _styled(visible, size)),
        first_word=_first_word(laid, size),
        legacy=any(g.encoding for g in visible),
        marks=_mark_groups(sorted(raised, key=lambda g: g.x0)),
        page=page,
    )


def _styled(visible: list[Glyph], size: float) -> list[Glyph]:
    """The glyphs whose style is the line's: a leading list number may be drawn in
    another weight (as Word's numbering), like Word the paragraph's style ignores it."""
    end = 0
    while end < len(visible) and (end == 0 or visible[end].x0 - visible[end - 1].x1 < 0.2 * size):
        end += 1
    head = "".join(g.text for g in visible[:end])
    return visible[end:] if end < len(visible) and _NUMBER.match(head) else visible


def _text(glyphs: list[Glyph], size: float, marks: list[Glyph]) -> str:
    """Glyph texts in order; gaps become spaces (or a tab between columns), runs in a legacy
    font are decoded. The room a reference mark took is no gap ("thường xuyên¹.")."""
    parts: list[str] = []
    run: list[str] = []
    run_enc: str | None = None
    prev: Glyph | None = None

    def flush() -> None:
        if run:
            parts.append(decode_legacy("".join(run), run_enc))
            run.clear()

    for g in glyphs:
        sep = ""
        if prev is not None:
            gap = g.x0 - prev.x1 - sum(
                max(0.0, min(m.x1, g.x0) - max(m.x0, prev.x1)) for m in marks)
            if gap > TAB_GAP * size:
                sep = "\t"
            elif gap > 0.2 * size and g.text != " " and prev.text != " ":
                sep = " "
        if sep or g.encoding != run_enc:
            flush()
            run_enc = g.encoding
            if sep:
                parts.append(sep)
        run.append(g.text)
        prev = g
    flush()
    text = "".join(parts)
    text = re.sub(r"[ \u00a0]*\t[ \u00a0\t]*", "\t", text)
    return re.sub(r"[ \u00a0]{2,}", " ", text).strip()


def _first_word(visible: list[Glyph], size: float) -> float:
    start = visible[0].x0
    end = visible[0].x1
    for prev, g in zip(visible, visible[1:], strict=False):
        if g.x0 - prev.x1 > 0.2 * size:
            break
        end = g.x1
    return end - start

