"""Exports for people who open Excel: CSV files and dataset.xlsx.

CSV conventions (CONTRACT.md `export`): UTF-8 without BOM, comma-separated, header row,
`value` as plain digits (no thousands separator), booleans as `true`/`false`, empty
cell for none. dataset.xlsx repeats the tables with Vietnamese column names, a frozen
header row, set column widths and a units × indicators sheet.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pandas as pd

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


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


# Escapes for XML text, and control characters Word text can carry (a vertical tab
# for a soft line break) that XML 1.0 forbids: one str.translate per cell.
_XML_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_XML_TEXT.update({c: " " for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)})


def _column_cells(column: pd.Series) -> list[str]:
    """The <c> elements of one column.

    Cells carry no `r` reference (optional in SpreadsheetML: position is implied, so an
    empty value is an empty <c/>, never left out), and
    the sheet is written by hand because openpyxl needs ~30 µs per cell: minutes for
    10 000 reports.
    """
    if pd.api.types.is_bool_dtype(column):
        column = column.map({True: "Có", False: "Không"})
    values = column.tolist()
    if pd.api.types.is_numeric_dtype(column):
        return ["<c/>" if v != v else f"<c><v>{v}</v></c>" for v in values]
    return [
        f'<c t="inlineStr"><is><t xml:space="preserve">{str(v).translate(_XML_TEXT)}</t></is></c>'
        if v is not None and v is not pd.NA and v == v else "<c/>"
        for v in values
    ]


def _sheet_xml(frame: pd.DataFrame, headers: list[str], widths: list[int]) -> str:
    """One worksheet: frozen header row, set column widths, inline strings."""
    header_cells = "".join(
        f'<c s="1" t="inlineStr"><is><t>{xml_escape(str(h))}</t></is></c>' for h in headers)
    columns = [_column_cells(frame[c]) for c in frame.columns]
    rows = ["<row>" + "".join(cells) + "</row>" for cells in zip(*columns, strict=True)]
    return "".join([
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews><cols>",
        "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(widths, start=1)),
        f"</cols><sheetData><row>{header_cells}</row>",
        "".join(rows),
        "</sheetData></worksheet>",
    ])


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _write_workbook(path: Path, sheets: list[tuple[str, str]]) -> None:
    """Zip the sheets (title, worksheet XML) into an .xlsx package."""
    main = "http://schemas.openxmlformats.org"
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Types xmlns="{main}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.styles+xml"/>{types}</Types>')
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{main}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{main}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
    sheet_entries = "".join(
        f'<sheet name="{xml_escape(title)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (title, _xml) in enumerate(sheets, start=1))
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{main}/spreadsheetml/2006/main" '
        f'xmlns:r="{main}/officeDocument/2006/relationships">'
        f"<sheets>{sheet_entries}</sheets></workbook>")
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{main}/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{main}/package/2006/relationships">{rels}'
        f'<Relationship Id="rId{len(sheets) + 1}" '
        f'Type="{main}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>")
    tmp = path.with_suffix(".xlsx.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        zf.writestr("xl/styles.xml", _STYLES)
        for i, (_title, xml) in enumerate(sheets, start=1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", xml)
    tmp.replace(path)


def _sheet(sheets: list, title: str, frame: pd.DataFrame, headers: list[str],
           widths: list[int]) -> None:
    title = _BAD_SHEET_CHARS.sub("-", title)[:31]
    sheets.append((title, _sheet_xml(frame, headers, widths)))


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
    wb: list[tuple[str, str]] = []
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

    # The long units × sections table stays in sections.csv; Excel gets the wide view.
    if not data.sections.empty:
        coverage = data.sections.pivot_table(index=["unit_id", "unit_name"], columns="section",
                                             values="present", aggfunc="max", sort=False)
        order = [s.id for s in campaign.sections]
        coverage = coverage.reindex(columns=order).fillna(False).reset_index()
        coverage[order] = coverage[order].map(lambda v: "x" if v else "")
        headers = ["Mã đơn vị", "Đơn vị"] + [f"{c} {section_titles.get(c, '')}"[:40] for c in order]
        _sheet(wb, "Độ phủ đề cương", coverage, headers, [16, 36] + [10] * len(order))
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_workbook(path, wb)
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
