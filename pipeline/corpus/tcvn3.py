"""Unicode → TCVN3 (ABC, the `.VnTime` / `.VnTimeH` fonts) encoder for generated documents.

The table was produced once with glibc `iconv -t TCVN5712-1`, restricted to the 67 lowercase
letters and the 7 uppercase base letters TCVN3 fonts have. Accented capitals do not exist in
TCVN3: `.VnTimeH` fonts draw the lowercase codes as capitals, so such text is lower-cased first.
Word stores each byte as the character with the same code point (latin-1 view).
"""

from __future__ import annotations

import unicodedata

TCVN3_BYTES: dict[str, int] = {
    "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "à": 0xB5, "á": 0xB8, "â": 0xA9, "ã": 0xB7, "è": 0xCC,
    "é": 0xD0, "ê": 0xAA, "ì": 0xD7, "í": 0xDD, "ò": 0xDF, "ó": 0xE3, "ô": 0xAB, "õ": 0xE2,
    "ù": 0xEF, "ú": 0xF3, "ý": 0xFD, "Ă": 0xA1, "ă": 0xA8, "Đ": 0xA7, "đ": 0xAE, "ĩ": 0xDC,
    "ũ": 0xF2, "Ơ": 0xA5, "ơ": 0xAC, "Ư": 0xA6, "ư": 0xAD, "ạ": 0xB9, "ả": 0xB6, "ấ": 0xCA,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ậ": 0xCB, "ắ": 0xBE, "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD,
    "ặ": 0xC6, "ẹ": 0xD1, "ẻ": 0xCE, "ẽ": 0xCF, "ế": 0xD5, "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4,
    "ệ": 0xD6, "ỉ": 0xD8, "ị": 0xDE, "ọ": 0xE4, "ỏ": 0xE1, "ố": 0xE8, "ồ": 0xE5, "ổ": 0xE6,
    "ỗ": 0xE7, "ộ": 0xE9, "ớ": 0xED, "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ợ": 0xEE, "ụ": 0xF4,
    "ủ": 0xF1, "ứ": 0xF8, "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ự": 0xF9, "ỳ": 0xFA, "ỵ": 0xFE,
    "ỷ": 0xFB, "ỹ": 0xFC,
}

_ENCODE = {ord(k): chr(v) for k, v in TCVN3_BYTES.items()}


def can_encode(text: str) -> bool:
    """True when every character of NFC `text` is ASCII or has a TCVN3 code."""
    return all(c.isascii() or c in TCVN3_BYTES for c in unicodedata.normalize("NFC", text))


def encode_vntime(text: str) -> str:
    """Text as Word stores it in a `.VnTime` run (caller checked `can_encode`)."""
    return unicodedata.normalize("NFC", text).translate(_ENCODE)


def encode_vntimeh(text: str) -> str:
    """Text for a `.VnTimeH` (capitals) run: lowercase codes, displayed as capitals."""
    return unicodedata.normalize("NFC", text).lower().translate(_ENCODE)
