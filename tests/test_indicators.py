"""Indicator extraction from sentences, footnotes and figure tables (parsers.indicators)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from parsers.campaign import IndicatorDef
from parsers.indicators import extract_facts, matcher_for, split_clauses
from parsers.model import Segment
from pipeline.config import load_campaign
from tests.fixtures.indicator_sentences import CASES

CAMPAIGN = load_campaign()


def triples(facts):
    return Counter((f.indicator, f.value, f.qualifier) for f in facts)


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_fixture_sentence(text, expected):
    facts = extract_facts([Segment(text=text, section="P2.I.1")], CAMPAIGN)
    assert triples(facts) == Counter(expected)


def test_fixture_set_precision_and_recall():
    tp = fp = fn = 0
    for text, expected in CASES:
        got = triples(extract_facts([Segment(text=text, section=None)], CAMPAIGN))
        want = Counter(expected)
        tp += sum((got & want).values())
        fp += sum((got - want).values())
        fn += sum((want - got).values())
    assert len(CASES) >= 80
    assert sum(1 for _, e in CASES if not e) >= 25  # plenty of distractors
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.95


def test_fact_carries_sentence_term_section_and_location():
    text = (
        "- Chi bộ đã ban hành Kế hoạch số 09-KH/CB, ngày 13/2/2017. Triển khai trên 4.961 hội "
        "nghị chuyên đề với trên 140.000 người dự; treo 45 băng rôn."
    )
    facts = extract_facts([Segment(text=text, section="P1.1", location="body")], CAMPAIGN)
    assert [(f.indicator, f.value, f.qualifier, f.term) for f in facts] == [
        ("hoi_nghi", 4961, "tren", "hội nghị"),
        ("luot_nguoi_du", 140000, "tren", "người dự"),
        ("bang_ron", 45, None, "băng rôn"),
    ]
    assert facts[0].sentence == "Triển khai trên 4.961 hội nghị chuyên đề với trên 140.000 người dự"
    assert facts[2].sentence == "treo 45 băng rôn"
    assert {(f.section, f.location) for f in facts} == {("P1.1", "body")}
    assert all(isinstance(f.value, int) for f in facts)


def test_footnote_location_and_money_in_dong():
    segs = [
        Segment("Kinh phí cả giai đoạn là 1,2 tỷ đồng", "P2.I.3", "body"),
        Segment("Tổ chức 22 hội nghị với hơn 2.820 lượt người dự.", "P2.I.1", "footnote"),
    ]
    facts = extract_facts(segs, CAMPAIGN)
    assert [(f.indicator, f.value, f.qualifier, f.section, f.location) for f in facts] == [
        ("kinh_phi", 1_200_000_000, None, "P2.I.3", "body"),
        ("hoi_nghi", 22, None, "P2.I.1", "footnote"),
        ("luot_nguoi_du", 2820, "hon", "P2.I.1", "footnote"),
    ]
    assert facts[0].term == "tỷ đồng"


def test_split_clauses_keeps_numbers_and_label_colons():
    assert split_clauses("Tổ chức 4.961 hội nghị; 1,2 tỷ đồng. Hội nghị: 12. Cụ thể: tốt") == [
        "Tổ chức 4.961 hội nghị", "1,2 tỷ đồng", "Hội nghị: 12", "Cụ thể", "tốt",
    ]


FIGURES = [
    ["STT", "Nội dung", "Đơn vị tính", "Số lượng"],
    ["1", "Tài liệu tuyên truyền phát hành", "Tài liệu", "570"],
    ["2", "Bản tin nội bộ phát hành", "Số", "13"],
    ["3", "Băng rôn, khẩu hiệu", "Chiếc", "khoảng 71"],
    ["4", "Buổi tuyên truyền miệng, sinh hoạt chuyên đề", "Buổi", "58"],
    ["5", "Kinh phí đầu tư", "Triệu đồng", "180,5"],
    ["6", "Số đảng viên", "Người", "52"],
]


def test_figure_table_rows_give_one_fact_each():
    facts = extract_facts([Segment("", "P2.I.1", "table", FIGURES)], CAMPAIGN)
    assert [(f.indicator, f.value, f.qualifier) for f in facts] == [
        ("tai_lieu", 570, None),
        ("ban_tin", 13, None),
        ("bang_ron", 71, "khoang"),
        ("buoi_tuyen_truyen", 58, None),
        ("kinh_phi", 180_500_000, None),
    ]
    assert {(f.section, f.location) for f in facts} == {("P2.I.1", "table")}
    assert facts[0].sentence.startswith("1 | Tài liệu tuyên truyền phát hành")


def test_two_column_table_and_header_table_and_documents_table():
    two = [["Chỉ tiêu", "Kết quả"], ["Hội nghị quán triệt", "12"], ["Lượt người tham dự", "trên 1.000"]]
    header = [["ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH\n*\nSố 10-BC/CB", "Việt Trì, ngày 20 tháng 7 năm 2022"]]
    documents = [
        ["STT", "Số hiệu văn bản", "Tên văn bản", "Ngày ban hành"],
        ["1", "12-KH/ĐU", "Kế hoạch thực hiện Chỉ thị số 07-CT/TW ngày 05/9/2016", "29/1/2017"],
        ["2", "07-NQ/ĐU", "Nghị quyết lãnh đạo thực hiện nhiệm vụ chính trị năm 2018", "29/5/2018"],
        ["3", "10-CV/ĐU", "Công văn về việc tăng cường tuyên truyền trên mạng xã hội", "5/7/2020"],
    ]
    segs = [Segment("", "P1", "table", header), Segment("", "P1.1", "table", two),
            Segment("", None, "table", documents)]
    facts = extract_facts(segs, CAMPAIGN)
    assert [(f.indicator, f.value, f.qualifier, f.section) for f in facts] == [
        ("hoi_nghi", 12, None, "P1.1"),
        ("luot_nguoi_du", 1000, "tren", "P1.1"),
    ]


def test_tables_with_several_value_columns_give_a_fact_per_cell():
    by_year = [["Nội dung", "Năm 2019", "Năm 2020", "Năm 2021"],
               ["Hội nghị quán triệt (hội nghị)", "4", "6", "5"],
               ["Tờ gấp, tờ rơi (tờ)", "1.200", "-", "900"]]
    by_level = [["TT", "Hình thức", "Số lượng", "Số lượng"],
                ["TT", "Hình thức", "Cấp tỉnh", "Cơ sở"],
                ["1", "Pa nô, áp phích (tấm)", "30", "210"],
                ["2", "Kinh phí (triệu đồng)", "1.860", "95"]]
    with_total = [["Nội dung", "2020", "2021", "Tổng cộng"],
                  ["Băng rôn, khẩu hiệu", "40", "35", "75"]]
    segs = [Segment("", "P2.I.1", "table", t) for t in (by_year, by_level, with_total)]
    assert [(f.indicator, f.value) for f in extract_facts(segs, CAMPAIGN)] == [
        ("hoi_nghi", 4), ("hoi_nghi", 6), ("hoi_nghi", 5), ("to_gap", 1200), ("to_gap", 900),
        ("pa_no", 30), ("pa_no", 210), ("kinh_phi", 1_860_000_000), ("kinh_phi", 95_000_000),
        ("bang_ron", 75),  # the total alone: the years would count it twice
    ]


def test_a_figure_in_a_unit_the_indicator_is_not_counted_in_is_no_fact():
    rows = [["STT", "Nội dung", "Đơn vị tính", "Số lượng"],
            ["1", "Hội nghị quán triệt", "Hội nghị", "8"],
            ["2", "Điểm cầu hội nghị trực tuyến", "Điểm", "5"],
            ["3", "Tài liệu phát hành", "Bản", "1.200"],
            ["3", "Đội ngũ báo cáo viên", "Đồng chí", "8"],
            ["4", "Phòng họp trực tuyến của hội nghị", "", "12 m2"]]
    facts = extract_facts([Segment("", "P1.1", "table", rows)], CAMPAIGN)
    assert [(f.indicator, f.value) for f in facts] == [
        ("hoi_nghi", 8), ("tai_lieu", 1200), ("bao_cao_vien", 8)]


def test_table_without_rows_is_read_as_text():
    facts = extract_facts([Segment("Tổ chức 5 hội nghị | 200 người dự", "P1.1", "table")], CAMPAIGN)
    assert triples(facts) == Counter([("hoi_nghi", 5, None), ("luot_nguoi_du", 200, None)])


def test_another_campaign_is_configuration_not_code():
    other = replace(
        CAMPAIGN,
        id="tong-ket-nq35",
        indicators=(
            IndicatorDef("bai_phan_bac", "Bài viết phản bác", ("bài phản bác", "bài đấu tranh")),
            IndicatorDef("luc_luong", "Thành viên lực lượng 47", ("thành viên",)),
            IndicatorDef("chi_phi", "Chi phí", ("đồng",), unit="VND"),
        ),
    )
    text = "Đăng 120 bài phản bác, 45 bài đấu tranh; lực lượng có 30 thành viên; chi 2 triệu đồng."
    facts = extract_facts([Segment(text, "P1")], other)
    assert triples(facts) == Counter(
        [("bai_phan_bac", 120, None), ("bai_phan_bac", 45, None), ("luc_luong", 30, None),
         ("chi_phi", 2_000_000, None)]
    )
    # The reference campaign's terms mean nothing to it.
    assert extract_facts([Segment("Tổ chức 12 hội nghị", "P1")], other) == []


def test_matcher_is_built_once_per_campaign():
    assert matcher_for(CAMPAIGN) is matcher_for(CAMPAIGN)
    assert matcher_for(replace(CAMPAIGN, id="x")) is not matcher_for(CAMPAIGN)


def test_spacy_pipeline_is_blank_vietnamese_with_syllable_tokens():
    nlp = matcher_for(CAMPAIGN).nlp
    assert nlp.lang == "vi"
    assert [t.text for t in nlp.make_doc("với trên 140.000 người dự;")] == [
        "với", "trên", "140.000", "người", "dự", ";",
    ]


def test_nfd_text_and_capitals():
    import unicodedata

    text = unicodedata.normalize("NFD", "TỔ CHỨC 14 HỘI NGHỊ, PHÁT HÀNH 933 TỜ GẤP")
    facts = extract_facts([Segment(text, "P2.I.1")], CAMPAIGN)
    assert triples(facts) == Counter([("hoi_nghi", 14, None), ("to_gap", 933, None)])
