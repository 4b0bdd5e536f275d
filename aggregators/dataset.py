"""The bloc-wide dataset as pandas tables: facts, totals, status, coverage, documents.

Pure: unit statuses in, DataFrames out. Only each unit's latest valid submission
(`UnitStatus.submission`) counts; earlier or failed submissions never reach a total.
"""

from __future__ import annotations

import pandas as pd

from aggregators.records import UnitStatus
from parsers.campaign import Campaign

FACT_COLUMNS = [
    "unit_id", "unit_name", "indicator", "value", "qualifier", "section",
    "file", "message_id", "sentence", "term", "location",
]
TOTAL_COLUMNS = ["indicator", "label", "value", "lower_bound", "units_reporting"]
SUBMISSION_COLUMNS = [
    "unit_id", "unit_name", "status", "submitted_at", "message_id", "file",
    "resubmissions", "errors",
]
SECTION_COLUMNS = ["unit_id", "unit_name", "section", "title", "level", "present", "confidence"]
DOCUMENT_COLUMNS = ["unit_id", "unit_name", "so_hieu", "ten_van_ban", "ngay_ban_hanh"]

# "trên"/"hơn" make a figure a lower bound; "gần"/"khoảng" are approximations, not bounds.
LOWER_BOUND_QUALIFIERS = frozenset({"tren", "hon"})


def _counted(statuses: list[UnitStatus]):
    """(status, result) for each unit whose latest valid submission parsed."""
    for status in statuses:
        sub = status.submission
        if sub is not None and sub.ok and sub.result is not None:
            yield status, sub, sub.result


def _as_numbers(series: pd.Series) -> pd.Series:
    """Integers when every value is whole (counts, đồng), floats otherwise."""
    values = pd.to_numeric(series, errors="coerce").fillna(0)
    if len(values) and (values == values.round()).all():
        return values.astype("int64")
    return values.astype("float64") if len(values) else values.astype("int64")


def facts_frame(statuses: list[UnitStatus], campaign: Campaign) -> pd.DataFrame:
    """One row per indicator fact of each unit's counted report (long table)."""
    rows = []
    for status, sub, result in _counted(statuses):
        for fact in result.indicators:
            rows.append((
                status.id, status.name, fact.indicator, fact.value, fact.qualifier, fact.section,
                sub.file or result.file, sub.message_id, fact.sentence, fact.term, fact.location,
            ))
    frame = pd.DataFrame.from_records(rows, columns=FACT_COLUMNS)
    frame["value"] = _as_numbers(frame["value"])
    return frame


def totals_frame(facts: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """One row per campaign indicator in campaign order: sum, lower-bound flag, unit count."""
    grouped = facts.assign(
        _bound=facts["qualifier"].isin(LOWER_BOUND_QUALIFIERS)
    ).groupby("indicator", sort=False)
    sums = grouped["value"].sum()
    bounds = grouped["_bound"].any()
    units = grouped["unit_id"].nunique()
    rows = []
    for ind in campaign.indicators:
        rows.append((
            ind.id, ind.label,
            sums.get(ind.id, 0), bool(bounds.get(ind.id, False)), int(units.get(ind.id, 0)),
        ))
    frame = pd.DataFrame.from_records(rows, columns=TOTAL_COLUMNS)
    frame["value"] = _as_numbers(frame["value"])
    frame["lower_bound"] = frame["lower_bound"].astype(bool)
    frame["units_reporting"] = frame["units_reporting"].astype("int64")
    return frame


def submissions_frame(statuses: list[UnitStatus]) -> pd.DataFrame:
    """Per registry unit: status, the submission that counts, resubmissions, errors."""
    rows = [
        (
            s.id, s.name, s.status,
            s.submitted_at.isoformat() if s.submitted_at else None,
            s.message_id, s.file, int(s.resubmissions), "; ".join(s.errors),
        )
        for s in statuses
    ]
    return pd.DataFrame.from_records(rows, columns=SUBMISSION_COLUMNS)


def _covered(present: dict[str, float], campaign: Campaign) -> dict[str, float]:
    """A part counts as present when any of its subsections is (units merge headings)."""
    covered = dict(present)
    for section in sorted(campaign.sections, key=lambda s: -s.level):
        if section.id in covered and section.parent:
            covered.setdefault(section.parent, covered[section.id])
    return covered


def sections_frame(statuses: list[UnitStatus], campaign: Campaign) -> pd.DataFrame:
    """Coverage, long: each counted unit × each outline section, present and confidence."""
    rows = []
    for status, _sub, result in _counted(statuses):
        present: dict[str, float] = {}
        for section in result.sections:
            for sid in ([section.id] if section.id else []) + section.also_covers:
                present[sid] = max(present.get(sid, 0.0), float(section.confidence))
        covered = _covered(present, campaign)
        for outline in campaign.sections:
            rows.append((
                status.id, status.name, outline.id, outline.title, outline.level,
                outline.id in covered, round(covered.get(outline.id, 0.0), 3),
            ))
    frame = pd.DataFrame.from_records(rows, columns=SECTION_COLUMNS)
    frame["present"] = frame["present"].astype(bool)
    frame["confidence"] = frame["confidence"].astype("float64")
    return frame


def sections_wide(sections: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """Coverage, wide: units (rows, report order) × outline sections (columns), confidence."""
    order = [s.id for s in campaign.sections]
    if sections.empty:
        return pd.DataFrame(columns=order, index=pd.Index([], name="unit_name"), dtype="float64")
    wide = sections.pivot_table(
        index=["unit_id", "unit_name"], columns="section", values="confidence",
        aggfunc="max", sort=False,
    )
    wide = wide.reindex(columns=order).fillna(0.0)
    wide.columns.name = None
    return wide.reset_index(level="unit_id", drop=True)


def documents_frame(statuses: list[UnitStatus]) -> pd.DataFrame:
    """The combined statistics table (documents each unit issued)."""
    rows = [
        (status.id, status.name, row.so_hieu, row.ten_van_ban, row.ngay_ban_hanh)
        for status, _sub, result in _counted(statuses)
        for row in result.documents
    ]
    return pd.DataFrame.from_records(rows, columns=DOCUMENT_COLUMNS)


def units_by_indicator(
    facts: pd.DataFrame, statuses: list[UnitStatus], campaign: Campaign
) -> pd.DataFrame:
    """Wide: one row per unit (registry order), one column per campaign indicator (sums)."""
    order = [i.id for i in campaign.indicators]
    sums = facts.pivot_table(
        index="unit_id", columns="indicator", values="value", aggfunc="sum", fill_value=0
    ) if not facts.empty else pd.DataFrame()
    base = pd.DataFrame({
        "unit_id": [s.id for s in statuses],
        "unit_name": [s.name for s in statuses],
        "status": [s.status for s in statuses],
    })
    wide = sums.reindex(index=base["unit_id"], columns=order).fillna(0)
    for column in order:
        base[column] = _as_numbers(wide[column].reset_index(drop=True))
    return base


def missing_sections(
    sections: pd.DataFrame, optional: dict[str, set[str]] | None = None
) -> dict[str, list[str]]:
    """Unit id → outline section ids absent from its counted report.

    `optional` maps unit id → sections that unit need not write (e.g. P2.I.4 for
    units that are not press/media agencies).
    """
    optional = optional or {}
    gaps = sections.loc[~sections["present"], ["unit_id", "section"]]
    out: dict[str, list[str]] = {}
    for unit_id, section in gaps.itertuples(index=False):
        if section not in optional.get(unit_id, set()):
            out.setdefault(unit_id, []).append(section)
    return out
