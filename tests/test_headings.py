"""Heading detection and label parsing, on model paragraphs and on real DOCX bytes."""

from __future__ import annotations

import pytest

from parsers.dates import parse_date
from parsers.docx import read_docx
from parsers.headings import heading_candidate, parse_label, parse_num_label
from parsers.model import Paragraph
from parsers.structure import structure_document
from parsers.textnorm import fold
from tests.docx_builder import abstract_num, build_docx, num, numbered, para
from tests.helpers_structure import C, H, P, campaign


@pytest.mark.parametrize(
    ("text", "family", "ordinal", "label", "rest"),
    [
        ("PHẦN THỨ NHẤT - TÌNH HÌNH", "part", 1, "PHẦN THỨ NHẤT", "TÌNH HÌNH"),
        ("Phần thứ hai. Kết quả", "part", 2, "Phần thứ hai", "Kết quả"),
        ("PHẦN THỨ BA", "part", 3, "PHẦN THỨ BA", ""),
        ("Phần I. TÌNH HÌNH", "part", 1, "Phần I", "TÌNH HÌNH"),
        ("PHẦN III PHƯƠNG HƯỚNG", "part", 3, "PHẦN III", "PHƯƠNG HƯỚNG"),
        ("I. KẾT QUẢ", "roman", 1, "I.", "KẾT QUẢ"),
        ("II- Đánh giá chung", "roman", 2, "II-", "Đánh giá chung"),
        ("II – Đánh giá chung", "roman", 2, "II –", "Đánh giá chung"),
        ("IV/ Kiến nghị", "roman", 4, "IV/", "Kiến nghị"),
        ("1. Ưu điểm", "arabic", 1, "1.", "Ưu điểm"),
        ("3) Nguyên nhân", "arabic", 3, "3)", "Nguyên nhân"),
        ("2- Hạn chế", "arabic", 2, "2-", "Hạn chế"),
        ("1.2. Nhận thức", "arabic2", 2, "1.2.", "Nhận thức"),
        ("b) Tuyên truyền miệng", "alpha", 2, "b)", "Tuyên truyền miệng"),
    ],
)
def test_parse_label(text: str, family: str, ordinal: int, label: str, rest: str) -> None:
    parsed = parse_label(text)
    assert parsed is not None
    got, got_rest = parsed
    assert (got.family, got.ordinal, got.text, got_rest) == (family, ordinal, label, rest)


@pytest.mark.parametrize(
    "text",
    ["2016 - 2021 là giai đoạn", "1.000 người dự", "10/3/2017 ban hành", "Vì vậy, chi bộ",
     "- Tổ chức 12 hội nghị", "Phần lớn đảng viên"],
)
def test_no_label(text: str) -> None:
    assert parse_label(text) is None


def test_auto_number_label() -> None:
    label = parse_num_label("II.")
    assert label is not None and (label.family, label.ordinal, label.kind) == ("roman", 2, "auto")


def test_candidates() -> None:
    assert heading_candidate(H("1. Ưu điểm")) is not None
    assert heading_candidate(P("- Ưu điểm")) is None
    assert heading_candidate(P("Ưu điểm", is_bullet=True, num_label="•")) is None
    long_body = P("1. Trong năm 2019, chi bộ đã tổ chức 4 lớp bồi dưỡng cho tuyên truyền viên "
                  "và cộng tác viên, thu hút đông đảo đảng viên tham gia, đạt kết quả tốt.")
    assert heading_candidate(long_body) is None
    auto = heading_candidate(H("Ưu điểm", num_label="1.", num_level=1))
    assert auto is not None and auto.label is not None and auto.label.kind == "auto"
    assert auto.title == "Ưu điểm"
    caps = heading_candidate(C("ĐẶC ĐIỂM TÌNH HÌNH"))
    assert caps is not None and caps.label is None
    assert heading_candidate(P("Kết quả cụ thể:", bold=True)) is None
    assert heading_candidate(Paragraph("1. Ưu điểm", bold=True, in_textbox=True)) is None


def test_fold_and_dates() -> None:
    assert fold("ĐẢNG UỶ Sở Y tế") == fold("Đảng ủy sở y tế") == "dang uy so y te"
    assert fold("thể chế hoá") == fold("thể chế hóa")
    assert parse_date("Việt Trì, ngày 12 tháng 7 năm 2022") == "2022-07-12"
    assert parse_date("ngày 05/9/2016") == "2016-09-05"
    assert parse_date("10.3.2017") == parse_date("10-3-2017") == "2017-03-10"
    assert parse_date("31/2/2017") is None


def test_real_docx_with_styles_numbering_and_split_part() -> None:
    """End to end on DOCX bytes: Heading styles, auto-numbered and typed-label headings."""
    bold = "<w:b/>"
    centre = '<w:jc w:val="center"/>'
    styles = (
        '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
        '<w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
    )
    numbering = abstract_num(1, [("upperRoman", "%1.", 1), ("decimal", "%2.", 1)]) + num(1, 1)
    body = "".join([
        para("BÁO CÁO", ppr=centre, rpr=bold),
        para("Sơ kết 5 năm thực hiện Chỉ thị số 07-CT/TW", ppr=centre, rpr=bold),
        para("Căn cứ Kế hoạch số 112-KH/ĐUK của Ban Thường vụ Đảng uỷ Khối, chi bộ báo cáo "
             "như sau:"),
        para("PHẦN THỨ NHẤT", ppr=centre, rpr=bold),
        para("TÌNH HÌNH QUÁN TRIỆT, TRIỂN KHAI", ppr=centre, rpr=bold),
        para("1- Về công tác lãnh đạo, chỉ đạo", rpr=bold),
        para("- Tổ chức 12 hội nghị quán triệt cho 300 lượt đảng viên."),
        para("PHẦN THỨ HAI", ppr=centre, rpr=bold),
        para("KẾT QUẢ 5 NĂM", ppr=centre, rpr=bold),
        numbered("Kết quả thực hiện các nhiệm vụ", 1, 0).replace(
            "<w:pPr>", '<w:pPr><w:pStyle w:val="Heading2"/>'),
        numbered("Phát huy sức mạnh tổng hợp của hệ thống chính trị", 1, 1).replace(
            "<w:pPr>", '<w:pPr><w:pStyle w:val="Heading2"/>'),
        para("- Xây dựng 4 trang Facebook."),
        para("Nơi nhận:"),
        para("- Lưu."),
    ])
    doc = read_docx(build_docx(body, styles=styles, numbering=numbering))
    sections = structure_document(doc, campaign()).sections
    assert [(s.id, s.label, s.heading) for s in sections] == [
        ("P1", "PHẦN THỨ NHẤT", "TÌNH HÌNH QUÁN TRIỆT, TRIỂN KHAI"),
        ("P1.1", "1-", "Về công tác lãnh đạo, chỉ đạo"),
        ("P2", "PHẦN THỨ HAI", "KẾT QUẢ 5 NĂM"),
        ("P2.I", "I.", "Kết quả thực hiện các nhiệm vụ"),
        ("P2.I.1", "1.", "Phát huy sức mạnh tổng hợp của hệ thống chính trị"),
    ]
    assert sections[-1].text == "- Xây dựng 4 trang Facebook."
    assert [s.level for s in sections] == [1, 2, 1, 2, 3]
