"""Headings units write without a clean label line, and small figures in STT tables, parsed
from real DOCX bytes (python-docx): bold "Ưu điểm:" / "* Hạn chế:" sub-headings, run-in
headings closed by a colon or a full stop, trailing colons, letter part labels."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from aggregators.dataset import missing_sections, sections_frame
from aggregators.statements import candidates
from parsers.headings import parse_num_label
from parsers.report import parse_report
from tests.helpers_structure import campaign
from tests.test_draft import _status

BODY = "Cấp uỷ đã tổ chức quán triệt nghiêm túc đến toàn thể cán bộ, đảng viên trong cơ quan."


def _docx(items: list) -> bytes:
    """items: [(text, bold), …] runs of one paragraph, or ("table", rows)."""
    doc = Document()
    for text, bold, align in (("CHI BỘ SỞ TƯ PHÁP", True, "center"),
                              ("Phú Thọ, ngày 15 tháng 7 năm 2022", False, "center"),
                              ("BÁO CÁO", True, "center"),
                              ("Kết quả 5 năm thực hiện Chỉ thị 07-CT/TW", True, "center")):
        p = doc.add_paragraph()
        p.add_run(text).bold = bold or None
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else None
    for item in items:
        if item[0] == "table":
            rows = item[1]
            t = doc.add_table(rows=len(rows), cols=len(rows[0]))
            t.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    t.cell(r, c).text = text
            continue
        p = doc.add_paragraph()
        for text, bold in item:
            p.add_run(text).bold = bold or None
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.add_paragraph().add_run("Nơi nhận:").bold = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


HEAD = [[("PHẦN THỨ HAI", True)], [("KẾT QUẢ SAU 5 NĂM THỰC HIỆN CHỈ THỊ", True)],
        [("I. Kết quả thực hiện các nhiệm vụ", True)], [(BODY, False)],
        [("II. Đánh giá chung", True)]]


def _parse(items: list):
    res = parse_report(_docx(items), "t.docx", campaign(), None)
    assert res.ok, res.error
    return res


def _ids(res) -> list[str | None]:
    return [s.id for s in res.sections]


def test_bold_unlabelled_and_starred_subheadings():
    for mark in ("", "* "):
        res = _parse(HEAD + [
            [(f"{mark}Ưu điểm:", True)], [(BODY, False)],
            [(f"{mark}Hạn chế, khó khăn:", True)], [("Một số đảng viên chưa quan tâm.", False)],
            [(f"{mark}Nguyên nhân", True)], [(BODY, False)],
            [(f"{mark}Bài học kinh nghiệm:", True)], [(BODY, False)],
        ])
        assert _ids(res) == ["P2", "P2.I", "P2.II", "P2.II.1", "P2.II.2", "P2.II.3", "P2.II.4"]
        by_id = {s.id: s for s in res.sections}
        assert by_id["P2.II.1"].heading == "Ưu điểm"  # no trailing colon
        assert "chưa quan tâm" in by_id["P2.II.2"].text


def test_bold_lead_in_that_matches_nothing_stays_body_text():
    res = _parse(HEAD[:3] + [
        [("Kết quả cụ thể:", True)],
        [("Chi bộ đã tổ chức 3 hội nghị quán triệt cho cán bộ, đảng viên.", False)],
    ])
    assert _ids(res) == ["P2", "P2.I"]
    section = res.sections[-1]
    assert "Kết quả cụ thể:" in section.text
    facts = [(f.indicator, f.value, f.section) for f in res.indicators]
    assert ("hoi_nghi", 3, "P2.I") in facts


def test_run_in_headings_with_colon_or_full_stop():
    res = _parse(HEAD + [
        [("1. Ưu điểm. ", True), ("Cấp uỷ đã quan tâm lãnh đạo công tác thông tin cơ sở.", False)],
        [("2. Hạn chế: ", True), ("Một số đảng viên chưa quan tâm đúng mức đến bảng tin.", False)],
        [("3. Nguyên nhân. ", True), ("Do kinh phí còn hạn hẹp, cán bộ kiêm nhiệm nhiều.", False)],
        [("4. Bài học kinh nghiệm: ", True), ("Phải có sự lãnh đạo sát sao của cấp uỷ.", False)],
    ])
    assert _ids(res) == ["P2", "P2.I", "P2.II", "P2.II.1", "P2.II.2", "P2.II.3", "P2.II.4"]
    by_id = {s.id: s for s in res.sections}
    assert by_id["P2.II.1"].heading == "Ưu điểm"
    assert by_id["P2.II.3"].text.startswith("Do kinh phí")


def test_numbered_sentences_in_a_section_are_not_headings():
    res = _parse(HEAD[:3] + [
        [("1. Tuyên truyền. Chi bộ đã treo 12 băng rôn, khẩu hiệu tại trụ sở.", False)],
        [("2. Hội nghị. Chi bộ đã tổ chức 4 hội nghị quán triệt cho đảng viên.", False)],
    ])
    assert _ids(res) == ["P2", "P2.I"]
    facts = {(f.indicator, f.value) for f in res.indicators}
    assert {("bang_ron", 12), ("hoi_nghi", 4)} <= facts


def test_trailing_colon_is_not_part_of_the_heading():
    res = _parse(HEAD + [[("1. Ưu điểm:", True)], [(BODY, False)],
                         [("2. Hạn chế, khó khăn:", True)], [(BODY, False)]])
    headings = {s.id: s.heading for s in res.sections}
    assert headings["P2.II.1"] == "Ưu điểm"
    assert headings["P2.II.2"] == "Hạn chế, khó khăn"


def test_small_figures_equal_to_their_row_number():
    res = _parse(HEAD[:3] + [("table", [["STT", "Chỉ tiêu", "Số lượng"],
                                        ["1", "Báo cáo viên", "1"],
                                        ["2", "Số lớp bồi dưỡng", "2"],
                                        ["3", "Bảng tin", "3"],
                                        ["4", "Trang mạng xã hội", "5"]])])
    facts = {(f.indicator, f.value, f.section) for f in res.indicators if f.location == "table"}
    assert facts == {("bao_cao_vien", 1, "P2.I"), ("lop_boi_duong", 2, "P2.I"),
                     ("bang_tin", 3, "P2.I"), ("trang_mang_xa_hoi", 5, "P2.I")}


def test_letter_part_auto_labels():
    for text, ordinal in (("A.", 1), ("B-", 2), ("C)", 3)):
        label = parse_num_label(text)
        assert label is not None and label.family == "part" and label.ordinal == ordinal
    lower = parse_num_label("a)")
    assert lower is not None and lower.family == "alpha"


def test_a_merged_heading_also_covers_the_next_section_it_names():
    res = _parse(HEAD + [
        [("1. Ưu điểm", True)], [(BODY, False)],
        [("2. Tồn tại, hạn chế và nguyên nhân", True)], [("Một số đảng viên chưa quan tâm.", False)],
        [("3. Bài học kinh nghiệm", True)], [(BODY, False)],
    ])
    assert _ids(res) == ["P2", "P2.I", "P2.II", "P2.II.1", "P2.II.2", "P2.II.4"]
    by_id = {s.id: s for s in res.sections}
    assert by_id["P2.II.2"].also_covers == ["P2.II.3"]
    assert all(s.also_covers == [] for s in res.sections if s.id != "P2.II.2")
    # with a heading of its own for the causes, nothing is merged
    res = _parse(HEAD + [
        [("1. Ưu điểm và kết quả nổi bật", True)], [(BODY, False)],
        [("2. Hạn chế và khó khăn", True)], [(BODY, False)],
        [("3. Nguyên nhân", True)], [(BODY, False)],
    ])
    assert _ids(res) == ["P2", "P2.I", "P2.II", "P2.II.1", "P2.II.2", "P2.II.3"]
    assert all(s.also_covers == [] for s in res.sections)


def test_coverage_counts_a_merged_section_as_present():
    merged = _status("u1", "Chi bộ A", {"P2.II.2": "Kinh phí dành cho công tác thông tin cơ sở "
                                                   "còn hạn hẹp, trang thiết bị chưa đồng bộ."})
    merged.submission.result.sections[0].also_covers = ["P2.II.3"]
    frame = sections_frame([merged], campaign())
    present = dict(zip(frame["section"], frame["present"], strict=True))
    assert present["P2.II.2"] and present["P2.II.3"] and not present["P2.II.4"]
    assert "P2.II.3" not in missing_sections(frame)["u1"]
    # its sentences are quotable under both sections in the draft
    assert len(candidates([merged], "P2.II.3")) == 1
