"""Page furniture (page numbers) and the footnote block at the foot of a page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.pdf.glyphs import Rule
from parsers.pdf.lines import Line
from parsers.pdf.paragraphs import font_family

_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,3}(?:\s*(?:/|trên|of)\s*\d{1,3})?[-–—\s]*$",
    re.IGNORECASE,
)
_NOTE_START = re.compile(r"^(\d{1,3}|\*)\s+(\S.*)$")


@dataclass
class Note:
    mark: str
    text: str
    font: str = ""


def drop_page_numbers(lines: list[Line], height: float) -> list[Line]:
    """Page numbers: a number alone as the page's first or last line, in its margin
    (a PAGE field in the header or footer)."""
    if not lines:
        return lines
    first, last = min(lines, key=lambda x: x.top), max(lines, key=lambda x: x.base)

    def furniture(line: Line) -> bool:
        in_margin = (line is last and line.base > 0.85 * height) or (
            line is first and line.top < 0.12 * height)
        return in_margin and not line.marks and bool(_PAGE_NUMBER.match(line.text))

    return [line for line in lines if not furniture(line)]


def drop_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Running headers and footers: the same text (page numbers aside) at the same height
    in the top or bottom margin of three or more pages."""
    def key(line: Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text.strip().lower()), round(line.base / 3)

    def in_margin(line: Line, height: float) -> bool:
        return line.top < 0.1 * height or line.base > 0.88 * height

    seen: dict[tuple[str, int], int] = {}
    for lines, height in zip(pages, heights, strict=False):
        for k in {key(x) for x in lines if in_margin(x, height)}:
            seen[k] = seen.get(k, 0) + 1
    return [[x for x in lines if not (in_margin(x, height) and seen.get(key(x), 0) >= 3
                                      and not x.marks)]
            for lines, height in zip(pages, heights, strict=False)]


def _separator(rules: list[Rule], left: float, width: float, below: float) -> float | None:
    """The footnote separator: a short rule at the left margin, low on the page."""
    found = [
        r.y for r in rules
        if abs(r.x0 - left) < 8 and 0.1 * width < r.x1 - r.x0 < 0.6 * width and r.y > below
    ]
    return max(found) if found else None


def split_footnotes(lines: list[Line], rules: list[Rule], body_size: float, left: float,
                    width: float, height: float) -> tuple[list[Line], list[Note]]:
    """Body lines and the page's footnotes (small print under the separator)."""
    sep = _separator(rules, left, width, 0.4 * height)
    start = None
    if sep is not None:
        # under the separator: footnotes, whatever their size (a document without styles)
        start = next((i for i, line in enumerate(lines)
                      if all(x.top >= sep - 1 for x in lines[i:])), None)
        if start is not None and not (lines[start].marks or _NOTE_START.match(lines[start].text)):
            start = None
    if start is None:
        small = [line.size < 0.95 * body_size for line in lines]
        start = next((i for i, line in enumerate(lines)
                      if all(small[i:]) and (line.marks or _NOTE_START.match(line.text))
                      and line.top > 0.5 * height), None)
    if start is None:
        return lines, []
    notes = _notes(lines[start:])
    family = font_family(lines[start:])
    for note in notes:
        note.font = family
    return lines[:start], notes


def _notes(lines: list[Line]) -> list[Note]:
    notes: list[Note] = []
    for line in lines:
        mark: str | None = line.marks[0] if line.marks else None
        text = line.text
        if mark is None:
            m = _NOTE_START.match(text)
            if m and (not notes or abs(line.x0 - lines[0].x0) < 2):
                mark, text = m.group(1), m.group(2)
        if mark is not None or not notes:
            notes.append(Note(mark or "?", text.strip()))
        else:
            notes[-1].text = f"{notes[-1].text} {text.strip()}"
    return notes
