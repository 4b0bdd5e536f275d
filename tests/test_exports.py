"""`tonghop export`: CSV files and dataset.xlsx from a real store database."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from openpyxl import load_workbook

from pipeline.exports import export_all
from tests.helpers import REPO, require_samples
from tests.helpers_digest import fill_store, sample_records, store_settings


def _rows(path):
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "contract CSVs are UTF-8 without BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def test_export_command_writes_contract_files(tmp_path):
    totals_truth = json.loads((require_samples() / "totals.json").read_text(encoding="utf-8"))
    settings = store_settings(tmp_path)
    submissions, _statuses, _campaign, _registry = sample_records()
    fill_store(settings, submissions)
    out = tmp_path / "export"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--config", str(settings.path), "export",
         "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("indicators.csv", "totals.csv", "submissions.csv", "sections.csv",
                 "documents.csv", "dataset.xlsx"):
        assert (out / name).is_file(), name

    indicators = _rows(out / "indicators.csv")
    header = (out / "indicators.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:8] == ["unit_id", "indicator", "value", "qualifier", "section", "file",
                          "message_id", "sentence"]
    # Only each unit's latest valid report: so-tai-chinh's superseded d011 is absent.
    assert {r["file"] for r in indicators if r["unit_id"] == "so-tai-chinh"} == {"d006.docx"}
    assert all(r["value"].isdigit() for r in indicators)

    totals = {r["indicator"]: r for r in _rows(out / "totals.csv")}
    assert list(totals) == list(totals_truth["indicators"])
    for indicator, want in totals_truth["indicators"].items():
        row = totals[indicator]
        assert int(row["value"]) == want["total"], indicator
        assert row["lower_bound"] == ("true" if want["lower_bound"] else "false")
        assert int(row["units_reporting"]) == want["n_units"]
    assert totals["kinh_phi"]["value"] == "2636000000"  # plain integer, no separators

    status_truth = json.loads((require_samples() / "status.json").read_text(encoding="utf-8"))
    submissions_rows = {r["unit_id"]: r for r in _rows(out / "submissions.csv")}
    assert {u: r["status"] for u, r in submissions_rows.items()} == {
        u: t["status"] for u, t in status_truth.items()}
    assert submissions_rows["so-tai-chinh"]["resubmissions"] == "1"

    sections = _rows(out / "sections.csv")
    assert {r["present"] for r in sections} <= {"true", "false"}
    documents = _rows(out / "documents.csv")
    assert any(r["so_hieu"] and r["ngay_ban_hanh"].startswith("20") for r in documents)


def test_xlsx_has_vietnamese_headers_frozen_rows_and_widths(tmp_path):
    _subs, statuses, campaign, _registry = sample_records()
    export_all(statuses, campaign, tmp_path)
    book = load_workbook(tmp_path / "dataset.xlsx")
    assert {"Tổng hợp", "Đơn vị × chỉ tiêu", "Số liệu chi tiết", "Tình hình gửi",
            "Văn bản đã ban hành", "Độ phủ đề cương"} <= set(book.sheetnames)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.column_dimensions["A"].width > 8, sheet.title
    totals = book["Tổng hợp"]
    headers = [c.value for c in totals[1]]
    assert headers == ["Mã chỉ tiêu", "Chỉ tiêu", "Giá trị", "Tính từ 'trên'",
                       "Số đơn vị có số liệu"]
    by_id = {row[0]: row for row in totals.iter_rows(min_row=2, values_only=True)}
    assert by_id["hoi_nghi"][2] == 172 and by_id["hoi_nghi"][3] == "Không"
    assert by_id["luot_nguoi_du"][3] == "Có"
    wide = book["Đơn vị × chỉ tiêu"]
    header = [c.value for c in wide[1]]
    assert header[:3] == ["Mã đơn vị", "Đơn vị", "Tình trạng"]
    assert "Hội nghị quán triệt, tuyên truyền" in header
    rows = {r[0]: r for r in wide.iter_rows(min_row=2, values_only=True)}
    assert rows["so-tu-phap"][header.index("Hội nghị quán triệt, tuyên truyền")] == 5
    assert rows["hoi-ccb"][2] == "Chưa gửi"
    details = book["Số liệu chi tiết"]
    assert [c.value for c in details[1]][:4] == ["Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Giá trị"]
    assert details.max_row - 1 == sum(
        len(s.submission.result.indicators) for s in statuses if s.submission is not None)


def test_export_with_no_submissions(tmp_path):
    _subs, statuses, campaign, _registry = sample_records()
    empty = [type(s)(s.id, s.name, "missing", None, None, None, 0, [], None) for s in statuses]
    export_all(empty, campaign, tmp_path)
    totals = _rows(tmp_path / "totals.csv")
    assert len(totals) == len(campaign.indicators)
    assert all(r["value"] == "0" and r["units_reporting"] == "0" for r in totals)
    assert _rows(tmp_path / "indicators.csv") == []
    assert load_workbook(tmp_path / "dataset.xlsx")["Tổng hợp"].max_row == len(totals) + 1


def test_xlsx_keeps_odd_text_from_documents(tmp_path):
    from dataclasses import replace

    _subs, statuses, campaign, _registry = sample_records()
    first = next(i for i, s in enumerate(statuses) if s.submission is not None)
    status = statuses[first]
    fact = status.submission.result.indicators[0]
    # A soft line break (vertical tab) from Word, markup and an ampersand.
    odd = "Tổ chức\x0b05 hội nghị <script>alert(1)</script> & tọa đàm"
    fact.sentence = odd
    statuses[first] = replace(status, name="Chi bộ <b>A</b> & B")
    export_all(statuses, campaign, tmp_path)
    book = load_workbook(tmp_path / "dataset.xlsx")
    details = list(book["Số liệu chi tiết"].iter_rows(min_row=2, values_only=True))
    header = [c.value for c in book["Số liệu chi tiết"][1]]
    sentence_col, name_col = header.index("Câu trích"), header.index("Đơn vị")
    assert "Tổ chức 05 hội nghị <script>alert(1)</script> & tọa đàm" in {
        r[sentence_col] for r in details}
    assert "Chi bộ <b>A</b> & B" in {r[name_col] for r in details}
    rows = _rows(tmp_path / "indicators.csv")
    assert odd in {r["sentence"] for r in rows}  # CSV keeps the text as it was
