"""Vietnamese dates → ISO: "10/3/2017", "10-3-2017", "10.3.2017", "ngày 10 tháng 3 năm 2017"."""

from __future__ import annotations

import re
from datetime import date

from parsers.textnorm import nfc, strip_marks

_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?!\d)")
# Run on diacritic-free lower-case text: "ngay 10 thang 3 nam 2017".
_WORDS = re.compile(
    r"(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:,?\s*nam\s*|,\s*)(\d{4})(?!\d)"
)


def _iso(day: int, month: int, year: int) -> str | None:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first date written in `text`, as ISO "YYYY-MM-DD"; None when there is none."""
    if not text:
        return None
    plain = strip_marks(nfc(text)).lower()
    found: list[tuple[int, str]] = []
    m = _WORDS.search(plain)
    if m:
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            found.append((m.start(), iso))
    for m in _NUMERIC.finditer(plain):
        iso = _iso(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if iso:
            found.append((m.start(), iso))
            break
    return min(found)[1] if found else None
