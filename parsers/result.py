"""What parsing one report yields: the records of `tonghop parse` (CONTRACT.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class UnitRef:
    id: str | None = None  # registry id, or None when unknown / no registry
    name: str | None = None  # as written in the document (or the registry name)
    source: str = "none"  # "header" | "text" | "sender" | "none"


@dataclass
class Section:
    id: str | None  # canonical outline id, or None for a heading that matches none
    heading: str  # heading text without its label
    label: str  # typed or rendered label, e.g. "1", "I.", "PHẦN THỨ NHẤT"
    level: int  # 1-3 in the unit's own document
    confidence: float
    text: str  # the section's own body text (not its children's)
    # outline ids a merged heading covers besides `id` ("Hạn chế và nguyên nhân": P2.II.3)
    also_covers: list[str] = field(default_factory=list)


@dataclass
class Fact:
    indicator: str
    value: int | float
    qualifier: str | None  # None | "tren" | "hon" | "gan" | "khoang"
    section: str | None
    term: str
    sentence: str
    location: str = "body"  # "body" | "footnote" | "table"


@dataclass
class DocumentRow:
    so_hieu: str
    ten_van_ban: str
    ngay_ban_hanh: str | None  # ISO date


@dataclass
class ParseResult:
    file: str
    ok: bool = True
    error: str | None = None
    unit: UnitRef = field(default_factory=UnitRef)
    report_number: str | None = None
    report_date: str | None = None  # ISO date
    sections: list[Section] = field(default_factory=list)
    indicators: list[Fact] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object (`location` on each fact is an addition)."""
        return asdict(self)

    @classmethod
    def failed(cls, file: str, error: str) -> ParseResult:
        return cls(file=file, ok=False, error=error)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParseResult:
        return cls(
            file=data["file"],
            ok=data["ok"],
            error=data.get("error"),
            unit=UnitRef(**data.get("unit") or {}),
            report_number=data.get("report_number"),
            report_date=data.get("report_date"),
            sections=[Section(**s) for s in data.get("sections", [])],
            indicators=[Fact(**f) for f in data.get("indicators", [])],
            documents=[DocumentRow(**d) for d in data.get("documents", [])],
            warnings=list(data.get("warnings", [])),
        )
