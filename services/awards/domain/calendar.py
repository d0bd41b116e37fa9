"""Working days for public disclosure: weekends and configured holidays do not count."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def disclosure_ends(starts_on: date, working_days: int, holidays: Collection[date]) -> date:
    """The last day of a disclosure of `working_days` working days, counting its first day
    if that is a working day. A decision may be signed only after this day."""
    day, counted = starts_on, 0
    while True:
        if is_working_day(day, holidays):
            counted += 1
            if counted >= working_days:
                return day
        day += timedelta(days=1)
