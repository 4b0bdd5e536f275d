"""Vietnamese numerals: dot thousands, comma decimals, and what is not a clean number."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregators.vnformat import format_money, format_number
from parsers.indicators import extract_facts
from parsers.model import Segment
from parsers.numbers import clean_numbers, join_split_numbers, parse_vn_number
from pipeline.config import load_campaign


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("4.961", 4961),
        ("140.000", 140000),
        ("350.000.000", 350000000),
        ("1,2", 1.2),
        ("180,5", 180.5),
        ("09", 9),
        ("0", 0),
        ("1.5", 1.5),
        ("12", 12),
        ("1,200,000", 1200000),
    ],
)
def test_parse_vn_number(written, value):
    assert parse_vn_number(written) == value


@pytest.mark.parametrize("written", ["", "abc", "1.2.3", "05/9/2016", "1,2,3"])
def test_parse_vn_number_rejects(written):
    assert parse_vn_number(written) is None


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("trên 4.961 hội nghị với 140.000 người dự.", ["4.961", "140.000"]),
        ("ngày 05/9/2016", []),
        ("Quyết định số 52/2016/QĐ-TTg", []),
        ("Kế hoạch 81-KH/TU, số 07-CT/TW", []),
        ("đạt 100% và 98,5%", []),
        ("144/144 xã", []),
        ("Covid-19", []),
        ("điện thoại 0210.3867.392", []),
        ("điện thoại 0912345678", []),
        ("2016-2021", []),
        ("2016 - 2021", ["2016", "2021"]),  # a clean pair; context rejects it as a range
        ("chi 350.000.000đ", ["350.000.000"]),
        ("1,2 tỷ đồng", ["1,2"]),
        ("mục 2.1.3", []),
        ("là 12.", ["12"]),
    ],
)
def test_clean_numbers(text, numbers):
    assert [n.written for n in clean_numbers(text)] == numbers


def test_join_split_numbers():
    assert join_split_numbers("tổ chức 4.\n961 hội nghị") == "tổ chức 4.961 hội nghị"
    assert join_split_numbers("1.400\n000 đồng") == "1.400000 đồng"  # caller sees one token
    assert join_split_numbers("không xuống dòng") == "không xuống dòng"


@given(st.integers(min_value=0, max_value=10**12))
def test_round_trip_of_the_digest_formatter(n):
    written = format_number(n)
    assert parse_vn_number(written) == n
    assert [x.value for x in clean_numbers(f"tổng {written} tờ gấp")] == [n]


CAMPAIGN = load_campaign()


@settings(deadline=None)  # the first example builds the spaCy pipeline
@given(st.integers(min_value=1, max_value=10**5).map(lambda k: k * 10**5))
def test_money_written_by_the_formatter_is_read_back_in_dong(dong):
    text = f"Tổng kinh phí là {format_money(dong)}."
    facts = extract_facts([Segment(text, "P2.I.3")], CAMPAIGN)
    assert [(f.indicator, f.value) for f in facts] == [("kinh_phi", dong)], text
