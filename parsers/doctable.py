"""The statistics table of directing documents (campaign.documents_table) → DocumentRow."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from parsers.campaign import Campaign
from parsers.dates import parse_date
from parsers.model import Document, Table
from parsers.result import DocumentRow
from parsers.textnorm import collapse, fold

# Header wordings units use for the standard column ids, besides the campaign's own.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "tt", "so thu tu"),
    "so_hieu": ("so hieu", "so ky hieu", "so hieu van ban", "ky hieu", "so van ban"),
    "ten_van_ban": ("ten van ban", "trich yeu", "trich yeu noi dung", "noi dung", "ten loai van ban"),
    "ngay_ban_hanh": ("ngay ban hanh", "ngay thang", "ngay thang nam", "thoi gian ban hanh", "ngay"),
}
_TOTAL = re.compile(r"^(?:tong cong|tong so)\b|^(?:tong|cong)$")  # not "Công văn …"
_ONLY_NUMBERING = re.compile(r"^[\s()0-9.]*$")
_NUMBER_PREFIX = re.compile(r"^s[ốo]\s*:?\s*", re.IGNORECASE)
# "90-KH/CB, ngày 07/05/2017" or "05-KH/CB ngày 10/3/2017": number and date in one cell.
_NUMBER_AND_DATE = re.compile(
    r"^(?P<number>.+?)[\s,;]+(?P<date>ngày\b.*|\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4})$",
    re.IGNORECASE)
_CONTINUATION_GAP = 3  # short paragraphs ("(tiếp theo)") allowed between a table and its continuation


_TERMS: dict[int, tuple[Campaign, dict[str, tuple[str, ...]]]] = {}
# Header cell text → its column, per terms object: header wordings repeat across reports.
_CELL_MEMO: dict[tuple[int, str], tuple[str | None, float]] = {}


def _column_terms(campaign: Campaign) -> dict[str, tuple[str, ...]]:
    """The campaign's column terms, folded once per campaign object (they are constant)."""
    hit = _TERMS.get(id(campaign))
    if hit is None or hit[0] is not campaign:
        if len(_TERMS) > 16:
            _TERMS.clear()
            _CELL_MEMO.clear()
        hit = _TERMS[id(campaign)] = (campaign, _build_terms(campaign))
    return hit[1]


def _build_terms(campaign: Campaign) -> dict[str, tuple[str, ...]]:
    spec = campaign.documents_table
    if spec is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for i, col in enumerate(spec.columns):
        header = spec.headers[i] if i < len(spec.headers) else col
        out[col] = (fold(header), *_SYNONYMS.get(col, ()))
    return out


def _cell_column(cell: str, terms: dict[str, tuple[str, ...]]) -> tuple[str | None, float]:
    if len(cell) > 200:
        return _score_cell(cell, terms)  # body text, not worth remembering
    # Cached terms objects live as long as _TERMS holds them, so their id is stable here.
    memo_key = (id(terms), cell)
    hit = _CELL_MEMO.get(memo_key)
    if hit is None:
        if len(_CELL_MEMO) > 50_000:  # a long-running intake must not grow without bound
            _CELL_MEMO.clear()
        hit = _CELL_MEMO[memo_key] = _score_cell(cell, terms)
    return hit


def _score_cell(cell: str, terms: dict[str, tuple[str, ...]]) -> tuple[str | None, float]:
    text = fold(cell)
    if not text or len(text) > 60:
        return None, 0.0
    best: tuple[str | None, float] = (None, 0.0)
    for col, words in terms.items():
        for w in words:
            score = 100.0 if text == w else fuzz.ratio(text, w, processor=None)
            if len(w) > 3 and w in text:
                score = max(score, 90.0)
            if score > best[1]:
                best = (col, score)
    return best if best[1] >= 80 else (None, 0.0)


def _header_map(row: list[str], terms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Column id → cell index, for a row that reads as the table's header."""
    found: dict[str, tuple[int, float]] = {}
    for idx, cell in enumerate(row):
        if idx > 0 and row[idx] == row[idx - 1]:
            continue  # a horizontally merged cell repeats its text
        col, score = _cell_column(cell, terms)
        if col and (col not in found or score > found[col][1]):
            found[col] = (idx, score)
    return {col: idx for col, (idx, _) in found.items()}


def _find_header(table: Table, terms: dict[str, tuple[str, ...]]) -> tuple[int, dict[str, int]]:
    """Index of the (last) header row and the column map; -1 when the table has none."""
    texts = [[c.text for c in row] for row in table.rows[:5]]  # only the rows looked at
    for r, row in enumerate(texts):
        mapping = _header_map(row, terms)
        data_cols = [c for c in mapping if c != "stt"]
        if len(data_cols) >= 2:
            # A two-row header (a merged "Văn bản" over "Số hiệu" | "Tên"): take the other
            # row's columns too, and read data after both rows.
            last = r
            for other in (r - 1, r + 1):
                if 0 <= other < len(texts):
                    extra = _header_map(texts[other], terms)
                    if extra and not any(parse_date(t) for t in texts[other]):
                        for col, idx in extra.items():
                            if col not in mapping and idx not in mapping.values():
                                mapping[col] = idx
                        last = max(last, other)
            return last, mapping
    return -1, {}


def _cell(row: list[str], mapping: dict[str, int], col: str) -> str:
    idx = mapping.get(col)
    return collapse(row[idx]) if idx is not None and idx < len(row) else ""


def is_documents_table(table: Table, campaign: Campaign) -> bool:
    """Whether `table` is the campaign's statistics table (by its header row)."""
    terms = _column_terms(campaign)
    if not terms or not table.rows:
        return False
    return _is_documents_header(*_find_header(table, terms))


def _is_documents_header(r: int, mapping: dict[str, int]) -> bool:
    return r >= 0 and ("so_hieu" in mapping or "ten_van_ban" in mapping) and len(mapping) >= 2


def read_documents_table(doc: Document, campaign: Campaign) -> tuple[list[DocumentRow], list[str]]:
    """Every row of every statistics table in the document, and warnings."""
    terms = _column_terms(campaign)
    rows: list[DocumentRow] = []
    warnings: list[str] = []
    if not terms:
        return rows, warnings
    previous: tuple[int, dict[str, int], int] | None = None  # (block index, mapping, columns)
    for index, block in enumerate(doc.blocks):
        if not isinstance(block, Table) or not block.rows:
            continue
        header_row, mapping = _find_header(block, terms)  # once: it also decides the table
        texts = block.texts()
        if not _is_documents_header(header_row, mapping):
            if previous is None or not _continues(doc, previous, index, texts):
                continue
            header_row, mapping = -1, previous[1]  # the table goes on after a page break
        previous = (index, mapping, len(texts[0]))
        header_texts = [fold(t) for t in texts[header_row]] if header_row >= 0 else []
        for row in texts[header_row + 1 :]:
            folded = [fold(t) for t in row]
            if folded == header_texts or not any(folded):
                continue
            if all(_ONLY_NUMBERING.match(t) for t in row):
                continue  # "(1) (2) (3) (4)" column numbering row
            if any(_TOTAL.match(t) for t in folded[:2]) or len(set(folded)) == 1:
                continue  # totals, or a title row merged across the table

            so_hieu = _NUMBER_PREFIX.sub("", _cell(row, mapping, "so_hieu")).strip()
            ten = _cell(row, mapping, "ten_van_ban")
            written = _cell(row, mapping, "ngay_ban_hanh")
            # Number and date in one cell, under either heading ("Số, ngày ban hành").
            both = (_NUMBER_AND_DATE.match(so_hieu) if not written
                    else _NUMBER_AND_DATE.match(written) if not so_hieu else None)
            if both and parse_date(both["date"]):
                so_hieu = _NUMBER_PREFIX.sub("", both["number"]).strip()
                written = both["date"]
            if not so_hieu and not ten:
                continue
            iso = parse_date(written) if written else None
            if written and iso is None:
                warnings.append(f"documents table: unreadable date {written!r} for {so_hieu!r}")
            rows.append(DocumentRow(so_hieu=so_hieu, ten_van_ban=ten, ngay_ban_hanh=iso))
    return rows, warnings


def _continues(doc: Document, previous: tuple[int, dict[str, int], int], index: int,
               texts: list[list[str]]) -> bool:
    """A header-less table right after a statistics table (a page break, "(tiếp theo)"
    between them), with as many columns and a numbered first row, continues it."""
    last_index, mapping, columns = previous
    between = doc.blocks[last_index + 1 : index]
    if any(isinstance(b, Table) for b in between):
        return False
    notes = [b.text for b in between if b.text.strip()]
    if len(notes) > _CONTINUATION_GAP or any(len(t.split()) > 12 for t in notes):
        return False
    first = texts[0]
    stt = mapping.get("stt")
    numbered = stt is not None and stt < len(first) and first[stt].strip().rstrip(".").isdigit()
    return len(first) == columns and numbered
