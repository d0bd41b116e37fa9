"""Vietnamese formats (dates dd/mm/yyyy, 1.530, 160,4 %, 57,7 tỷ đồng) and collation."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DATE_FORM = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def date_vn(value: Any) -> str:
    """05/12/2026; what is not a date is shown as given."""
    d = as_date(value)
    return d.strftime("%d/%m/%Y") if d else ("" if value is None else str(value))


def date_prose(value: Any) -> str:
    """ngày 05 tháng 12 năm 2026"""
    d = as_date(value)
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}" if d else ""


def parse_date_vn(text: str | None) -> date | None:
    """dd/mm/yyyy (or yyyy-mm-dd, what a date input sends) to a date; None if it is not one."""
    if not text or not text.strip():
        return None
    m = DATE_FORM.match(text)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def number_vn(value: Any, decimals: int = 0) -> str:
    """1.530; 160,4 with one decimal: dots group thousands, a comma marks decimals."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    quantum = Decimal(1).scaleb(-decimals)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def percent_vn(value: Any, decimals: int = 1) -> str:
    """160,4 %"""
    return "" if value is None else f"{number_vn(value, decimals)} %"


def money_vn(value: Any) -> str:
    """57.700.000.000 đồng"""
    return "" if value is None else f"{number_vn(value)} đồng"


def money_short(value: Any) -> str:
    """For summaries: 57,7 tỷ đồng; 3,7 tỷ đồng; 150 triệu đồng."""
    if value is None:
        return ""
    amount = Decimal(str(value))
    for size, word in ((Decimal(10**9), "tỷ"), (Decimal(10**6), "triệu"), (Decimal(10**3), "nghìn")):
        if abs(amount) >= size:
            text = number_vn(amount / size, 1)
            return f"{text.removesuffix(',0')} {word} đồng"
    return money_vn(amount)


# Vietnamese collation: letters in the alphabet's order (a ă â b c d đ e ê …), then tones
# (none, huyền, hỏi, ngã, sắc, nặng) as a second level.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {ch: i for i, ch in enumerate(ALPHABET)}
_SHAPE = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    tones: list[int] = []
    for ch in text.lower():
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        letter = base
        tone = 0
        for mark in marks:
            if mark in _TONE:
                tone = _TONE[mark]
            elif mark == "\u0306":
                letter = "ă"
            elif mark == "\u0302":
                letter = {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
            elif mark == "\u031b":
                letter = {"o": "ơ", "u": "ư"}.get(base, base)
        primary.append(_LETTER.get(letter, 100 + ord(letter)))
        tones.append(tone)
    return tuple(primary), tuple(tones)


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return _letters(text or "")


def sort_vn(items: list[Any], attribute: str | None = None) -> list[Any]:
    def key(item: Any) -> Any:
        value = item.get(attribute) if attribute and isinstance(item, dict) else item
        return collation_key(str(value or ""))

    return sorted(items, key=key)


FILTERS = {
    "date_vn": date_vn,
    "date_prose": date_prose,
    "number_vn": number_vn,
    "percent_vn": percent_vn,
    "money_vn": money_vn,
    "money_short": money_short,
    "sort_vn": sort_vn,
}
