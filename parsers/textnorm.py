"""Text normalisation for matching Vietnamese text: NFC, folding, whitespace.

`fold` removes every diacritic, so the old/new tone placements ("uỷ"/"ủy",
"hoá"/"hóa") and case differences all compare equal; matching never needs them.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    """NFC with every run of whitespace (soft breaks included) made one space."""
    return _WS.sub(" ", nfc(text)).strip()


def _strip_table() -> dict[int, str | None]:
    """One translate table: every precomposed Latin letter → its base, marks → nothing."""
    table: dict[int, str | None] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0x00C0, 0x1F00):
        ch = chr(code)
        if unicodedata.combining(ch):
            table[code] = None
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii():
            table[code] = base
    return table


_STRIP_TABLE = _strip_table()


def strip_marks(text: str) -> str:
    """Remove diacritics (tone and vowel marks) and map đ → d; case is kept."""
    return text.translate(_STRIP_TABLE)


def fold(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces: the form every matcher compares."""
    return _WS.sub(" ", _NON_WORD.sub(" ", strip_marks(text).lower())).strip()


def is_upper_text(text: str) -> bool:
    """True when the text has letters and none of them is lower case."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and not any(ch.islower() for ch in letters)
