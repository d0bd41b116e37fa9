"""Working days for public disclosure, by Vietnam's calendar: weekends, the public holidays the
`holidays` library keeps for Vietnam (Tết Nguyên đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh,
and the days off the government announced for the years it has them) and the weekends the
government made working days in exchange (its `weekend_workdays`); then each federation's own
days off and its own make-up working Saturdays (its policy), which win over the library's."""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

import holidays as vn_calendar

SATURDAY = 5


@functools.lru_cache(maxsize=64)
def national(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Vietnam's public days off of `year`, and the weekend days the government made working."""
    found = vn_calendar.country_holidays("VN", years=year)
    return frozenset(found), frozenset(d for d in found.weekend_workdays if d.year == year)


@dataclass(frozen=True)
class WorkingCalendar:
    days_off: frozenset[date] = frozenset()  # the federation's own, beside the national ones
    working_saturdays: frozenset[date] = frozenset()  # the federation's own make-up days

    @classmethod
    def of(
        cls, days_off: Collection[str | date], working_saturdays: Collection[str | date]
    ) -> WorkingCalendar:
        return cls(frozenset(map(_day, days_off)), frozenset(map(_day, working_saturdays)))

    def is_working_day(self, day: date) -> bool:
        if day in self.working_saturdays:
            return True
        if day in self.days_off:
            return False
        off, worked = national(day.year)
        if day in worked:
            return True
        return day.weekday() < SATURDAY and day not in off


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def disclosure_ends(starts_on: date, working_days: int, calendar: WorkingCalendar) -> date:
    """The last day of a disclosure of `working_days` working days, counting its first day
    if that is a working day. A decision may be signed only after this day."""
    day, counted = starts_on, 0
    while True:
        if calendar.is_working_day(day):
            counted += 1
            if counted >= working_days:
                return day
        day += timedelta(days=1)
