"""The campaign: outline, statistics form and indicator list, loaded from TOML.

The schema is the one of `config/campaign-ct07-2022.toml`; another campaign with
another outline or other indicators is a new file, not new code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, time


@dataclass(frozen=True)
class OutlineSection:
    id: str  # stable key, e.g. "P2.I.3"
    label: str  # label as the outline prints it: "PHẦN THỨ NHẤT", "I", "1"
    title: str
    level: int  # 1 = part, 2, 3 (from the id's depth)
    parent: str | None
    note: str = ""


@dataclass(frozen=True)
class DocumentsTable:
    id: str
    title: str
    columns: tuple[str, ...]
    headers: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    label: str
    terms: tuple[str, ...]
    unit: str | None = None  # "VND" for money; None for counts
    synonyms: tuple[str, ...] = ()  # further wordings units use, matched like terms


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    issuer: str
    issuer_parent: str
    place: str
    period: str
    timezone: str
    opens: date
    unit_deadline: date  # inclusive, in `timezone`
    draft_deadline: date
    digest_time: time
    report_symbol: str
    sections: tuple[OutlineSection, ...]
    documents_table: DocumentsTable | None
    indicators: tuple[IndicatorDef, ...]
    mailbox: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def section(self, section_id: str) -> OutlineSection:
        return self._by_id[section_id]

    @property
    def _by_id(self) -> dict[str, OutlineSection]:
        return {s.id: s for s in self.sections}

    def indicator(self, indicator_id: str) -> IndicatorDef:
        return next(i for i in self.indicators if i.id == indicator_id)


def _parent(section_id: str) -> str | None:
    return section_id.rsplit(".", 1)[0] if "." in section_id else None


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def campaign_from_toml(text: str) -> Campaign:
    """Build a Campaign from the text of a campaign TOML file."""
    data = tomllib.loads(text)
    head = data["campaign"]
    sections = tuple(
        OutlineSection(
            id=s["id"],
            label=s.get("label", ""),
            title=s["title"],
            level=s["id"].count(".") + 1,
            parent=_parent(s["id"]),
            note=s.get("note", ""),
        )
        for s in data.get("sections", [])
    )
    table = data.get("documents_table")
    documents_table = (
        DocumentsTable(
            id=table["id"],
            title=table.get("title", ""),
            columns=tuple(table["columns"]),
            headers=tuple(table.get("headers", table["columns"])),
        )
        if table
        else None
    )
    indicators = tuple(
        IndicatorDef(id=i["id"], label=i.get("label", i["id"]), terms=tuple(i.get("terms", [])),
                     unit=i.get("unit"), synonyms=tuple(i.get("synonyms", [])))
        for i in data.get("indicators", [])
    )
    hh, mm = str(head.get("digest_time", "07:30")).split(":")
    return Campaign(
        id=head["id"],
        title=head["title"],
        issuer=head.get("issuer", ""),
        issuer_parent=head.get("issuer_parent", ""),
        place=head.get("place", ""),
        period=head.get("period", ""),
        timezone=head.get("timezone", "Asia/Ho_Chi_Minh"),
        opens=_as_date(head.get("opens", head["unit_deadline"])),
        unit_deadline=_as_date(head["unit_deadline"]),
        draft_deadline=_as_date(head.get("draft_deadline", head["unit_deadline"])),
        digest_time=time(int(hh), int(mm)),
        report_symbol=head.get("report_symbol", "BC"),
        sections=sections,
        documents_table=documents_table,
        indicators=indicators,
        mailbox=head.get("mailbox", ""),
        extra={k: v for k, v in head.items()},
    )
