"""parsers.legacy: TCVN3 (ABC) and VNI-Windows text → Unicode."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from parsers.legacy import (
    TCVN3_TABLE,
    decode_legacy,
    decode_tcvn3,
    decode_vni,
    encode_tcvn3,
    encode_vni,
    font_encoding,
)
from tests.helpers import require_binary

SENTENCES = [
    "Triển khai trên 4.961 hội nghị chuyên đề với trên 140.000 người dự",
    "Đảng bộ Khối các cơ quan tỉnh Phú Thọ; Ban Tuyên giáo Đảng uỷ Khối",
    "Sơ kết 5 năm thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư Trung ương Đảng (khoá XII)",
    "ă â đ ê ô ơ ư à ả ã á ạ ằ ẳ ẵ ắ ặ ầ ẩ ẫ ấ ậ è ẻ ẽ é ẹ ề ể ễ ế ệ ì ỉ ĩ í ị "
    "ò ỏ õ ó ọ ồ ổ ỗ ố ộ ờ ở ỡ ớ ợ ù ủ ũ ú ụ ừ ử ữ ứ ự ỳ ỷ ỹ ý ỵ",
]


def test_tcvn3_table_matches_glibc_iconv() -> None:
    require_binary("iconv")
    for byte in range(0x80, 0x100):
        done = subprocess.run(
            ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes([byte]), capture_output=True
        )
        expected = done.stdout.decode() if done.returncode == 0 else chr(byte)
        got = chr(byte).translate(TCVN3_TABLE)
        assert got == expected, hex(byte)


@pytest.mark.parametrize("text", SENTENCES)
def test_tcvn3_round_trip(text: str) -> None:
    lower = text.lower()
    encoded = encode_tcvn3(lower)
    assert encoded != lower and all(ord(c) < 0x100 for c in encoded)
    assert decode_tcvn3(encoded) == lower


def test_tcvn3_known_bytes() -> None:
    # the bytes Word showed for a .VnTime run in a real report
    assert decode_tcvn3("Sè 37-BC/CB") == "Số 37-BC/CB"
    assert decode_tcvn3("ViÖt Tr×, ngµy 06 th¸ng 7 n¨m 2022") == "Việt Trì, ngày 06 tháng 7 năm 2022"
    assert decode_tcvn3("Ban BÝ th\xad Trung \xad¬ng §¶ng") == "Ban Bí thư Trung ương Đảng"


def test_tcvn3_uppercase_fonts() -> None:
    assert decode_tcvn3("phÇn thø hai", upper=True) == "PHẦN THỨ HAI"
    assert decode_legacy("®¶ng céng s¶n viÖt nam", font_encoding(".VnTimeH")) == "ĐẢNG CỘNG SẢN VIỆT NAM"


def test_tcvn3_cp1252_view_of_high_controls() -> None:
    for byte in range(0x80, 0xA0):
        try:
            as_cp1252 = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        assert decode_tcvn3(as_cp1252) == decode_tcvn3(chr(byte)), hex(byte)


def test_output_is_nfc() -> None:
    # 0xB0-0xB4 are combining tone marks in TCVN3: the result is composed
    assert decode_tcvn3("a\xb3") == "á"
    assert unicodedata.is_normalized("NFC", decode_tcvn3(encode_tcvn3(SENTENCES[3])))


@pytest.mark.parametrize("text", SENTENCES + [s.upper() for s in SENTENCES])
def test_vni_round_trip(text: str) -> None:
    encoded = encode_vni(text)
    assert encoded != text
    assert decode_vni(encoded) == text


def test_vni_longest_match_and_variants() -> None:
    assert decode_vni("Vieät Nam") == "Việt Nam"
    assert decode_vni("ngöôøi") == "người"  # ö → ư, ô + ø → ờ
    assert decode_vni("Ñaûng") == "Đảng"
    assert decode_vni("yï") == decode_vni("î") == "ỵ"  # both published spellings of ỵ
    assert decode_vni("plain ascii 4.961") == "plain ascii 4.961"


def test_font_encoding() -> None:
    assert font_encoding(".VnTime") == "tcvn3"
    assert font_encoding(".VnArial") == "tcvn3"
    assert font_encoding(".VnTimeH") == "tcvn3_upper"
    assert font_encoding(".VnArialH") == "tcvn3_upper"
    assert font_encoding("VNI-Times") == "vni"
    assert font_encoding("VNI-Helve") == "vni"
    assert font_encoding("Times New Roman") is None
    assert font_encoding(None) is None


def test_unicode_text_untouched_without_legacy_font() -> None:
    assert decode_legacy("Công tác", None) == "Công tác"
