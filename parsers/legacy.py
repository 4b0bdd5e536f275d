"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC and VNI-Windows) → Unicode.

Word keeps such text as the font's byte values stored as characters U+0000-U+00FF
(or, for bytes 0x80-0x9F, as their cp1252 characters), so a run set in `.VnTime`
reads as "Sè 37-BC/CB". The decision to convert is made per run from its font name.
"""

from __future__ import annotations

import unicodedata

# TCVN3 byte → Unicode, generated once with glibc `iconv -f TCVN5712-1` over 0x80-0xFF
# (ASCII and the C0 control range are left alone: Word text never holds those controls).
_TCVN3_BYTES: dict[int, str] = {
    0x80: "\u00c0", 0x81: "\u1ea2", 0x82: "\u00c3", 0x83: "\u00c1", 0x84: "\u1ea0", 0x85: "\u1eb6",
    0x86: "\u1eac", 0x87: "\u00c8", 0x88: "\u1eba", 0x89: "\u1ebc", 0x8A: "\u00c9", 0x8B: "\u1eb8",
    0x8C: "\u1ec6", 0x8D: "\u00cc", 0x8E: "\u1ec8", 0x8F: "\u0128", 0x90: "\u00cd", 0x91: "\u1eca",
    0x92: "\u00d2", 0x93: "\u1ece", 0x94: "\u00d5", 0x95: "\u00d3", 0x96: "\u1ecc", 0x97: "\u1ed8",
    0x98: "\u1edc", 0x99: "\u1ede", 0x9A: "\u1ee0", 0x9B: "\u1eda", 0x9C: "\u1ee2", 0x9D: "\u00d9",
    0x9E: "\u1ee6", 0x9F: "\u0168", 0xA1: "\u0102", 0xA2: "\u00c2", 0xA3: "\u00ca", 0xA4: "\u00d4",
    0xA5: "\u01a0", 0xA6: "\u01af", 0xA7: "\u0110", 0xA8: "\u0103", 0xA9: "\u00e2", 0xAA: "\u00ea",
    0xAB: "\u00f4", 0xAC: "\u01a1", 0xAD: "\u01b0", 0xAE: "\u0111", 0xAF: "\u1eb0", 0xB0: "\u0300",
    0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323", 0xB5: "\u00e0", 0xB6: "\u1ea3",
    0xB7: "\u00e3", 0xB8: "\u00e1", 0xB9: "\u1ea1", 0xBA: "\u1eb2", 0xBB: "\u1eb1", 0xBC: "\u1eb3",
    0xBD: "\u1eb5", 0xBE: "\u1eaf", 0xBF: "\u1eb4", 0xC0: "\u1eae", 0xC1: "\u1ea6", 0xC2: "\u1ea8",
    0xC3: "\u1eaa", 0xC4: "\u1ea4", 0xC5: "\u1ec0", 0xC6: "\u1eb7", 0xC7: "\u1ea7", 0xC8: "\u1ea9",
    0xC9: "\u1eab", 0xCA: "\u1ea5", 0xCB: "\u1ead", 0xCC: "\u00e8", 0xCD: "\u1ec2", 0xCE: "\u1ebb",
    0xCF: "\u1ebd", 0xD0: "\u00e9", 0xD1: "\u1eb9", 0xD2: "\u1ec1", 0xD3: "\u1ec3", 0xD4: "\u1ec5",
    0xD5: "\u1ebf", 0xD6: "\u1ec7", 0xD7: "\u00ec", 0xD8: "\u1ec9", 0xD9: "\u1ec4", 0xDA: "\u1ebe",
    0xDB: "\u1ed2", 0xDC: "\u0129", 0xDD: "\u00ed", 0xDE: "\u1ecb", 0xDF: "\u00f2", 0xE0: "\u1ed4",
    0xE1: "\u1ecf", 0xE2: "\u00f5", 0xE3: "\u00f3", 0xE4: "\u1ecd", 0xE5: "\u1ed3", 0xE6: "\u1ed5",
    0xE7: "\u1ed7", 0xE8: "\u1ed1", 0xE9: "\u1ed9", 0xEA: "\u1edd", 0xEB: "\u1edf", 0xEC: "\u1ee1",
    0xED: "\u1edb", 0xEE: "\u1ee3", 0xEF: "\u00f9", 0xF0: "\u1ed6", 0xF1: "\u1ee7", 0xF2: "\u0169",
    0xF3: "\u00fa", 0xF4: "\u1ee5", 0xF5: "\u1eeb", 0xF6: "\u1eed", 0xF7: "\u1eef", 0xF8: "\u1ee9",
    0xF9: "\u1ef1", 0xFA: "\u1ef3", 0xFB: "\u1ef7", 0xFC: "\u1ef9", 0xFE: "\u1ef5", 0xFF: "\u1ed0",
}


def _cp1252_char(byte: int) -> str | None:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return None


def _build_tcvn3() -> dict[int, str]:
    table: dict[int, str] = {}
    for byte, uni in _TCVN3_BYTES.items():
        table[byte] = uni  # the latin-1 view: U+00xx
        alt = _cp1252_char(byte)
        if alt is not None and ord(alt) > 0xFF:  # the cp1252 view of 0x80-0x9F
            table[ord(alt)] = uni
    return table


TCVN3_TABLE: dict[int, str] = _build_tcvn3()  # for str.translate

# VNI-Windows: a base letter followed by one mark character. Tone marks (lower / upper):
_VNI_TONES = {"\u0301": "ùÙ", "\u0300": "øØ", "\u0309": "ûÛ", "\u0303": "õÕ", "\u0323": "ïÏ"}
# Circumflex + tone and breve + tone are single mark characters.
_VNI_CIRC_TONES = {"": "âÂ", "\u0301": "áÁ", "\u0300": "àÀ", "\u0309": "åÅ", "\u0303": "ãÃ", "\u0323": "äÄ"}
_VNI_BREVE_TONES = {"": "êÊ", "\u0301": "éÉ", "\u0300": "èÈ", "\u0309": "úÚ", "\u0303": "üÜ", "\u0323": "ëË"}
# Letters that are one VNI character on their own (ơ ư đ and the i's, ỵ).
_VNI_SINGLE = {
    "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ",
    "í": "í", "Í": "Í", "ì": "ì", "Ì": "Ì", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ",
    "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ",
}


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    """(two-character sequences, single characters) → Unicode, both cases of the mark."""
    pairs: dict[str, str] = {}
    for base in "aeiouyAEIOUY":
        for tone, marks in _VNI_TONES.items():
            for mark in marks:
                pairs[base + mark] = _nfc(base + tone)
    for base in "aeoAEO":  # â ê ô + tone
        for tone, marks in _VNI_CIRC_TONES.items():
            for mark in marks:
                pairs[base + mark] = _nfc(base + "\u0302" + tone)
    for base in "aA":  # ă + tone
        for tone, marks in _VNI_BREVE_TONES.items():
            for mark in marks:
                pairs[base + mark] = _nfc(base + "\u0306" + tone)
    for vni, uni in (("ô", "ơ"), ("Ô", "Ơ"), ("ö", "ư"), ("Ö", "Ư")):  # ơ ư + tone
        for tone, marks in _VNI_TONES.items():
            for mark in marks:
                pairs[vni + mark] = _nfc(uni + tone)
    pairs["yï"] = "ỵ"  # some tables write ỵ as y + dot below; "î" is the other spelling
    pairs["YÏ"] = "Ỵ"
    pairs["Yï"] = "Ỵ"
    return pairs, dict(_VNI_SINGLE)


VNI_PAIRS, VNI_SINGLE = _build_vni()
_VNI_MARK_CHARS = frozenset(k[1] for k in VNI_PAIRS)
_VNI_LEADS = frozenset(k[0] for k in VNI_PAIRS)


def font_encoding(font: str | None) -> str | None:
    """"tcvn3" | "tcvn3_upper" | "vni" | None (Unicode) for a font name."""
    if not font:
        return None
    name = font.strip()
    low = name.lower()
    if low.startswith(".vn"):
        # the "…H" fonts (.VnTimeH, .VnArialH) draw the lowercase codes as capitals
        return "tcvn3_upper" if name.endswith("H") else "tcvn3"
    if low.startswith("vni-") or low.startswith("vni "):
        return "vni"
    return None


def decode_tcvn3(text: str, upper: bool = False) -> str:
    out = text.translate(TCVN3_TABLE)
    if upper:
        out = out.upper()
    return _nfc(out)


def decode_vni(text: str) -> str:
    if not any(c in _VNI_MARK_CHARS or c in VNI_SINGLE for c in text):
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _VNI_LEADS and i + 1 < n:
            pair = VNI_PAIRS.get(text[i : i + 2])
            if pair is not None:  # longest match first
                out.append(pair)
                i += 2
                continue
        out.append(VNI_SINGLE.get(ch, ch))
        i += 1
    return _nfc("".join(out))


def decode_legacy(text: str, encoding: str | None) -> str:
    if encoding is None:
        return text
    if encoding == "vni":
        return decode_vni(text)
    return decode_tcvn3(text, upper=encoding == "tcvn3_upper")


# Encoders, used to build test strings from known Vietnamese text.
def _tcvn3_reverse() -> dict[str, str]:
    rev: dict[str, str] = {}
    for byte, uni in sorted(_TCVN3_BYTES.items()):
        if len(uni) == 1 and unicodedata.combining(uni) == 0:
            rev.setdefault(uni, chr(byte))
    return rev


def encode_tcvn3(text: str) -> str:
    """Unicode → TCVN3 bytes-as-characters (latin-1 view); ValueError if not representable.

    Capitals without a TCVN3 code are written as their lowercase code, as .VnTimeH users do.
    """
    rev = _tcvn3_reverse()
    out: list[str] = []
    for ch in _nfc(text):
        if ord(ch) < 0x80 or (ord(ch) < 0x100 and ord(ch) not in _TCVN3_BYTES):
            out.append(ch)  # ASCII, and bytes TCVN3 shares with latin-1 (ý is 0xFD in both)
        elif ch in rev:
            out.append(rev[ch])
        elif ch.lower() in rev:
            out.append(rev[ch.lower()])
        else:
            raise ValueError(f"no TCVN3 code for {ch!r}")
    return "".join(out)


def encode_vni(text: str) -> str:
    rev: dict[str, str] = {}
    for seq, uni in VNI_PAIRS.items():
        if seq in ("yï", "YÏ", "Yï"):
            continue
        # prefer the form with the mark in the same case as the base
        if uni not in rev or (seq[0].isupper() == seq[1].isupper()):
            rev[uni] = seq
    for seq, uni in VNI_SINGLE.items():
        rev[uni] = seq  # ơ ư đ, the i's and ỵ are single characters in VNI
    out: list[str] = []
    for ch in _nfc(text):
        if ord(ch) < 0x80:
            out.append(ch)
        elif ch in rev:
            out.append(rev[ch])
        else:
            raise ValueError(f"no VNI code for {ch!r}")
    return "".join(out)
