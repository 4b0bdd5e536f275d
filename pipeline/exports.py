"""Exports for people who open Excel: CSV files and dataset.xlsx.

CSV conventions (CONTRACT.md `export`): UTF-8 without BOM, comma-separated, header row,
`value` as plain digits (no thousands separator), booleans as `true`/`false`, empty
cell for none. dataset.xlsx repeats the tables with Vietnamese column names, a frozen
header row, set column widths and a units × indicators sheet.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from aggregators.dataset import (
    documents_frame,
    facts_frame,
    sections_frame,
    submissions_frame,
    totals_frame,
    units_by_indicator,
)
from aggregators.records import Submission, UnitStatus
from parsers.campaign import Campaign

log = logging.getLogger(__name__)

INDICATOR_CSV_COLUMNS = [
    "unit_id", "indicator", "value", "qualifier", "section", "file", "message_id", "sentence",
    "unit_name", "term", "location",
]

# Column names as a Vietnamese reader expects them in Excel.
HEADERS_VI = {
    "unit_id": "Mã đơn vị",
    "unit_name": "Đơn vị",
    "indicator": "Mã chỉ tiêu",
    "label": "Chỉ tiêu",
    "value": "Giá trị",
    "qualifier": "Cách ghi (trên/hơn/gần/khoảng)",
    "section": "Mục đề cương",
    "file": "Tệp báo cáo",
    "message_id": "Mã thư (Message-ID)",
    "sentence": "Câu trích",
    "term": "Từ chỉ tiêu",
    "location": "Vị trí (thân/chú thích/bảng)",
    "lower_bound": "Tính từ 'trên'",
    "units_reporting": "Số đơn vị có số liệu",
    "status": "Tình trạng",
    "submitted_at": "Thời điểm gửi",
    "resubmissions": "Số lần gửi lại",
    "errors": "Lỗi",
    "title": "Tên mục",
    "level": "Cấp",
    "present": "Có trong báo cáo",
    "confidence": "Độ tin cậy",
    "so_hieu": "Số, ký hiệu",
    "ten_van_ban": "Tên văn bản",
    "ngay_ban_hanh": "Ngày ban hành",
}
STATUS_VI = {"on_time": "Đúng hạn", "late": "Muộn", "missing": "Chưa gửi"}
QUALIFIER_VI = {"tren": "trên", "hon": "hơn", "gan": "gần", "khoang": "khoảng"}
LOCATION_VI = {"body": "thân bài", "footnote": "chú thích", "table": "bảng"}
WIDTHS = {"sentence": 80, "ten_van_ban": 60, "unit_name": 36, "label": 36, "title": 60,
          "file": 30, "message_id": 30, "errors": 40}


@dataclass
class Dataset:
    facts: pd.DataFrame
    totals: pd.DataFrame
    submissions: pd.DataFrame
    sections: pd.DataFrame
    documents: pd.DataFrame
    wide: pd.DataFrame


def build_dataset(statuses: list[UnitStatus], campaign: Campaign) -> Dataset:
    facts = facts_frame(statuses, campaign)
    return Dataset(
        facts=facts,
        totals=totals_frame(facts, campaign),
        submissions=submissions_frame(statuses),
        sections=sections_frame(statuses, campaign),
        documents=documents_frame(statuses),
        wide=units_by_indicator(facts, statuses, campaign),
    )


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].map({True: "true", False: "false"})
    return out


def write_csvs(data: Dataset, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {
        "indicators.csv": data.facts[INDICATOR_CSV_COLUMNS],
        "totals.csv": data.totals,
        "submissions.csv": data.submissions,
        "sections.csv": data.sections,
        "documents.csv": data.documents,
        "units_by_indicator.csv": data.wide,
    }
    written = []
    for name, frame in tables.items():
        path = out_dir / name
        _csv_ready(frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    return written


def _sheet(wb: Workbook, title: str, frame: pd.DataFrame, headers: list[str],
           widths: list[int]) -> None:
    # Write-only sheets stream rows: fast enough for 100 000+ facts.
    ws = wb.create_sheet(title=title[:31])
    ws.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for row in frame.itertuples(index=False, name=None):
        ws.append([None if _is_missing(v) else _plain(v) for v in row])


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _plain(value):
    # numpy scalars → Python scalars for openpyxl.
    return value.item() if hasattr(value, "item") else value


def _vi_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[int]]:
    out = frame.copy()
    if "status" in out:
        out["status"] = out["status"].map(lambda s: STATUS_VI.get(s, s))
    if "qualifier" in out:
        out["qualifier"] = out["qualifier"].map(lambda q: QUALIFIER_VI.get(q, q))
    if "location" in out:
        out["location"] = out["location"].map(lambda q: LOCATION_VI.get(q, q))
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].map({True: "Có", False: "Không"})
    headers = [HEADERS_VI.get(c, c) for c in out.columns]
    widths = [WIDTHS.get(c, max(12, min(30, len(h) + 2))) for c, h in zip(out.columns, headers,
                                                                        strict=True)]
    return out, headers, widths


def write_xlsx(data: Dataset, campaign: Campaign, path: Path) -> Path:
    wb = Workbook(write_only=True)
    labels = {i.id: i.label for i in campaign.indicators}
    section_titles = {s.id: s.title for s in campaign.sections}

    totals, headers, widths = _vi_frame(data.totals)
    _sheet(wb, "Tổng hợp", totals, headers, widths)

    wide = data.wide.copy()
    wide_status = wide["status"].map(lambda s: STATUS_VI.get(s, s))
    wide["status"] = wide_status
    headers = ["Mã đơn vị", "Đơn vị", "Tình trạng"] + [labels.get(c, c) for c in wide.columns[3:]]
    widths = [16, 36, 12] + [max(12, min(22, len(h) + 2)) for h in headers[3:]]
    _sheet(wb, "Đơn vị × chỉ tiêu", wide, headers, widths)

    for title, frame in (("Số liệu chi tiết", data.facts), ("Tình hình gửi", data.submissions),
                         ("Văn bản đã ban hành", data.documents)):
        vi, headers, widths = _vi_frame(frame)
        _sheet(wb, title, vi, headers, widths)

    sections, headers, widths = _vi_frame(data.sections)
    _sheet(wb, "Mục đề cương", sections, headers, widths)

    if not data.sections.empty:
        coverage = data.sections.pivot_table(index=["unit_id", "unit_name"], columns="section",
                                             values="present", aggfunc="max", sort=False)
        order = [s.id for s in campaign.sections]
        coverage = coverage.reindex(columns=order).fillna(False).reset_index()
        coverage[order] = coverage[order].map(lambda v: "x" if v else "")
        headers = ["Mã đơn vị", "Đơn vị"] + [f"{c} {section_titles.get(c, '')}"[:40] for c in order]
        _sheet(wb, "Độ phủ đề cương", coverage, headers, [16, 36] + [10] * len(order))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def export_all(statuses: list[UnitStatus], campaign: Campaign, out_dir: Path) -> list[Path]:
    data = build_dataset(statuses, campaign)
    written = write_csvs(data, out_dir)
    written.append(write_xlsx(data, campaign, out_dir / "dataset.xlsx"))
    return written


# --- reading the store ---------------------------------------------------------------------


def unit_statuses(submissions: list[Submission], settings) -> list[UnitStatus]:
    """Statuses from aggregators.status (another module); a minimal stand-in until it exists."""
    try:
        from aggregators.status import unit_statuses as compute
    except ImportError:
        log.warning("aggregators.status not available; using the simple stand-in")
        return _fallback_statuses(submissions, settings.registry, settings.campaign)
    return compute(submissions, settings.registry, settings.campaign)


def _fallback_statuses(submissions, registry, campaign) -> list[UnitStatus]:
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(campaign.timezone)
    cutoff = datetime.combine(campaign.unit_deadline, time(23, 59, 59), tzinfo=tz)
    out = []
    for unit in registry.units:
        mine = [s for s in submissions if s.unit_id == unit.id]
        valid = [s for s in mine if s.ok]
        latest = max(valid, key=lambda s: s.id) if valid else None
        first = min(valid, key=lambda s: s.id) if valid else None
        status = "missing" if first is None else (
            "on_time" if first.received_at <= cutoff else "late")
        out.append(UnitStatus(
            id=unit.id, name=unit.name, status=status,
            submitted_at=latest.received_at if latest else None,
            message_id=latest.message_id if latest else None,
            file=latest.file if latest else None,
            resubmissions=max(0, len(valid) - 1),
            errors=[s.error for s in mine if not s.ok and s.error],
            submission=latest,
        ))
    return out


def load_records(settings) -> tuple[list[Submission], list[UnitStatus]]:
    """Every stored submission and the per-unit statuses computed from them."""
    from pipeline.store import Store

    store = Store.open(settings)
    try:
        submissions = store.submissions()
    finally:
        store.close()
    return submissions, unit_statuses(submissions, settings)
