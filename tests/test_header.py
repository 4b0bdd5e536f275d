"""Unit, report number and date from report headers in the layouts units use."""

from __future__ import annotations

from parsers.header import read_header, resolve_unit
from parsers.model import Document, Paragraph
from parsers.units import registry_from_toml
from tests.helpers_structure import STANDARD_HEADER, TITLE, C, P, header_table

REGISTRY = registry_from_toml(
    """
[[units]]
id = "so-tu-phap"
name = "Chi bộ Sở Tư pháp"
aliases = ["Sở Tư pháp", "Chi uỷ Sở Tư pháp"]
[[units]]
id = "so-y-te"
name = "Đảng bộ Sở Y tế"
kind = "dang_bo"
aliases = ["Sở Y tế", "Đảng uỷ Sở Y tế"]
[[units]]
id = "so-khcn"
name = "Chi bộ Sở Khoa học và Công nghệ"
aliases = ["Sở KH&CN"]
[[units]]
id = "van-phong-duk"
name = "Chi bộ Văn phòng Đảng uỷ Khối"
"""
)


def test_header_table() -> None:
    doc = Document(blocks=[STANDARD_HEADER, *TITLE])
    header = read_header(doc, REGISTRY)
    assert (header.unit.id, header.unit.name, header.unit.source) == (
        "so-tu-phap", "Chi bộ Sở Tư pháp", "header",
    )
    assert header.report_number == "15-BC/CB"
    assert header.report_date == "2022-07-12"
    plain = read_header(doc, None)
    assert (plain.unit.id, plain.unit.name) == (None, "CHI BỘ SỞ TƯ PHÁP")


def test_plain_paragraph_header_with_tabs_and_diacritic_quirks() -> None:
    doc = Document(blocks=[
        P("ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH PHÚ THỌ\t\tĐẢNG CỘNG SẢN VIỆT NAM", alignment="left"),
        P("ĐẢNG ỦY SỞ Y TẾ", alignment="left"),
        P("*", alignment="left"),
        P("Số 07 -BC/ĐU\t\tPhú Thọ, ngày 5 tháng 7 năm 2022", alignment="left"),
        *TITLE,
    ])
    header = read_header(doc, REGISTRY)
    assert header.unit.id == "so-y-te"
    assert header.report_number == "07-BC/ĐU"
    assert header.report_date == "2022-07-05"


def test_text_box_header_and_wrapped_name() -> None:
    doc = Document(blocks=[
        Paragraph("ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH", in_textbox=True),
        Paragraph("CHI BỘ SỞ KHOA HỌC VÀ", in_textbox=True),
        Paragraph("CÔNG NGHỆ", in_textbox=True),
        Paragraph("*", in_textbox=True),
        Paragraph("Số: 20-BC/CB", in_textbox=True),
        C("ĐẢNG CỘNG SẢN VIỆT NAM"),
        P("Việt Trì, ngày 20 tháng 7 năm 2022", alignment="right"),
        *TITLE,
    ])
    header = read_header(doc, REGISTRY)
    assert header.unit.id == "so-khcn"
    assert header.report_number == "20-BC/CB"
    assert header.report_date == "2022-07-20"
    assert read_header(doc, None).unit.name == "CHI BỘ SỞ KHOA HỌC VÀ CÔNG NGHỆ"


def test_superior_is_not_the_unit_and_text_fallback() -> None:
    header = header_table(
        ["ĐẢNG UỶ KHỐI CÁC CƠ QUAN TỈNH PHÚ THỌ", "*", "Số -BC/CB"],
        ["ĐẢNG CỘNG SẢN VIỆT NAM", "Việt Trì, ngày 12 tháng 7 năm 2022"],
    )
    doc = Document(blocks=[header, *TITLE])  # the intro says "Chi bộ Sở Tư pháp báo cáo …"
    result = read_header(doc, REGISTRY)
    assert (result.unit.id, result.unit.source) == ("so-tu-phap", "text")
    assert result.report_number is None
    unknown = read_header(Document(blocks=[header, C("BÁO CÁO"), P("Nội dung báo cáo.")]),
                          REGISTRY)
    assert unknown.unit.id is None


def test_grassroots_unit_with_khoi_in_its_name() -> None:
    header = header_table(
        ["ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH", "CHI BỘ VĂN PHÒNG ĐẢNG UỶ KHỐI", "*", "Số 3-BC/CB"],
        ["ĐẢNG CỘNG SẢN VIỆT NAM", "Việt Trì, ngày 1 tháng 7 năm 2022"],
    )
    doc = Document(blocks=[header, *TITLE])
    assert read_header(doc, REGISTRY).unit.id == "van-phong-duk"
    assert read_header(doc, None).unit.name == "CHI BỘ VĂN PHÒNG ĐẢNG UỶ KHỐI"


def test_resolve_unit_tolerates_prefixes_case_and_tone_marks() -> None:
    for written in ("CHI UỶ SỞ TƯ PHÁP", "Chi ủy Sở Tư pháp tỉnh Phú Thọ", "chi bộ sở tư pháp",
                    "Sở Tư Pháp"):
        unit, score = resolve_unit(written, REGISTRY)
        assert unit is not None and unit.id == "so-tu-phap", written
        assert score >= 88
    assert resolve_unit("CHI BỘ SỞ CÔNG THƯƠNG", REGISTRY)[0] is None
