"""Text normalisation for matching Vietnamese text: NFC, folding, whitespace.

`fold` removes every diacritic, so the old/new tone placements ("uỷ"/"ủy",
"hoá"/"hóa") and case differences all compare equal; matching never needs them.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    """NFC with every run of whitespace (soft breaks included) made one space."""
    # str.split() and re's \s agree on what whitespace is; split/join is the faster one.
    return " ".join(nfc(text).split())


def squash(text: str) -> str:
    """collapse() for text already in NFC (the model's paragraph text): whitespace only."""
    return " ".join(text.split())


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
    # _NON_WORD turns every run of other characters (whitespace too) into one space already.
    return _NON_WORD.sub(" ", strip_marks(text).lower()).strip()


_FOLD_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")


def fold_initial(text: str) -> str:
    """The first character of fold(text) ("" when it is empty), without folding it all:
    a cheap pre-filter for patterns anchored at the start of the folded text."""
    for ch in text:
        if ch.isascii():  # the table leaves ASCII alone
            if ch.isalnum():
                return ch.lower()
            continue
        for c in ch.translate(_STRIP_TABLE).lower():
            if c in _FOLD_CHARS:
                return c
    return ""


def fold_first_word(text: str, limit: int) -> str:
    """The first word of fold(text) when it has at most `limit` characters; otherwise its
    first limit + 1 characters (so it equals no short word). Folds only that far."""
    # Folding a prefix gives a prefix of the fold: settled once a space or limit + 1 letters
    # show up in it; otherwise fold character by character below.
    word, sep, _ = fold(text[: limit + 3]).partition(" ")
    if sep or len(word) > limit:
        return word[: limit + 1]
    out: list[str] = []
    for ch in text:
        for c in (ch if ch.isascii() else ch.translate(_STRIP_TABLE)).lower():
            if c in _FOLD_CHARS:
                out.append(c)
                if len(out) > limit:
                    return "".join(out)
            elif out:
                return "".join(out)
    return "".join(out)


_ASCII_LOWER = re.compile(r"[a-z]")


def is_upper_text(text: str) -> bool:
    """True when the text has letters and none of them is lower case."""
    if _ASCII_LOWER.search(text):
        return False  # the usual case for body text, answered without the per-letter scan
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and not any(ch.islower() for ch in letters)
