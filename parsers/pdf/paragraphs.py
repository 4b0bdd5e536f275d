"""Text lines → paragraphs: where a line wrap ends and a new paragraph begins.

A PDF keeps no paragraph marks, so they are read back from the typesetting: extra space
above a line, a first-line indent, a short line the next word would have fitted on, a
change of font size or weight, centred lines. Page breaks join a paragraph when the last
line of the page was a wrap.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from parsers.model import Paragraph
from parsers.pdf.lines import Line

_LABEL = re.compile(
    r"^\s*(?:(?:Phần|PHẦN|Chương|CHƯƠNG)\s+\S+"
    r"|[IVXLC]+\s*[./\-)–](?=\s|$)|\d{1,2}(?:\.\d{1,2})*\s*[./\-)–](?=\s|$)"
    r"|[a-zđ]\s*[)/](?=\s)|[-+•*–](?=\s))"
)
_ENDS_SENTENCE = (".", ":", ";", "!", "?")
# Labels that open a heading: a centred line starting with one is a paragraph of its own.
_HEADING_LABEL = re.compile(
    r"^\s*(?:(?:Phần|PHẦN|Chương|CHƯƠNG)\s+\S+|[IVXLC]+\s*[./\-)–:]|\d{1,2}(?:\.\d{1,2})*\s*[./\-)–:])"
    r"(?=\s|$)"
)
# LibreOffice shows a tracked change of a list number as "old[new]": the new one counts.
_TRACKED_NUMBER = re.compile(
    r"^\s*(?:[0-9IVXLCa-z]{1,4}[.)/:\-–]?)?\s*\[([0-9IVXLCa-z]{1,4}[.)/:\-–]?)\]\s*")


@dataclass
class Frame:
    """The text area a line sits in: the page's body, a table cell, a header column."""

    left: float
    right: float
    centred: bool = False  # every paragraph in it is centred (a header column)

    @property
    def width(self) -> float:
        return max(self.right - self.left, 1.0)

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


@dataclass
class Placed:
    line: Line
    frame: Frame


@dataclass
class Built:
    paragraph: Paragraph
    marks: list[tuple[int, str]] = field(default_factory=list)  # (page, footnote mark) carried
    page: int = 0
    legacy: bool = False  # some text was decoded from a legacy font already
    font: str = ""  # the font family most of its text is set in


def font_family(lines: list[Line]) -> str:
    """"DejaVuSans" for DejaVuSans-Bold and DejaVuSans-Oblique alike."""
    counts: dict[str, int] = {}
    for line in lines:
        for g in line.glyphs:
            family = re.split(r"[-,]", g.font, maxsplit=1)[0]
            counts[family] = counts.get(family, 0) + 1
    return max(counts, key=lambda f: counts[f]) if counts else ""


def near_centre(line: Line, frame: Frame) -> bool:
    return abs((line.x0 + line.x1) / 2 - frame.centre) < max(0.01 * frame.width, 3.0)


def _centred(line: Line, frame: Frame) -> bool:
    """Centred, and not a full justified line (which is centred too)."""
    return near_centre(line, frame) and line.x0 > frame.left + 0.5 * line.size


def _spans(line: Line, frame: Frame) -> bool:
    return line.x0 <= frame.left + 0.5 * line.size and line.x1 >= frame.right - 0.5 * line.size


def _full(a: Line, b: Line, frame: Frame) -> bool:
    """b's first word would not have fitted at the end of a: a ended in a wrap."""
    space = 0.3 * a.size
    if frame.centred or _centred(a, frame):
        return a.width + space + b.first_word > frame.width - 1.0
    return a.x1 + space + b.first_word > frame.right - 1.0


def _hanging(first: Line, b: Line) -> bool:
    """b starts where the text after first's label starts (a hanging indent)."""
    gaps = [g for g in first.glyphs if g.text.strip()]
    for prev, g in zip(gaps, gaps[1:], strict=False):
        if g.x0 - prev.x1 > 0.2 * first.size:
            return abs(g.x0 - b.x0) < 2.0
    return False


def breaks(a: Placed, b: Placed, first: Line, pitch: float | None) -> bool:
    """Whether b starts a new paragraph after a (first = the paragraph's first line)."""
    la, lb = a.line, b.line
    if la.page == lb.page:
        d = lb.base - la.base
        if d <= 0.3 * la.size:
            return True  # side by side or out of order: never one paragraph
        if pitch is not None and d > pitch * 1.15 + 0.5:
            return True
    if abs(la.size - lb.size) > 0.6:
        return True
    same_style = la.bold == lb.bold and la.italic == lb.italic
    fa, fb = a.frame, b.frame
    if fa.centred:
        return not same_style or not _full(la, lb, fa)
    centred_a, centred_b = _centred(la, fa), _centred(lb, fb)
    if centred_a or centred_b:
        # a centred title or heading over several lines (soft breaks included)
        if not same_style or _HEADING_LABEL.match(lb.text):
            return True
        if centred_a:
            return not (centred_b or _spans(lb, fb))
        return not _full(la, lb, fa)
    full = _full(la, lb, fa)
    if not same_style and (not (full and la.x1 >= fa.right - 0.5 * la.size)
                           or _LABEL.match(lb.text)):
        return True  # a new style, unless a justified line runs on (a bold lead-in)
    if lb.x0 - la.x0 > 0.5 * lb.size and not (la is first and _hanging(first, lb)):
        return True  # a first-line indent
    if not full:
        return True
    return bool(_LABEL.match(lb.text)) and la.text.rstrip().endswith(_ENDS_SENTENCE)


def join_texts(texts: list[str]) -> str:
    out = ""
    for text in texts:
        if not out:
            out = text
        elif re.search(r"\S[-/]$", out) and text[:1].isalnum():
            out += text  # "10/KH-" + "SLĐTBXH", "Covid-" + "19": a break after a hyphen
        else:
            out += " " + text
    return out


def make_paragraph(placed: list[Placed]) -> Built:
    lines = [p.line for p in placed]
    text = unicodedata.normalize("NFC", join_texts([line.text for line in lines]))
    text = _TRACKED_NUMBER.sub(lambda m: m.group(1) + " ", text, count=1)
    letters = [c for c in text if c.isalpha()]
    frame = placed[0].frame
    centred = frame.centred or (
        all(near_centre(p.line, p.frame) or _spans(p.line, p.frame) for p in placed)
        and any(_centred(p.line, p.frame) for p in placed)
    )
    para = Paragraph(
        text=text,
        bold=all(line.bold for line in lines),
        italic=all(line.italic for line in lines),
        caps=bool(letters) and text.upper() == text,
        alignment="center" if centred else None,
    )
    marks = [(line.page, m) for line in lines for m in line.marks]
    return Built(para, marks, lines[0].page, any(line.legacy for line in lines),
                 font_family(lines))


def paragraphs(placed: list[Placed], pitches: dict[float, float]) -> list[Built]:
    """Consecutive lines of one flow → paragraphs."""
    out: list[Built] = []
    current: list[Placed] = []
    for item in placed:
        if current:
            pitch = pitches.get(round(max(current[-1].line.size, item.line.size)))
            if breaks(current[-1], item, current[0].line, pitch):
                out.append(make_paragraph(current))
                current = []
        current.append(item)
    if current:
        out.append(make_paragraph(current))
    return out


def line_pitches(lines: list[Line]) -> dict[float, float]:
    """The usual baseline distance between wrapped lines, per (rounded) font size."""
    seen: dict[float, dict[float, int]] = {}
    for a, b in zip(lines, lines[1:], strict=False):
        if a.page != b.page or abs(a.size - b.size) > 0.3:
            continue
        d = b.base - a.base
        if 1.0 * a.size <= d <= 2.2 * a.size:
            bucket = seen.setdefault(round(a.size), {})
            key = round(d * 2) / 2
            bucket[key] = bucket.get(key, 0) + 1
    out: dict[float, float] = {}
    for size, counts in seen.items():
        best = max(counts.values())
        # the smallest distance that is common: wraps, not paragraph spacing
        out[size] = min(k for k, v in counts.items() if v >= max(2, best // 3)) if best >= 2 \
            else min(counts)
    return out
