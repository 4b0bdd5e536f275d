"""The statistics table of directing documents, in the layouts units make of it."""

from __future__ import annotations

from parsers.doctable import is_documents_table, read_documents_table
from parsers.model import Document
from parsers.result import DocumentRow
from tests.helpers_structure import P, campaign, table

CAMPAIGN = campaign()


def rows_of(*tables) -> list[DocumentRow]:
    rows, _ = read_documents_table(Document(blocks=[P("Biểu thống kê"), *tables]), CAMPAIGN)
    return rows


def test_standard_header_and_date_formats() -> None:
    t = table([
        ["STT", "Số hiệu văn bản", "Tên văn bản", "Ngày ban hành"],
        ["1", "12-KH/ĐU", "Kế hoạch thực hiện Chỉ thị số 07-CT/TW", "29/1/2017"],
        ["2", "66/KH-TĐ", "Kế hoạch kiểm tra, giám sát năm 2017", "10-6-2017"],
        ["3", "Số 07-NQ/ĐU", "Nghị quyết lãnh đạo năm 2018", "ngày 05 tháng 4 năm 2018"],
        ["4", "10-CV/ĐU", "Công văn về mạng xã hội", "07.05.2021"],
        ["", "", "", ""],
        ["Tổng cộng", "4 văn bản", "", ""],
    ])
    assert is_documents_table(t, CAMPAIGN)
    assert rows_of(t) == [
        DocumentRow("12-KH/ĐU", "Kế hoạch thực hiện Chỉ thị số 07-CT/TW", "2017-01-29"),
        DocumentRow("66/KH-TĐ", "Kế hoạch kiểm tra, giám sát năm 2017", "2017-06-10"),
        DocumentRow("07-NQ/ĐU", "Nghị quyết lãnh đạo năm 2018", "2018-04-05"),
        DocumentRow("10-CV/ĐU", "Công văn về mạng xã hội", "2021-05-07"),
    ]


def test_other_wording_order_title_and_numbering_rows() -> None:
    t = table([
        ["BIỂU THỐNG KÊ VĂN BẢN"] * 4,
        ["TT", "Trích yếu nội dung", "Ngày, tháng ban hành", "Số, ký hiệu"],
        ["(1)", "(2)", "(3)", "(4)"],
        ["1", "Hướng dẫn tuyên truyền Chỉ thị", "5/3/2020", "31-HD/CB"],
        ["TT", "Trích yếu nội dung", "Ngày, tháng ban hành", "Số, ký hiệu"],  # repeated header
        ["2", "Công văn định hướng tuyên truyền", "01/08/2020", "17-CV/CB"],
    ])
    assert rows_of(t) == [
        DocumentRow("31-HD/CB", "Hướng dẫn tuyên truyền Chỉ thị", "2020-03-05"),
        DocumentRow("17-CV/CB", "Công văn định hướng tuyên truyền", "2020-08-01"),
    ]


def test_two_row_header_and_unreadable_date_warns() -> None:
    t = table([
        ["STT", "Văn bản", "Văn bản", "Ngày ban hành"],
        ["", "Số hiệu", "Tên văn bản", ""],
        ["1", "09-KH/CB", "Kế hoạch thực hiện Chỉ thị", "tháng 3/2017"],
    ])
    rows, warnings = read_documents_table(Document(blocks=[t]), CAMPAIGN)
    assert rows == [DocumentRow("09-KH/CB", "Kế hoạch thực hiện Chỉ thị", None)]
    assert warnings and "tháng 3/2017" in warnings[0]


def test_figure_and_header_tables_are_not_the_documents_table() -> None:
    figures = table([["STT", "Nội dung", "Số lượng"], ["1", "Bản tin", "89"]])
    header = table([["CHI BỘ SỞ TƯ PHÁP\n*\nSố 15-BC/CB", "ĐẢNG CỘNG SẢN VIỆT NAM"]])
    assert not is_documents_table(figures, CAMPAIGN)
    assert not is_documents_table(header, CAMPAIGN)
    assert rows_of(figures, header) == []


def test_number_and_date_in_one_cell() -> None:
    t = table([
        ["TT", "Số hiệu, ngày tháng", "Tên văn bản"],
        ["1", "90-KH/CB, ngày 07/05/2017", "Kế hoạch triển khai Chỉ thị"],
        ["2", "33-NQ/CB", "Nghị quyết lãnh đạo năm 2021"],
        ["3", "42-KH/CB ngày 9 tháng 7 năm 2021", "Kế hoạch thực hiện Quyết định 52"],
    ])
    assert rows_of(t) == [
        DocumentRow("90-KH/CB", "Kế hoạch triển khai Chỉ thị", "2017-05-07"),
        DocumentRow("33-NQ/CB", "Nghị quyết lãnh đạo năm 2021", None),
        DocumentRow("42-KH/CB", "Kế hoạch thực hiện Quyết định 52", "2021-07-09"),
    ]


def test_a_table_continued_after_a_page_break() -> None:
    first = table([
        ["STT", "Số, ký hiệu", "Ngày ban hành", "Trích yếu"],
        ["1", "12-KH/CB", "10/3/2017", "Kế hoạch thực hiện Chỉ thị"],
    ])
    rest = table([["2", "13-HD/CB", "11/4/2018", "Hướng dẫn sinh hoạt chuyên đề"]])
    unrelated = table([["Chỉ tiêu", "Số lượng"], ["1", "Hội nghị", "12"]])
    rows, _ = read_documents_table(
        Document(blocks=[first, P(""), P("(tiếp theo)"), rest, P("Một đoạn văn bản dài hơn mười "
                 "hai chữ để ngăn cách hai bảng với nhau trong báo cáo này."), unrelated]),
        CAMPAIGN)
    assert rows == [
        DocumentRow("12-KH/CB", "Kế hoạch thực hiện Chỉ thị", "2017-03-10"),
        DocumentRow("13-HD/CB", "Hướng dẫn sinh hoạt chuyên đề", "2018-04-11"),
    ]


def test_number_and_date_in_one_cell_under_a_date_heading() -> None:
    t = table([
        ["STT", "Số, ngày ban hành", "Trích yếu nội dung", "Cơ quan ban hành"],
        ["1", "Số 09-KH/ĐU ngày 10/3/2017", "Kế hoạch thực hiện Chỉ thị", "Đảng uỷ"],
    ])
    assert rows_of(t) == [DocumentRow("09-KH/ĐU", "Kế hoạch thực hiện Chỉ thị", "2017-03-10")]
