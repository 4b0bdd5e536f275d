"""PDF reports → the document model, read like a DOCX as far as the PDF allows.

pdfplumber (pdfminer.six) gives each character with its font and box, and the drawn lines
and rectangles. From these:
- ruled tables become `Table` blocks (cells found from the borders, spans and merges kept);
  the borderless two-column header at the top of the first page becomes a borderless table;
  a table continued on the next page (its heading rows repeated) is joined up;
- struck-through characters (tracked deletions shown in the PDF) are left out of the text;
- lines become paragraphs by spacing, indents, wraps and style (see paragraphs.py);
- page numbers and running headers/footers are dropped; footnotes (small print under the separator) are attached to
  the paragraph carrying their superscript mark;
- legacy TCVN3 / VNI text is decoded from the font name, or guessed when it was lost.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

from parsers.model import Block, Document, Footnote, Paragraph, ReadError, Table
from parsers.pdf import encoding
from parsers.pdf.glyphs import Glyph, Rule, mark_struck, page_glyphs, page_rules
from parsers.pdf.lines import Line, make_lines
from parsers.pdf.notes import Note, drop_page_numbers, drop_running_lines, split_footnotes
from parsers.pdf.paragraphs import Built, Frame, Placed, line_pitches, paragraphs
from parsers.pdf.tables import (
    Region,
    build_table,
    find_regions,
    header_gutter,
    header_table,
    in_region,
    is_text_box,
    merge_continued,
)

MAX_PAGES = 500


@dataclass
class _Page:
    index: int
    width: float
    height: float
    lines: list[Line]
    rules: list[Rule]
    regions: list[Region]
    region_glyphs: list[list[Glyph]]
    notes: list[Note] = field(default_factory=list)


def _open(data: bytes):
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        count = _page_count(pdf)
        if count is not None and count > MAX_PAGES:  # before every page object is made
            pdf.close()
            raise ReadError(f"the PDF has too many pages ({count}) to be a report")
        pages = pdf.pages
    except ReadError:
        raise
    except Exception as exc:
        if _is_password_error(exc):
            raise ReadError(
                "the PDF is password-protected (encrypted); ask the unit for an unprotected copy"
            ) from None
        raise ReadError(f"the PDF is damaged or unreadable: {type(exc).__name__}: {exc}") from None
    if len(pages) > MAX_PAGES:
        pdf.close()
        raise ReadError(f"the PDF has too many pages ({len(pages)}) to be a report")
    return pdf


def _page_count(pdf) -> int | None:
    """The page tree's own count, when it states one."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
    except Exception:
        return None
    return count if isinstance(count, int) else None


def _is_password_error(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 5:
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name or "password" in str(exc).lower():
            return True
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = exc.__cause__ or exc.__context__ or inner
        seen += 1
    return False


def _read_page(index: int, page) -> _Page:
    glyphs = page_glyphs(page)
    rules = page_rules(page)
    mark_struck(glyphs, rules)
    regions = find_regions(page)
    buckets: list[list[Glyph]] = [[] for _ in regions]
    free: list[Glyph] = []
    for g in glyphs:
        hit = in_region(g, regions)
        (free if hit is None else buckets[hit]).append(g)
    height = float(page.height)
    lines = drop_page_numbers(make_lines(free, index), height)
    return _Page(index, float(page.width), height, lines, rules, regions, buckets)


def _body_size(pages: list[_Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size, 1)] += len(line.glyphs)
    return sizes.most_common(1)[0][0] if sizes else 12.0


def _edge(values: list[float], highest: bool) -> float:
    """The text area's edge: the outermost position at least two other lines share
    (justified lines end together); a lone line sticking out does not move it."""
    ordered = sorted(values, reverse=highest)
    for v in ordered:
        if sum(1 for w in values if abs(w - v) <= 1.5) >= 3:
            return v
    return ordered[0]


def _frame(lines: list[Line], page: _Page) -> Frame:
    if not lines:
        return Frame(0.0, page.width)
    return Frame(_edge([x.x0 for x in lines], False), _edge([x.x1 for x in lines], True))


class _Flow:
    """Blocks in reading order; consecutive body lines wait here to become paragraphs."""

    def __init__(self, pitches: dict[float, float]) -> None:
        self.pitches = pitches
        self.blocks: list[Block] = []
        self.built: list[Built] = []  # body paragraphs, in order
        self.inner: list[Built] = []  # paragraphs of table cells and the header
        self.pending: list[Placed] = []
        self.last_table: Table | None = None  # the previous block, when a table
        self.last_page = -1  # the page the previous block's table ends on

    def line(self, placed: Placed) -> None:
        self.pending.append(placed)

    def flush(self) -> None:
        if not self.pending:
            return
        for built in paragraphs(self.pending, self.pitches):
            self.blocks.append(built.paragraph)
            self.built.append(built)
        self.pending = []
        self.last_table = None

    def table(self, table: Table, page: int) -> None:
        self.flush()
        if is_text_box(table):
            for p in table.rows[0][0].paragraphs:
                if p.text.strip():
                    p.in_textbox = True
                    self.blocks.append(p)
            return
        if (self.last_table is not None and page > self.last_page
                and merge_continued(self.last_table, table)):
            self.last_page = page  # the same table, continued after a page break
            return
        self.blocks.append(table)
        self.last_table, self.last_page = table, page


def _page_items(page: _Page, body: list[Line], flow: _Flow) -> list[object]:
    """The page's blocks-to-be, top to bottom: its lines, its tables and (on the first page)
    the two-column header."""
    items: list[tuple[float, int, object]] = []
    if page.index == 0:
        head = header_gutter(body, page.width)
        if head is not None:
            k, split = head
            table = header_table(body[:k], split, 0, flow.pitches, flow.inner)
            items.append((body[0].top, 0, table))
            body = body[k:]
    frame = _frame(body, page)
    items += [(line.top, 1, Placed(line, frame)) for line in body]
    for region, glyphs in zip(page.regions, page.region_glyphs, strict=False):
        table = build_table(region, glyphs, page.index, flow.pitches, flow.inner)
        items.append((region.bbox[1], 1, table))
    items.sort(key=lambda item: (item[0], item[1]))
    return [item for _, _, item in items]


def _layout(pages: list[_Page], body_size: float, pitches: dict[float, float]) -> _Flow:
    flow = _Flow(pitches)
    for page in pages:
        left = _frame(page.lines, page).left
        body, page.notes = split_footnotes(page.lines, page.rules, body_size, left,
                                           page.width, page.height)
        for item in _page_items(page, body, flow):
            if isinstance(item, Placed):
                flow.line(item)
            else:
                assert isinstance(item, Table)
                flow.table(item, page.index)
    flow.flush()
    return flow


def _attach_notes(flow: _Flow, pages: list[_Page]) -> int:
    """Each footnote goes to the paragraph of its page that carries its mark."""
    count = 0
    for page in pages:
        for note in page.notes:
            target = _note_target(flow.built, page.index, note.mark)
            if target is not None:
                target.paragraph.footnotes.append(Footnote(id=note.mark, text=note.text))
                count += 1
    return count


def _note_target(built: list[Built], page: int, mark: str) -> Built | None:
    fallback = None
    for b in built:
        if b.page > page:
            break
        if b.page <= page and (page, mark) in b.marks:
            return b
        fallback = b
    return fallback


def _decode_legacy(flow: _Flow, pages: list[_Page]) -> bool:
    """Guess legacy text per paragraph (and footnote). Text too short to tell is decoded
    when most guessed paragraphs in its font family were legacy (the substitute font
    LibreOffice drew the lost .VnTime / VNI-Times text in)."""
    items: list[tuple[object, str, str, bool]] = []  # (owner, text, font family, bold)
    for b in [*flow.built, *flow.inner]:
        if not b.legacy:
            items.append((b.paragraph, b.paragraph.text, b.font, b.paragraph.bold))
    for page in pages:
        for note in page.notes:
            items.append((note, note.text, note.font, False))
    guesses = [encoding.guess(text) for _, text, _, _ in items]
    votes: dict[str, Counter[str]] = {}
    for (_, text, font, _), guess in zip(items, guesses, strict=False):
        vote = guess or ("unicode" if not encoding.could_be(text) and text.strip() else None)
        if vote:
            votes.setdefault(font, Counter())[vote] += 1
    changed = False
    for (owner, text, font, bold), guess in zip(items, guesses, strict=False):
        enc = guess or _family_encoding(votes.get(font), text)
        if enc is None:
            continue
        owner.text = encoding.decode(text, enc, bold)  # type: ignore[attr-defined]
        if isinstance(owner, Paragraph):
            letters = [c for c in owner.text if c.isalpha()]
            owner.caps = bool(letters) and owner.text.upper() == owner.text
        changed = True
    return changed


def _family_encoding(votes: Counter[str] | None, text: str) -> str | None:
    if not votes or not encoding.could_be(text):
        return None
    best, count = votes.most_common(1)[0]
    if best == "unicode" or count < 2 or count <= votes["unicode"]:
        return None
    return best


def _read(data: bytes) -> Document:
    pdf = _open(data)
    warnings: list[str] = []
    pages: list[_Page] = []
    try:
        for index, page in enumerate(pdf.pages):
            try:
                pages.append(_read_page(index, page))
            except Exception as exc:
                warnings.append(f"a PDF page could not be read ({type(exc).__name__})")
            finally:
                page.close()
    finally:
        pdf.close()
    if not any(p.lines or any(p.region_glyphs) for p in pages):
        raise ReadError("the PDF has no text layer (a scan?): it cannot be read")
    kept = drop_running_lines([p.lines for p in pages], [p.height for p in pages])
    for page, lines in zip(pages, kept, strict=False):
        page.lines = lines
    body_size = _body_size(pages)
    pitches = line_pitches([line for p in pages for line in p.lines])
    flow = _layout(pages, body_size, pitches)
    if _decode_legacy(flow, pages):
        warnings.append("legacy TCVN3/VNI text without its font name was decoded by guess")
    if _attach_notes(flow, pages):
        warnings.append("PDF footnotes were matched to their reference marks by position "
                        "(best effort)")
    return Document(blocks=flow.blocks, warnings=warnings, source_format="pdf")


def read_pdf(data: bytes) -> Document:
    """Read PDF bytes into the document model; ReadError for encrypted, damaged or
    image-only PDFs."""
    try:
        return _read(data)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("the PDF is malformed: structure nested too deeply") from None
    except Exception as exc:
        raise ReadError(f"the PDF could not be read: {type(exc).__name__}: {exc}") from None
