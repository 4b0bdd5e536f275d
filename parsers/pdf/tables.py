"""Ruled tables (pdfplumber finds their cells from the drawn borders), the borderless
two-column header, and tables continued across a page break."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from parsers.model import Cell, Paragraph, Table
from parsers.pdf.glyphs import Glyph
from parsers.pdf.lines import Line, make_lines
from parsers.pdf.paragraphs import Built, Frame, Placed, join_texts, make_paragraph, paragraphs

MAX_TABLES_PER_PAGE = 50
_MIN_EDGES = 4  # fewer drawn segments than this cannot enclose a cell
_MAX_EDGES = 3_000  # more is a drawing, not a report's table: not worth the search

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class Region:
    """A ruled table on a page: its box and its grid of cell boxes (None = covered)."""

    bbox: Box
    grid: list[list[Box | None]]


def find_regions(page) -> list[Region]:
    edges = len(page.lines) + len(page.rects)
    if not _MIN_EDGES <= edges <= _MAX_EDGES:
        return []
    regions: list[Region] = []
    for table in page.find_tables()[:MAX_TABLES_PER_PAGE]:
        grid = [list(row.cells) for row in table.rows]
        if grid and any(any(c is not None for c in row) for row in grid):
            regions.append(Region(tuple(table.bbox), grid))
    return regions


def _inside(g: Glyph, box: Box) -> bool:
    x = (g.x0 + g.x1) / 2
    y = g.base - 0.3 * g.size
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def in_region(g: Glyph, regions: list[Region]) -> int | None:
    for i, region in enumerate(regions):
        if _inside(g, region.bbox):
            return i
    return None


def _forced(a: Line, b: Line, box: Box) -> bool:
    """a is one word cut where the cell ends (too long for it): b goes on without a space."""
    if any(ch.isspace() for ch in a.text) or not b.glyphs:
        return False
    return a.x1 + (b.glyphs[0].x1 - b.glyphs[0].x0) > box[2] - 2.0


def cell_paragraphs(lines: list[Line], pitches: dict[float, float], box: Box,
                    sink: list[Built]) -> list[Paragraph]:
    """A cell's lines: wrapped lines are one paragraph; a gap or a style change splits."""
    if not lines:
        return [Paragraph(text="")]
    groups: list[list[Line]] = [[lines[0]]]
    glued: set[int] = set()  # lines that continue a word cut at the cell's edge
    for a, b in zip(lines, lines[1:], strict=False):
        pitch = pitches.get(round(max(a.size, b.size)))
        gap = pitch is not None and b.base - a.base > pitch * 1.15 + 0.5
        if gap or a.bold != b.bold or abs(a.size - b.size) > 0.6:
            groups.append([b])
        else:
            groups[-1].append(b)
            if _forced(a, b, box):
                glued.add(id(b))
    out = []
    for group in groups:
        frame = Frame(min(x.x0 for x in group), max(x.x1 for x in group))
        built = make_paragraph([Placed(x, frame) for x in group])
        text = ""
        for line in group:
            text = text + line.text if id(line) in glued else join_texts([text, line.text])
        built.paragraph.text = unicodedata.normalize("NFC", text.replace("\t", " "))
        sink.append(built)
        out.append(built.paragraph)
    return out


def _grid_lines(region: Region) -> tuple[list[float], list[float]]:
    """Left edge of every grid column and top edge of every grid row."""
    grid = region.grid
    cols = [min((row[k][0] for row in grid if k < len(row) and row[k] is not None),
                default=region.bbox[0]) for k in range(len(grid[0]))]
    rows = [min((b[1] for b in row if b is not None), default=region.bbox[1]) for row in grid]
    return cols, rows


def _origin(region: Region, lines: tuple[list[float], list[float]], r: int,
            c: int) -> tuple[int, int] | None:
    """The cell whose box covers grid position (r, c): a span or a vertical merge."""
    cols, rows = lines
    x_end = cols[c + 1] if c + 1 < len(cols) else region.bbox[2]
    y_end = rows[r + 1] if r + 1 < len(rows) else region.bbox[3]
    cx, cy = (cols[c] + x_end) / 2, (rows[r] + y_end) / 2
    for rr in range(r, -1, -1):
        for cc in range(c, -1, -1):
            row = region.grid[rr]
            box = row[cc] if cc < len(row) else None
            if box is not None and box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                return rr, cc
    return None


def build_table(region: Region, glyphs: list[Glyph], page: int,
                pitches: dict[float, float], sink: list[Built]) -> Table:
    cells: dict[tuple[int, int], Cell] = {}
    bins: dict[tuple[int, int], list[Glyph]] = {}
    boxes = [((r, c), box) for r, row in enumerate(region.grid)
             for c, box in enumerate(row) if box is not None]
    for g in glyphs:
        for key, box in boxes:
            if _inside(g, box):
                bins.setdefault(key, []).append(g)
                break
    for key, box in boxes:
        lines = make_lines(bins.get(key, []), page)
        cells[key] = Cell(paragraphs=cell_paragraphs(lines, pitches, box, sink))
    rows: list[list[Cell]] = []
    grid_lines = _grid_lines(region)
    for r, row in enumerate(region.grid):
        out: list[Cell] = []
        for c, box in enumerate(row):
            if box is not None:
                out.append(cells[(r, c)])
                continue
            origin = _origin(region, grid_lines, r, c)
            if origin is None:
                out.append(Cell(paragraphs=[Paragraph(text="")]))
            elif origin[0] == r:
                out.append(out[origin[1]])  # a horizontal span repeats its cell
            else:
                above = cells[origin]
                out.append(Cell(paragraphs=above.paragraphs, merged_from_above=True))
        rows.append(out)
    return Table(rows=rows)


def is_text_box(table: Table) -> bool:
    """A framed single cell: a bordered text box, not a table."""
    return len(table.rows) == 1 and len({id(c) for c in table.rows[0]}) == 1


def _same_row(a: list[Cell], b: list[Cell]) -> bool:
    return [c.text for c in a] == [c.text for c in b]


def merge_continued(first: Table, second: Table) -> bool:
    """Append `second` (the next page's part of the same table) to `first`: heading rows
    repeated on the new page are dropped, and a row broken by the page is joined up."""
    if not first.rows or not second.rows or len(first.rows[0]) != len(second.rows[0]):
        return False
    repeated = 0
    while (repeated < len(second.rows) and repeated < len(first.rows)
           and _same_row(first.rows[repeated], second.rows[repeated])):
        repeated += 1
    rest = second.rows[repeated:]
    if rest and not rest[0][0].text and first.rows[-1][0].text:
        _join_rows(first.rows[-1], rest[0])  # no number of its own: the rest of a row
        rest = rest[1:]
    first.rows.extend(rest)
    return True


def _join_rows(upper: list[Cell], lower: list[Cell]) -> None:
    seen: set[int] = set()
    for top, bottom in zip(upper, lower, strict=False):
        if id(top) in seen or not bottom.text:
            continue
        seen.add(id(top))
        if not top.paragraphs or not top.paragraphs[-1].text:
            top.paragraphs = list(bottom.paragraphs)
            continue
        last, head = top.paragraphs[-1], bottom.paragraphs[0]
        last.text = join_texts([last.text, head.text])  # in place: decoding comes later
        last.bold = last.bold and head.bold
        last.italic = last.italic and head.italic
        top.paragraphs = [*top.paragraphs, *bottom.paragraphs[1:]]


def header_gutter(lines: list[Line], page_width: float) -> tuple[int, float] | None:
    """The leading lines set as two columns side by side (the borderless header table):
    how many lines, and the x of the gap between the columns."""
    bins = [False] * (int(page_width) + 2)
    lo, hi = int(0.3 * page_width), int(0.7 * page_width)
    best: tuple[int, float] | None = None
    left = right = 0  # lines with text on each side: a header has two or more on each
    for k, line in enumerate(lines[:30]):
        for g in line.glyphs:
            if g.text.strip():
                for x in range(max(int(g.x0), 0), min(int(g.x1) + 1, len(bins))):
                    bins[x] = True
        gap = _widest_gap(bins, lo, hi)
        if gap is None:
            break
        x = (gap[0] + gap[1]) / 2
        left += any(g.x1 < x for g in line.glyphs if g.text.strip())
        right += any(g.x0 > x for g in line.glyphs if g.text.strip())
        if left >= 2 and right >= 2:
            best = (k + 1, x)
    return best


def _widest_gap(bins: list[bool], lo: int, hi: int) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    start = None
    for x in range(lo, hi + 1):
        if not bins[x]:
            if start is None:
                start = x
            if best is None or x - start > best[1] - best[0]:
                best = (start, x)
        else:
            start = None
    return best if best is not None and best[1] - best[0] >= 5 else None


def header_table(lines: list[Line], split: float, page: int,
                 pitches: dict[float, float], sink: list[Built]) -> Table:
    """The header zone's two columns → a borderless one-row table."""
    cells: list[Cell] = []
    for side in (0, 1):
        glyphs = [g for line in lines for g in line.glyphs
                  if ((g.x0 + g.x1) / 2 < split) == (side == 0)]
        col = make_lines(glyphs, page)
        if not col:
            cells.append(Cell(paragraphs=[Paragraph(text="")]))
            continue
        frame = Frame(min(x.x0 for x in col), max(x.x1 for x in col), centred=True)
        built: list[Built] = paragraphs([Placed(x, frame) for x in col], pitches)
        sink.extend(built)
        cells.append(Cell(paragraphs=[b.paragraph for b in built]))
    return Table(rows=[cells], borderless=True)
