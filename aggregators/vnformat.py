"""Numbers, dates and money written the Vietnamese way: `1.250`, `1,2 tỷ đồng`."""

from __future__ import annotations

from datetime import date

QUALIFIER_WORDS = {"tren": "trên", "hon": "hơn", "gan": "gần", "khoang": "khoảng"}


def format_number(value: float, decimals: int = 0) -> str:
    """12345 → "12.345"; 1.5 with decimals=1 → "1,5"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def format_money(dong: float) -> str:
    """Amounts in đồng as a person writes them, exactly: "350 triệu đồng", "1,2 tỷ đồng"."""
    for size, word in ((1_000_000_000, "tỷ"), (1_000_000, "triệu")):
        if abs(dong) >= size:
            for decimals in range(4):
                amount = round(dong / size, decimals)
                if amount * size == dong:
                    return f"{format_number(amount, decimals)} {word} đồng"
    return f"{format_number(dong)} đồng"


def format_quantity(value: float, lower_bound: bool = False, money: bool = False) -> str:
    """A total with "trên" in front when any part of it was a lower bound."""
    text = format_money(value) if money else format_number(value)
    return f"trên {text}" if lower_bound else text


def format_date_long(day: date) -> str:
    """date(2022, 8, 5) → "ngày 05 tháng 8 năm 2022" (Party documents pad days below 10)."""
    return f"ngày {day.day:02d} tháng {day.month} năm {day.year}"
