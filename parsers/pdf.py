"""PDF reports → the document model, best effort (PDFs are a minority of submissions).

pypdf gives text fragments with their position, size and font. Fragments are grouped into
lines by baseline, lines into paragraphs by vertical gap and a few typing conventions
(a heading label or a bullet starts a paragraph, so does the line after a short line or
after one ending in . : ;). Bold comes from the font name. Footnotes are the small-print
lines at the foot of a page that start with a small number, matched to a superscript
reference mark in the body.
"""

from __future__ import annotations

import io
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from parsers.model import Document, Footnote, Paragraph, ReadError

MAX_PAGES = 500

_LABEL = re.compile(
    r"^\s*(?:(?:Phần|PHẦN|Chương|CHƯƠNG)\s+\S+"
    r"|[IVXLC]+\s*[./\-)](?=\s|$)|\d{1,2}(?:\.\d{1,2})*\s*[./\-)](?=\s|$)"
    r"|[a-zđ]\s*[)/](?=\s)|[-+•*–](?=\s))"
)


@dataclass
class _Frag:
    y: float
    x: float
    size: float
    font: str
    text: str


@dataclass
class _Line:
    y: float
    x: float
    size: float
    text: str
    bold: bool
    italic: bool
    marks: list[str] = field(default_factory=list)  # superscript footnote marks in the line
    width: float = 0.0


def _is_bold(font: str) -> bool:
    low = font.lower()
    return "bold" in low or "black" in low or "heavy" in low or low.endswith(",b")


def _is_italic(font: str) -> bool:
    low = font.lower()
    return "italic" in low or "oblique" in low


def _fragments(page) -> list[_Frag]:
    frags: list[_Frag] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if not text or not text.strip():
            return
        scale = abs(cm[0]) if cm and cm[0] else 1.0
        size = float(font_size or 0) * scale * (abs(tm[0]) if tm[0] else 1.0)
        x = float(tm[4]) * scale + float(cm[4])
        y = float(tm[5]) * scale + float(cm[5])
        font = str((font_dict or {}).get("/BaseFont", "")) if hasattr(font_dict, "get") else ""
        frags.append(_Frag(y, x, size, font, text.replace("\n", " ")))

    page.extract_text(visitor_text=visit)
    return frags


def _lines(frags: list[_Frag], body_size: float) -> list[_Line]:
    """Group fragments into lines, top to bottom; superscripts become footnote marks."""
    frags = sorted(frags, key=lambda f: (-round(f.y, 1), f.x))
    groups: list[list[_Frag]] = []
    for frag in frags:
        tolerance = 0.4 * max(frag.size, body_size * 0.5)
        for group in groups[-3:]:
            if abs(group[0].y - frag.y) <= tolerance or (
                frag.size < 0.75 * body_size and 0 < frag.y - group[0].y <= 0.6 * body_size
            ):
                group.append(frag)
                break
        else:
            groups.append([frag])
    lines: list[_Line] = []
    for group in groups:
        main = [f for f in group if f.size >= 0.75 * body_size] or group
        marks = [
            f.text.strip() for f in group if f not in main and f.text.strip().isdigit()
        ]
        main.sort(key=lambda f: f.x)
        parts: list[str] = []
        end = None
        for f in main:
            if end is not None and f.x - end > 3 * f.size:
                parts.append("\t")  # a separate column (header, signature block)
            parts.append(f.text)
            end = f.x + 0.5 * f.size * len(f.text)
        text = re.sub(r"[ \u00a0]{2,}", " ", "".join(parts)).strip()
        if not text:
            continue
        size = statistics.median(f.size for f in main)
        lines.append(
            _Line(
                y=statistics.median(f.y for f in main),
                x=min(f.x for f in main),
                size=size,
                text=text,
                bold=all(_is_bold(f.font) for f in main),
                italic=all(_is_italic(f.font) for f in main),
                marks=marks,
                width=(end or 0) - min(f.x for f in main),
            )
        )
    return lines


def _split_footnotes(lines: list[_Line], body_size: float) -> tuple[list[_Line], list[Footnote]]:
    """Separate the small-print footnote block at the foot of the page."""
    start = None
    for i, line in enumerate(lines):
        if line.size < 0.85 * body_size and all(
            other.size < 0.85 * body_size for other in lines[i:]
        ) and (line.marks or re.match(r"^\d+\s", line.text)):
            start = i
            break
    if start is None:
        return lines, []
    notes: list[Footnote] = []
    for line in lines[start:]:
        mark = line.marks[0] if line.marks else None
        text = line.text
        if mark is None:
            m = re.match(r"^(\d+)\s+(.*)$", text)
            if m and not notes or (m and line.x <= lines[start].x + 1):
                mark, text = m.group(1), m.group(2)
        if mark is not None or not notes:
            notes.append(Footnote(id=mark or "?", text=text.strip()))
        else:
            notes[-1].text = f"{notes[-1].text} {text.strip()}"
    return lines[:start], notes


def _starts_paragraph(prev: _Line, line: _Line, spacing: float, full_width: float) -> bool:
    gap = prev.y - line.y
    if gap > spacing * 1.15 or gap < 0:
        return True
    if _LABEL.match(line.text):
        return True
    if prev.bold != line.bold or abs(prev.size - line.size) > 0.5:
        return True
    if prev.text.rstrip().endswith((".", ":", ";", "!", "?")):
        return True
    return prev.width < 0.7 * full_width and not prev.text.isupper()


def _paragraph(lines: list[_Line], centre: float, left: float) -> tuple[Paragraph, list[str]]:
    text = " ".join(line.text for line in lines)
    text = unicodedata.normalize("NFC", text)
    centred = all(
        line.x > left + 15 and abs((line.x + line.width / 2) - centre) < 25 for line in lines
    )
    letters = [c for c in text if c.isalpha()]
    para = Paragraph(
        text=text,
        bold=all(line.bold for line in lines),
        italic=all(line.italic for line in lines),
        caps=bool(letters) and text.upper() == text,
        alignment="center" if centred else None,
    )
    marks = [m for line in lines for m in line.marks]
    return para, marks


def _read(data: bytes) -> Document:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise ReadError(
                    "the PDF is password-protected (encrypted); ask the unit for an unprotected copy"
                )
        pages = list(reader.pages)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"the PDF is damaged or unreadable: {type(exc).__name__}: {exc}") from None
    if len(pages) > MAX_PAGES:
        raise ReadError(f"the PDF has too many pages ({len(pages)}) to be a report")
    warnings: list[str] = []
    page_frags = []
    for page in pages:
        try:
            page_frags.append((page, _fragments(page)))
        except Exception as exc:
            warnings.append(f"a PDF page could not be read ({type(exc).__name__})")
            page_frags.append((page, []))
    sizes: dict[float, int] = {}
    for _, frags in page_frags:
        for f in frags:
            sizes[round(f.size, 1)] = sizes.get(round(f.size, 1), 0) + len(f.text)
    if not sizes:
        raise ReadError("the PDF has no text layer (a scan?): it cannot be read")
    body_size = max(sizes, key=lambda s: sizes[s])

    blocks: list[Paragraph] = []
    marks: list[list[str]] = []  # superscript marks per paragraph, parallel to blocks

    def close(lines: list[_Line], centre: float, left: float) -> None:
        para, found = _paragraph(lines, centre, left)
        blocks.append(para)
        marks.append(found)

    current: list[_Line] = []
    prev: _Line | None = None
    found_notes = False
    for page, frags in page_frags:
        try:
            width = float(page.mediabox.width)
        except Exception:
            width = 595.0
        lines, notes = _split_footnotes(_lines(frags, body_size), body_size)
        if not lines:
            continue
        gaps = [a.y - b.y for a, b in zip(lines, lines[1:], strict=False) if 0 < a.y - b.y < 3 * body_size]
        spacing = min(gaps) if gaps else body_size * 1.4
        left = min(line.x for line in lines)
        full = max(line.width for line in lines)
        page_start = len(blocks)
        for line in lines:
            if prev is not None and current:
                if _continues_across_page(prev, line):
                    pass
                elif _starts_paragraph(prev, line, spacing, full):
                    close(current, width / 2, left)
                    current = []
            current.append(line)
            prev = line
        if notes:
            found_notes = True
            # attach each note to the paragraph whose line carries its mark
            if current:
                close(current, width / 2, left)
            current = []
            prev = None
            for note in notes:
                _attach(blocks, marks, page_start, note)
        elif prev is not None:
            prev = _Line(prev.y + 10_000, prev.x, prev.size, prev.text, prev.bold, prev.italic,
                         prev.marks, prev.width)  # next page: compare without the y gap
    if current:
        close(current, 0, 0)
    if found_notes:
        warnings.append("PDF footnotes were matched to their reference marks by position (best effort)")
    return Document(blocks=list(blocks), warnings=warnings, source_format="pdf")


def _continues_across_page(prev: _Line, line: _Line) -> bool:
    """A paragraph broken by a page: the next page starts in lower case, same style."""
    return (
        prev.y > 5_000
        and line.text[:1].islower()
        and prev.bold == line.bold
        and not prev.text.rstrip().endswith((".", ":", ";"))
    )


def _attach(blocks: list[Paragraph], marks: list[list[str]], start: int, note: Footnote) -> None:
    # the paragraph on this page holding the superscript mark; else the page's last paragraph
    for para, found in zip(blocks[start:], marks[start:], strict=False):
        if note.id in found:
            para.footnotes.append(note)
            return
    if blocks:
        blocks[-1].footnotes.append(note)


def read_pdf(data: bytes) -> Document:
    """Read PDF bytes into paragraphs; ReadError for encrypted, damaged or image-only PDFs."""
    try:
        return _read(data)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("the PDF is malformed: structure nested too deeply") from None
    except Exception as exc:
        raise ReadError(f"the PDF could not be read: {type(exc).__name__}: {exc}") from None
