"""Vietnamese numerals as units write them: `4.961`, `1,2 tỷ đồng`, `09`, `12 (mười hai)`.

Dot groups thousands, comma marks decimals. A number glued to `/`, `-`, `%`, letters or
more digits (dates, document numbers, ratios, percentages, phone numbers) is not a
"clean" number and is never reported by `clean_numbers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def wordset(words: str) -> frozenset[str]:
    """A set of space-separated words (keeps long Vietnamese word lists readable)."""
    return frozenset(words.split())


# A clean numeral: thousands groups `4.961` / `350.000.000`, or plain digits with an
# optional decimal part `1,2` `180,5`. Nothing glued before (`/2016`, `-19`, `CT/TW`)
# and after only whitespace, punctuation that is not a continuation, or a glued money
# suffix (`350.000.000đ`).
_NUM = re.compile(
    r"(?<![\w/.,\-–])"
    r"(\d{1,3}(?:\.\d{3})+(?:,\d+)?"  # 4.961, 1.400,5
    r"|\d{1,3}(?:,\d{3}){2,}"  # English-style 1,200,000
    r"|\d+\.\d{1,2}(?=\s+(?:tỷ|tỉ|triệu|nghìn|ngàn)\b)"  # English-style 1.5 tỷ
    r"|\d+(?:,\d+)?)"  # 12, 09, 1,2
    r"(?![.,]\d)"
    r"(?=đ(?:ồng)?\b|[^\w/%\-–]|[\-–]\s|$)"
)

_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3}){2,}")
_DECIMAL_COMMA = re.compile(r"\d+,\d+")
_DECIMAL_POINT = re.compile(r"\d+\.\d{1,2}")

# Syllable tokens: a whole numeral, a word, or one punctuation mark.
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+|[^\w\s]")

# A number broken by a soft line break (`4.\n961`, `1.400\n000`): join it back.
_SPLIT_NUMBER = re.compile(r"(?<=\d)([.,]?)[ \t]*\n[ \t]*(?=\d)")

QUALIFIERS: dict[str, str] = {
    "trên": "tren",
    "hơn": "hon",
    "gần": "gan",
    "khoảng": "khoang",
    "ước": "khoang",
    "xấp xỉ": "khoang",
    "ước tính": "khoang",
    "ước khoảng": "khoang",
    "chừng": "khoang",
    "khoảng chừng": "khoang",
}

# Scale words after a numeral: `1,2 tỷ`, `1.400 triệu`, `5 nghìn`.
MULTIPLIERS: dict[str, int] = {"tỷ": 10**9, "tỉ": 10**9, "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3}

# Spelled-out digits, for skipping `12 (mười hai)` after a numeral.
_SPELLED = wordset(
    "không một hai ba bốn năm sáu bảy bẩy tám chín mười mươi mốt lăm nhăm tư trăm nghìn ngàn "
    "triệu tỷ tỉ linh lẻ chục"
)


@dataclass(frozen=True)
class NumberSpan:
    start: int  # character offsets in the text it was found in
    end: int
    written: str  # "4.961", "09", "1,2"
    value: int | float


def parse_vn_number(written: str) -> int | float | None:
    """Value of a Vietnamese numeral: "4.961"→4961, "1,2"→1.2, "09"→9, "1.5"→1.5,
    and the English-style "1,200,000"→1200000."""
    text = written.strip()
    if not text or not text[0].isdigit():
        return None
    if _THOUSANDS.fullmatch(text):
        int_part, _, frac = text.partition(",")
        whole = int(int_part.replace(".", ""))
        return whole + float("0." + frac) if frac else whole
    if _COMMA_GROUPS.fullmatch(text):  # English-style "1,200,000": unambiguous
        return int(text.replace(",", ""))
    if _DECIMAL_COMMA.fullmatch(text):
        return float(text.replace(",", "."))
    if _DECIMAL_POINT.fullmatch(text):  # English-style decimal point: "1.5 tỷ"
        return float(text)
    if text.isdecimal():
        return int(text)
    return None


def as_count(value: int | float) -> int | float:
    """Integral floats become ints (counts and đồng amounts are whole numbers)."""
    if isinstance(value, float) and abs(value - round(value)) < 1e-6:
        return int(round(value))
    return value


def scale(value: int | float, multiplier: int) -> int | float:
    """`1,2` × 10⁹ → 1 200 000 000 exactly (no binary float residue)."""
    return as_count(round(value * multiplier, 6))


def join_split_numbers(text: str) -> str:
    """Undo a line break inside a numeral ("4.\\n961" → "4.961")."""
    return _SPLIT_NUMBER.sub(r"\1", text) if "\n" in text else text


def clean_numbers(text: str) -> list[NumberSpan]:
    """Every clean numeral in `text` (not part of a date, code, ratio, percentage, phone)."""
    out: list[NumberSpan] = []
    for m in _NUM.finditer(text):
        written = m.group(1)
        value = parse_vn_number(written)
        if value is None:
            continue
        # A long number with a leading zero is a phone number or a code, not a count.
        digits = written.replace(".", "").replace(",", "")
        if digits.startswith("0") and len(digits) > 3:
            continue
        out.append(NumberSpan(m.start(1), m.end(1), written, value))
    return out


def is_spelled_number(words: list[str]) -> bool:
    """True for the words of a spelled-out numeral: ["mười", "hai"]."""
    return bool(words) and all(w.lower() in _SPELLED for w in words)
