"""A plain model of a Word report: blocks in reading order.

Readers (DOCX, PDF) produce it; structure, header and indicator extraction read it.
Modelled on python-mammoth's document model: plain dataclasses, no behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Footnote:
    id: str
    text: str  # the footnote's text, NFC, paragraphs joined by "\n"


@dataclass
class Paragraph:
    text: str  # visible text, NFC; soft line breaks kept as "\n"; tracked insertions kept
    style_id: str | None = None
    style_name: str | None = None  # e.g. "heading 1", "Title", "List Paragraph"
    outline_level: int | None = None  # 0-based w:outlineLvl (direct or from the style); 9 = body
    heading_level: int | None = None  # 1-based level of a built-in "heading N" style
    num_label: str | None = None  # auto-numbering label as Word displays it: "1.", "I-", "a)"
    num_level: int | None = None  # w:ilvl of the numbering, 0-based
    is_bullet: bool = False  # numbered with a bullet format (not an ordered label)
    bold: bool = False  # every visible character is bold
    italic: bool = False
    caps: bool = False  # rendered in capitals (w:caps or the text itself is upper case)
    alignment: str | None = None  # "left" | "center" | "right" | "both"
    footnotes: list[Footnote] = field(default_factory=list)  # referenced from this paragraph
    in_textbox: bool = False


@dataclass
class Cell:
    paragraphs: list[Paragraph]
    grid_span: int = 1  # columns this cell covers
    merged_from_above: bool = False  # continuation of a vertical merge (text is the origin's)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs).strip()


@dataclass
class Table:
    rows: list[list[Cell]]  # each row padded to the grid: a horizontally merged cell repeats
    borderless: bool = False
    in_textbox: bool = False

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]


Block = Paragraph | Table


@dataclass
class Document:
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)
    source_format: str = "docx"  # "docx" | "doc" | "pdf"

    def paragraphs(self) -> list[Paragraph]:
        """Every paragraph in reading order, table cells included."""
        out: list[Paragraph] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                out.append(block)
            else:
                seen: set[int] = set()  # a horizontally merged cell repeats across its columns
                for row in block.rows:
                    for cell in row:
                        if not cell.merged_from_above and id(cell) not in seen:
                            seen.add(id(cell))
                            out.extend(cell.paragraphs)
        return out


class ReadError(Exception):
    """A file that cannot be read as a report; the message is shown to people as-is."""


@dataclass
class Segment:
    """A piece of report text placed in the outline, for indicator extraction."""

    text: str
    section: str | None  # canonical outline id of the section it sits in
    location: str = "body"  # "body" | "footnote" | "table"
    rows: list[list[str]] | None = None  # a figure table's cell texts, when location == "table"
