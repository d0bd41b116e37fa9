"""Vietnamese formats (dates dd/mm/yyyy, 1.530, 160,4 %, 57,7 tỷ đồng) and collation."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from shared.kernel import clock

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


def days_left(deadline: Any, today: date | None = None) -> str:
    """A deadline as the days it leaves: "còn 12 ngày", "hạn cuối hôm nay", "quá hạn 3 ngày"."""
    d = as_date(deadline)
    if d is None:
        return ""
    days = (d - (today or clock.today())).days
    if days > 0:
        return f"còn {number_vn(days)} ngày"
    if days == 0:
        return "hạn cuối hôm nay"
    return f"quá hạn {number_vn(-days)} ngày"


def deadline_class(deadline: Any, today: date | None = None, soon: int = 7) -> str:
    """The tag's class for a deadline: open, soon (a week or less), late."""
    d = as_date(deadline)
    if d is None:
        return "open"
    days = (d - (today or clock.today())).days
    return "late" if days < 0 else "soon" if days <= soon else "open"


# Vietnamese collation: letters in the alphabet's order (a ă â b c d đ e ê …), then tones
# (none, huyền, hỏi, ngã, sắc, nặng) as a second level.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {ch: i for i, ch in enumerate(ALPHABET)}
_SHAPE = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text).lower():
        if ch.isspace():
            # A word ends before any letter: "An Bình" before "Anh".
            if primary and primary[-1] != -1:
                primary.append(-1)
                tones.append(0)
            continue
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
        if letter.isdigit():
            order = -20 + int(letter) if letter in "0123456789" else 100 + ord(letter)
        else:
            order = _LETTER.get(letter, 100 + ord(letter))
        primary.append(order)
        tones.append(tone)
    while primary and primary[-1] == -1:
        primary.pop()
        tones.pop()
    return tuple(primary), tuple(tones)


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """The key that sorts names as a Vietnamese reader expects: by letters in the alphabet's
    order (a ă â b c d đ e ê … o ô ơ … u ư …), digits before letters, a word before a longer one
    ("An Bình" before "Anh"), then by tone (none, huyền, hỏi, ngã, sắc, nặng), and last by the
    text itself so equal keys keep one order."""
    value = text or ""
    primary, tones = _letters(value.strip())
    return primary, tones, value


def sort_vn(items: list[Any], attribute: str | None = None) -> list[Any]:
    def key(item: Any) -> Any:
        if attribute and isinstance(item, dict):
            value = item.get(attribute)
        elif attribute:
            value = getattr(item, attribute, item)
        else:
            value = item
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
    "days_left": days_left,
    "deadline_class": deadline_class,
}
