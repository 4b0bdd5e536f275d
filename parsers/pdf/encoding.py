"""Legacy 8-bit Vietnamese text whose font name was lost.

A Word file typed in .VnTime or VNI-Times and exported where those fonts are missing
(LibreOffice substitutes DejaVu Sans) keeps the 8-bit codes but not the font name, so the
encoding is guessed from the text: a paragraph with no Vietnamese Unicode letter whose
TCVN3 or VNI reading gives more well-formed Vietnamese syllables is decoded. The ".VnTimeH"
capitals come out as lower case, so a decoded paragraph with no capital at all is put in
capitals. LibreOffice also draws TCVN3 "ư" (0xAD, the soft hyphen) as nothing; the common
syllables that lost it are restored.
"""

from __future__ import annotations

import re
import unicodedata

from parsers.legacy import decode_tcvn3, decode_vni

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
# Vowel groups of Vietnamese syllables (toneless), final glides included.
_NUCLEI = (
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu",
    "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ",
    "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "iêu", "oai", "oay", "oao", "oeo",
    "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yê", "yêu",
)
_SYLLABLE = re.compile(
    _ONSET + "(?:" + "|".join(sorted(_NUCLEI, key=len, reverse=True)) + ")(?:ch|ng|nh|[cmnpt])?$"
)
_WORD = re.compile(r"[^\s\d.,;:!?()\"'“”‘’\-–/%]+")
# Letters that only Unicode Vietnamese has (ă â đ ê ô ơ ư and the toned vowels outside latin-1).
_UNICODE_VIET = re.compile(r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
                           r"\u01af\u01b0\u1ea0-\u1ef9\u0300-\u0323]")
_HIGH = re.compile(r"[\u0080-\u00ff\u2013-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                   r"\u0192\u02c6\u02dc\u20ac\u2122]")


def _valid(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONES)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return bool(_SYLLABLE.match(bare))


_BASES = frozenset("abcdeghiklmnopqrstuvxyđfjwz")
_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")


def _odd(ch: str) -> bool:
    """A letter Vietnamese does not write (TCVN3/VNI codes read as latin-1: "Ö", "ø")."""
    d = unicodedata.normalize("NFD", ch.lower())
    return d[0] not in _BASES or any(m not in _MARKS for m in d[1:])


def syllable_score(text: str) -> tuple[int, int]:
    """(well-formed syllables, minus letters outside the Vietnamese alphabet)."""
    valid = sum(1 for w in _WORD.findall(text) if _valid(w))
    odd = sum(1 for ch in unicodedata.normalize("NFC", text) if ch.isalpha() and _odd(ch))
    return valid, -odd


def guess(text: str) -> str | None:
    """"tcvn3" | "vni" when the text reads better decoded; None for Unicode text."""
    if _UNICODE_VIET.search(text) or not _HIGH.search(text):
        return None
    raw = syllable_score(text)
    best, best_score = None, raw
    for name, decoded in (("tcvn3", decode_tcvn3(text)), ("vni", decode_vni(text))):
        score = syllable_score(decoded)
        if score > best_score:
            best, best_score = name, score
    return best


def could_be(text: str) -> bool:
    """Text a document-wide legacy encoding may apply to (8-bit letters, no Unicode ones)."""
    return not _UNICODE_VIET.search(text) and bool(_HIGH.search(text))


# Rhymes that never follow a bare "ơ": the "ư" of "ươ" was lost ("trờng" → "trường").
_LOST_UO = re.compile(r"(?<![ưƯ])([ơờớởỡợ])(ng|c|t|u)(?![a-zà-ỹ])", re.IGNORECASE)
_LOST_UOI = re.compile(r"\b(ng)([ơờớởỡợ]i)\b", re.IGNORECASE)
_BARE_ONSET = re.compile(r"\b(nh|th|tr|ng|[ctsdlhm])(ng)?\b")


_LOST_UU = re.compile(r"\b([uU])(?= (?:điểm|tiên|đãi|thế|việt)\b)")  # "ưu điểm", "ưu tiên"


def restore_u(text: str) -> str:
    """Put back the TCVN3 "ư" (0xAD) that a soft-hyphen rendering dropped."""
    text = _LOST_UO.sub(lambda m: _u_before(m.group(1)) + m.group(1) + m.group(2), text)
    text = _LOST_UOI.sub(lambda m: m.group(1) + "ư" + m.group(2), text)
    text = _BARE_ONSET.sub(lambda m: m.group(1) + "ư" + (m.group(2) or ""), text)
    return _LOST_UU.sub(lambda m: "Ưu" if m.group(1) == "U" else "ưu", text)


_CODE = re.compile(r"\d[-/][^\W\d_]{2,}")  # "51-kh/đu": document numbers are capitals
_LEADING_LABEL = re.compile(r"^\s*(?:[IVXLC]+|\d{1,2}|[a-z])\s*[.)/:\-–]\s*")


def _u_before(o: str) -> str:
    return "Ư" if o.isupper() else "ư"


def decode(text: str, encoding: str, bold: bool = False) -> str:
    """Decode a paragraph guessed to be in `encoding`, with the fixes described above."""
    if encoding == "vni":
        return decode_vni(text)
    out = restore_u(decode_tcvn3(text))
    letters = [c for c in _LEADING_LABEL.sub("", out) if c.isalpha()]
    if (len(letters) >= 2 and not any(c.isupper() for c in letters)
            and (bold or len(out.split()) >= 4 or _CODE.search(out))):
        out = out.upper()  # a ".VnTimeH" capitals font (a title, a header line)
    return unicodedata.normalize("NFC", out)
