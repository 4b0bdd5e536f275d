"""Heading detection and label parsing for Vietnamese report outlines.

A heading is found from any of: a Heading style / w:outlineLvl, a Word auto-number
label, or a typed label ("PHẦN THỨ NHẤT", "Phần I", "I.", "II –", "1)", "a)") on a
short, bold, capitalised or centred paragraph. Levels are decided later from the
label family and context (see parsers.structure), not from styles alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.model import Paragraph
from parsers.textnorm import collapse, fold, is_upper_text, squash

# Family ranks: a smaller rank encloses a larger one.
RANKS = {"part": 0, "roman": 1, "arabic": 2, "arabic2": 3, "alpha": 4}

_PART_WORDS = {"mot": 1, "nhat": 1, "nhi": 2, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_SEP = r"[.)/:\-–—]"

# Typed labels are matched on the original (NFC) text so the label is kept as written.
_PART_RE = re.compile(
    r"^\s*(PH[ẦẤ]N\s+(?:TH[ỨƯ]\s+\w+|[IVXLivxl]+\b|\d{1,2}\b|M[ỘO]T\b|HAI\b|BA\b))\s*[.:\-–—]?\s*",
    re.IGNORECASE,
)
# "A. KẾT QUẢ …", "B- PHƯƠNG HƯỚNG …": capital letters number the parts of some reports.
_LETTER_PART_RE = re.compile(r"^\s*([A-EĐG])\s*([.)/\-–—])\s+(?=[A-ZĐÀ-Ỹ])")
_LETTER_ORDER = "ABCDĐEG"
_ROMAN_RE = re.compile(r"^\s*([IVXL]{1,5})\s*(" + _SEP + r")\s*(?!\d)")
_ARABIC2_RE = re.compile(r"^\s*(\d{1,2}\s*\.\s*\d{1,2}(?:\s*\.\s*\d{1,2})?)\s*([.)\-–—:]?)\s+(?!\d)")
_ARABIC_RE = re.compile(r"^\s*(\d{1,2})\s*(" + _SEP + r")(?![\d/.])\s*")
_ALPHA_RE = re.compile(r"^\s*([a-zđ])\s*([).\-–—:])\s+")
_BULLET_RE = re.compile(r"^\s*[-+•·*–—‐−○◦▪■►✓❖]\s*")

# Where any typed label above can start (a cheap test before trying them one by one).
_LABEL_START = re.compile(r"\s*(?:[pP]|[A-EĐG]\s*[.)/\-–—]|[IVXL]|\d|[a-zđ]\s*[).\-–—:])")

_HEADING_STYLE = re.compile(r"heading\s*(\d)")


def _ends_punct(text: str) -> bool:
    """Ends in . ; : or , (trailing spaces aside); no regex scan from every position."""
    tail = text.rstrip()
    return bool(tail) and tail[-1] in ".;:,"


@dataclass(frozen=True)
class Label:
    family: str  # "part" | "roman" | "arabic" | "arabic2" | "alpha"
    ordinal: int
    text: str  # as written or rendered: "PHẦN THỨ NHẤT", "I.", "1)"
    kind: str = "typed"  # "typed" | "auto"

    @property
    def rank(self) -> int:
        return RANKS[self.family]


def roman_value(text: str) -> int | None:
    text = text.upper()
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total if 0 < total < 40 else None


def _part_ordinal(label: str) -> int | None:
    words = fold(label).split()[1:]  # drop "phan"
    if not words:
        return None
    if words[0] == "thu" and len(words) > 1:
        return _PART_WORDS.get(words[1])
    if words[0] in _PART_WORDS:
        return _PART_WORDS[words[0]]
    if words[0].isdigit():
        return int(words[0])
    return roman_value(words[0])


def parse_label(text: str) -> tuple[Label, str] | None:
    """A typed label at the start of `text` and the rest of the text; None if there is none."""
    m = _PART_RE.match(text)
    if m:
        ordinal = _part_ordinal(m.group(1))
        if ordinal is not None:
            return Label("part", ordinal, collapse(m.group(1))), _rest(text, m.end())
    m = _LETTER_PART_RE.match(text)
    if m:
        ordinal = _LETTER_ORDER.index(m.group(1)) + 1
        return Label("part", ordinal, _label_text(text, m)), _rest(text, m.end())
    m = _ROMAN_RE.match(text)
    if m:
        value = roman_value(m.group(1))
        if value is not None:
            return Label("roman", value, _label_text(text, m)), _rest(text, m.end())
    m = _ARABIC2_RE.match(text)
    if m:
        first = int(re.split(r"\s*\.\s*", m.group(1))[-1])
        return Label("arabic2", first, _label_text(text, m)), _rest(text, m.end())
    m = _ARABIC_RE.match(text)
    if m and int(m.group(1)) > 0:
        return Label("arabic", int(m.group(1)), _label_text(text, m)), _rest(text, m.end())
    m = _ALPHA_RE.match(text)
    if m:
        ordinal = "abcdđeghiklmnopqrstuvxy".find(m.group(1)) + 1
        return Label("alpha", max(ordinal, 1), _label_text(text, m)), _rest(text, m.end())
    return None


def parse_num_label(num_label: str) -> Label | None:
    """An auto-numbering label as Word renders it ("1.", "I-", "a)", "Phần I")."""
    # The placeholder title is a capital so a letter part label ("A.", "B-") parses too.
    parsed = parse_label(num_label.strip() + " X")
    if parsed is None:
        return None
    label, _ = parsed
    return Label(label.family, label.ordinal, collapse(num_label), "auto")


def _label_text(text: str, m: re.Match[str]) -> str:
    return collapse(text[m.start(1) : m.end(2) if m.lastindex and m.lastindex >= 2 else m.end(1)])


def _rest(text: str, pos: int) -> str:
    return collapse(text[pos:]).lstrip(".:-–— ").strip()


def strip_colon(title: str) -> str:
    """A heading's title without the colon (and spaces) that ends it."""
    return title.rstrip().rstrip(":：").rstrip()


def is_bullet(p: Paragraph) -> bool:
    return p.is_bullet or bool(_BULLET_RE.match(p.text))


@dataclass
class Candidate:
    """A paragraph that reads as a heading; `weak` ones (a)/b) sub-items) need a strong match."""

    label: Label | None
    title: str  # heading text without the label, whitespace collapsed
    styled: bool  # Heading style or outline level
    outline_level: int | None  # 0-based, when styled
    strong: bool  # bold, capitals or centred
    weak: bool = False
    part_only: bool = False
    soft: bool = False  # a labelled line in plain body format: a heading only if it matches
    run_in: str = ""  # "1. Ưu điểm: Cấp uỷ đã …": the text after the run-in heading
    subheading: bool = False  # an unlabelled bold line ("Ưu điểm:", "* Hạn chế:") below a heading


MAX_STRONG_TITLE = 60  # words in a bold or styled numbered heading's title
_NOTE = re.compile(r"\s*\([^()]{8,}\)\s*\.?$|\s*\([^()]{8,}\)")
_RUN_IN = re.compile(r"^([^:;.!?]{3,120}?)\s*:\s+(\S.*)$", re.DOTALL)
# "1. Ưu điểm. Cấp uỷ đã …": a very short title closed by a full stop, then a sentence.
_RUN_IN_STOP = re.compile(r"^([^:;.!?\d]{3,60}?)\s*\.\s+(?=[A-ZĐÀ-Ỹ])(\S.*)$", re.DOTALL)
# "* Ưu điểm:" — an asterisk marks a sub-heading in many reports, unlike "-" / "+" list items.
_STAR_RE = re.compile(r"^\s*[*※]\s*")


def _run_in(title: str) -> tuple[str, str, bool] | None:
    """A short title, a colon (or a full stop) and a sentence in one paragraph:
    (title, sentence, closed by a full stop)."""
    m = _RUN_IN.match(title)
    stop = False
    if m is None:
        m = _RUN_IN_STOP.match(title)
        stop = True
    if m is None:
        return None
    head, tail = m.group(1).strip(), m.group(2).strip()
    if not 1 <= len(head.split()) <= (6 if stop else 20) or len(tail.split()) < 4:
        return None
    return head, tail, stop


def styled_level(p: Paragraph) -> int | None:
    if p.heading_level is not None and p.heading_level >= 1:
        return p.heading_level - 1
    if p.outline_level is not None and 0 <= p.outline_level < 9:
        return p.outline_level
    name = (p.style_name or "").lower()
    m = _HEADING_STYLE.match(name)
    return int(m.group(1)) - 1 if m else None


def plain_body_text(p: Paragraph, text: str) -> bool:
    """A paragraph in body format (no number, bold or centring) whose text opens with no
    typed label: no heading whatever its style, decided without normalising its text."""
    return not (p.num_label or p.bold or p.alignment == "center") and not _LABEL_START.match(text)


def heading_candidate(p: Paragraph) -> Candidate | None:
    """Whether `p` reads as a heading, and its label and title; None for body text."""
    if p.in_textbox or p.is_bullet:
        return None
    return heading_candidate_text(p, squash(p.text))


def heading_candidate_text(p: Paragraph, text: str) -> Candidate | None:
    """heading_candidate with `text` = squash(p.text) already computed by the caller."""
    if not text or p.in_textbox or len(text) > 400:
        return None
    if p.is_bullet:
        return None
    if is_bullet(p) and not p.num_label:
        return None
    level = styled_level(p)
    styled = level is not None
    if not styled and plain_body_text(p, text):
        return None
    upper = p.caps or is_upper_text(text)
    strong = p.bold or upper
    centred = p.alignment == "center"
    label: Label | None = None
    title = text
    if p.num_label:
        label = parse_num_label(p.num_label)
    typed = parse_label(text)
    # An auto number wins over a typed one, except a typed "PHẦN …" (a list quirk).
    if typed is not None and (label is None or (label.family != "part" and typed[0].family == "part")):
        label, title = typed
    # An explanatory note copied from the outline, "(ban hành các văn bản chỉ đạo, …)", does
    # not make a heading a sentence: lengths and endings are judged without it.
    core = _NOTE.sub("", title).strip() or title
    words = len(core.split())
    ends_sentence = _ends_punct(strip_colon(core))  # a final colon opens the section's text
    if label is not None:
        title = strip_colon(title)  # "2. Hạn chế:" — the colon introduces the body
    if label is not None and label.family == "part":
        if words > 45 and not (styled or strong):
            return None
        return Candidate(label, title, styled, level, strong or centred, part_only=not title)
    if label is not None:
        if not title:
            return None
        run_in = _run_in(title) if not (p.bold or styled) else None
        if run_in is not None:
            head, tail, stop = run_in
            # A full stop also ends ordinary list items: such a head must match closely.
            return Candidate(label, head, styled, level, strong,
                             weak=label.family == "alpha" or stop, soft=True, run_in=tail)
        if styled or strong:
            # Outline titles run long: P2.I of the reference outline is 45 words.
            heading = words <= MAX_STRONG_TITLE and not (ends_sentence and words > 30 and not styled)
        else:
            # Plain format: short, or a long title without sentence punctuation (such soft
            # candidates stay headings only if they match the outline).
            heading = (words <= 20 and (not ends_sentence or words <= 10)) or (
                words <= 45 and not ends_sentence
            )
        if not heading:
            return None
        return Candidate(label, title, styled, level, strong, weak=label.family == "alpha",
                         soft=not (styled or strong))
    # No label at all: a styled heading, or a short bold/capitals line.
    if words > 30:
        return None
    if title.endswith(":") and not styled:
        return None  # a line ending in ":" introduces a list (see subheading_candidate)
    if styled:
        return Candidate(None, strip_colon(title), True, level, strong)
    if upper and (p.bold or centred) and words <= 25:
        return Candidate(None, title, False, None, True)
    if p.bold and centred and words <= 20 and not title.endswith("."):
        # A centred bold line in sentence case: a heading only if it matches the outline.
        return Candidate(None, title, False, None, True, soft=True)
    if p.bold and words > 12 and not ends_sentence and not p.italic and title[0].isupper():
        # A long bold line with no label or style (a heading style lost in a PDF, an outline
        # title copied in full): a heading only if it matches an outline title closely. (The
        # second line of a wrapped heading starts in lower case: not a heading of its own.)
        return Candidate(None, title, False, None, True, weak=True, soft=True)
    return None


def subheading_candidate(p: Paragraph) -> Candidate | None:
    """A short unlabelled bold line that is not a heading by itself ("Ưu điểm:", "* Hạn chế,
    khó khăn"): a possible sub-heading of the heading above it, kept only if it matches the
    outline closely (weak and soft). Call it for paragraphs heading_candidate rejects."""
    if not p.bold or p.in_textbox or p.is_bullet or p.num_label:
        return None  # cheap checks first: it would be rejected below anyway
    return subheading_candidate_text(p, squash(p.text))


def subheading_candidate_text(p: Paragraph, text: str) -> Candidate | None:
    """subheading_candidate with `text` = squash(p.text) already computed by the caller."""
    if not text or p.in_textbox or p.is_bullet or p.num_label:
        return None
    star = _STAR_RE.match(text)
    if star:
        text = text[star.end():]
    elif is_bullet(p):
        return None
    title = strip_colon(text)
    words = len(title.split())
    if not p.bold or p.alignment == "center" or not 1 <= words <= 12:
        return None
    if _ends_punct(title) or title.endswith(("!", "?")):
        return None
    return Candidate(None, title, False, None, True, weak=True, soft=True, subheading=True)
