"""The report's header: issuing unit, report number and date (Hướng dẫn 36-HD/VPTW layout)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from parsers.dates import parse_date
from parsers.model import Document, Paragraph, Table
from parsers.result import UnitRef
from parsers.textnorm import collapse, fold, nfc
from parsers.units import Registry, Unit

_NUMBER = re.compile(
    r"^S[ốỐOo]\s*:?\s*(\d{1,4}\s*-?\s*[A-Za-zĐđ]{1,6}\s*/\s*[A-Za-zĐđ0-9\-]{1,12})"
)
_DATE_LINE = re.compile(
    r"ng[àa]y\s*\d{1,2}\s*(?:th[áa]ng\s*\d{1,2}\s*,?\s*n[ăa]m\s*\d{4}"
    r"|([/.\-])\s*\d{1,2}\s*\1\s*\d{4})",
    re.IGNORECASE,
)
# A date line of its own ("Việt Trì, ngày 5/7/2022"), not a date inside a sentence.
_PLACE_DATE = re.compile(r"^(?:[^\W\d][\w .]{0,30},\s*)?" + _DATE_LINE.pattern + r"\s*\.?$",
                         re.IGNORECASE)
# Folded prefixes of a party organisation's name.
_ORG = re.compile(r"^(?:chi bo|dang bo|dang uy|chi uy|ban can su|dang doan)\b")
# The superior body is named by its level: "ĐẢNG BỘ KHỐI …", "ĐẢNG UỶ KHỐI …", "ĐẢNG BỘ TỈNH …".
_SUPERIOR = re.compile(
    r"^(?:(?:dang bo|dang uy|ban chap hanh dang bo)\s+(?:khoi|tinh|thanh pho|huyen|quan)\b"
    r"|(?:tinh uy|thanh uy|huyen uy|quan uy)\b)"
)
_PREFIXES = re.compile(
    r"^(?:(?:chi bo|dang bo|dang uy|chi uy|co so|co quan|bch|ban chap hanh)\s+)+"
)
_SUFFIXES = re.compile(r"(?:\s+(?:tinh phu tho|phu tho|tinh))+$")
_TEXT_UNIT = re.compile(
    r"\b((?:Chi bộ|Đảng bộ|Đảng [uU][ỷỶ]|Đảng [uU][ỶỷủỦ]y|Chi [uU][ỷủ]y?)"
    r"(?:\s+(?:cơ sở|cơ quan))?(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ&]*)+)"
)
_HEADER_BLOCKS = 25


@dataclass
class Header:
    unit: UnitRef
    report_number: str | None
    report_date: str | None
    warnings: list[str] = field(default_factory=list)


def unit_key(name: str) -> str:
    """A unit name reduced for comparison: folded, without party prefixes and place suffixes."""
    key = fold(name).replace("uy ban", "uyban")
    key = _PREFIXES.sub("", key)
    key = _SUFFIXES.sub("", key)
    return key.replace("uyban", "uy ban").strip()


def _header_lines(doc: Document) -> list[str]:
    """Lines of the first blocks: paragraphs, cells (column by column), text boxes, tab columns."""
    lines: list[str] = []
    tables_seen = 0
    for block in doc.blocks[:_HEADER_BLOCKS]:
        if isinstance(block, Table):
            tables_seen += 1
            if tables_seen > 2:
                break
            ncols = max((len(r) for r in block.rows), default=0)
            for c in range(ncols):
                for row in block.rows:
                    if c < len(row) and not row[c].merged_from_above:
                        for p in row[c].paragraphs:
                            lines.extend(_split(p))
        else:
            lines.extend(_split(block))
    lines = [line for line in lines if line]
    # The header ends at the title ("BÁO CÁO"); body sentences must not be read as names.
    for i, line in enumerate(lines):
        if fold(line) == "bao cao":
            return lines[:i]
    return lines


def _split(p: Paragraph) -> list[str]:
    parts = re.split(r"[\n\t]|\s{4,}", nfc(p.text))
    return [collapse(x) for x in parts if x.strip()]



@dataclass(frozen=True)
class _Alias:
    unit: Unit
    key: str  # unit_key of the name or alias
    folded: str  # fold of the name or alias


@dataclass(frozen=True)
class _AliasIndex:
    rows: tuple[_Alias, ...]
    exact: dict[str, Unit]  # unit_key → the first unit that has it
    keys: list[str]  # unit_key of every row with one, for rapidfuzz
    key_units: list[Unit]


_INDEXES: dict[int, tuple[tuple[Unit, ...], _AliasIndex]] = {}


def _index(registry: Registry) -> _AliasIndex:
    """Every unit's name and aliases, reduced once per registry (they are constant)."""
    hit = _INDEXES.get(id(registry.units))
    if hit is None or hit[0] is not registry.units:
        if len(_INDEXES) > 16:
            _INDEXES.clear()
        rows = tuple(
            _Alias(unit, unit_key(alias), fold(alias))
            for unit in registry.units
            for alias in (unit.name, *unit.aliases)
        )
        keyed = [row for row in rows if row.key]
        exact: dict[str, Unit] = {}
        for row in keyed:
            exact.setdefault(row.key, row.unit)
        index = _AliasIndex(rows, exact, [r.key for r in keyed], [r.unit for r in keyed])
        hit = _INDEXES[id(registry.units)] = (registry.units, index)
    return hit[1]


def resolve_unit(name: str, registry: Registry) -> tuple[Unit | None, float]:
    """The registry unit a written name refers to, and how sure (0-100)."""
    key = unit_key(name)
    if not key:
        return None, 0.0
    index = _index(registry)
    if key in index.exact:
        return index.exact[key], 100.0
    # One C-level pass over all keys: the registry may hold thousands of aliases.
    best = process.extractOne(key, index.keys, scorer=fuzz.ratio, processor=None)
    if best is None:
        return None, 0.0
    score = float(best[1])
    return (index.key_units[best[2]], score) if score >= 88 else (None, score)


# PDF text can run the two header columns together: "SẢN VIỆT NAM CHI BỘ HỘI …".
_CPV = re.compile(r"đảng\s+cộng(?:\s+sản(?:\s+việt\s+nam)?)?\s*$|^\s*sản\s+việt\s+nam",
                  re.IGNORECASE)
_ORG_WORD = re.compile(r"\b(?:chi bộ|đảng bộ|đảng u[ỷủ]y?|đảng ủy|chi u[ỷủ]y?|chi ủy)\b",
                       re.IGNORECASE)


def _split_columns(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if fold(line).startswith("dang cong san viet nam"):
            out.append(line)
            continue
        line = _CPV.sub("", line).strip()
        m = _ORG_WORD.search(line)
        if m and m.start() > 0:
            # Another column's text before the organisation's name ("… CHI BỘ HỘI …").
            out += [line[: m.start()].strip(), line[m.start() :].strip()]
        elif line:
            out.append(line)
    return out


def _unit_lines(lines: list[str]) -> list[str]:
    """Header lines naming a party organisation, grassroots first (superiors last)."""
    lines = _split_columns(lines)
    out: list[str] = []
    for idx, line in enumerate(lines):
        f = fold(line)
        if not _ORG.match(f) or f.startswith("dang cong san") or len(f.split()) > 14:
            continue
        name = line
        # A long name may wrap onto the next header line.
        if idx + 1 < len(lines):
            nxt = lines[idx + 1]
            nf = fold(nxt)
            if (nxt.isupper() and nf and not _ORG.match(nf) and not nf.startswith("dang cong san")
                    and not nf.startswith("so ") and any(ch.isalpha() for ch in nxt)
                    and len(nf.split()) <= 8 and not _DATE_LINE.search(nxt)):
                name = f"{line} {nxt}"
        out.append(name)
    grassroots = [n for n in out if not _SUPERIOR.match(fold(n))]
    return grassroots + [n for n in reversed(out) if _SUPERIOR.match(fold(n))]


def _display(name: str) -> str:
    """Header lines are in capitals; keep them as written but NFC and single-spaced."""
    return collapse(name)


def _text_unit(doc: Document, registry: Registry | None) -> tuple[Unit | None, str | None]:
    """A unit named in the first body paragraphs ("Chi bộ Sở Tư pháp báo cáo …")."""
    paragraphs = [b for b in doc.blocks[:60] if isinstance(b, Paragraph)]
    text = " ".join(collapse(p.text) for p in paragraphs)
    if registry is not None:
        folded = f" {fold(text)} "
        best: tuple[Unit | None, int, str | None] = (None, 0, None)
        for row in _index(registry).rows:
            fa = row.folded
            if len(fa) >= 6 and len(fa) > best[1] and f" {fa} " in folded:
                best = (row.unit, len(fa), fa)
        if best[0] is not None:
            return best[0], best[0].name
    m = _TEXT_UNIT.search(text)
    return None, (m.group(1) if m else None)


def read_header(doc: Document, registry: Registry | None) -> Header:
    """Unit, report number and date from the header (falling back to the text)."""
    lines = _header_lines(doc)
    warnings: list[str] = []
    number = None
    for line in lines:
        m = _NUMBER.search(line)
        if m:
            number = re.sub(r"\s+", "", m.group(1))
            break
    date = None
    for line in lines:
        if _DATE_LINE.search(line):
            date = parse_date(line)
            if date:
                break
    if date is None:
        # A date on its own line near the signature.
        tail = [collapse(b.text) for b in doc.blocks[-30:] if isinstance(b, Paragraph)]
        for line in tail:
            if _PLACE_DATE.match(line):
                date = parse_date(line)
                if date:
                    break
    unit = UnitRef()
    candidates = _unit_lines(lines)
    if registry is not None:
        scored = [(resolve_unit(c, registry), c) for c in candidates]
        hit = max(scored, key=lambda x: x[0][1], default=None)
        if hit is not None and hit[0][0] is not None:
            unit = UnitRef(id=hit[0][0].id, name=hit[0][0].name, source="header")
    if unit.id is None and candidates:
        unit = UnitRef(id=None, name=_display(candidates[0]), source="header")
    if unit.id is None and (registry is not None or unit.name is None):
        found, name = _text_unit(doc, registry)
        if found is not None:
            unit = UnitRef(id=found.id, name=found.name, source="text")
        elif unit.name is None and name:
            unit = UnitRef(id=None, name=name, source="text")
    if unit.name is None:
        warnings.append("the reporting unit is not named in the header")
    if date is None:
        warnings.append("no report date found")
    return Header(unit=unit, report_number=number, report_date=date, warnings=warnings)
