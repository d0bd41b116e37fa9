"""Which grants an awards report counts by their period (shared.kernel.periods): all of the
year's, those of one period ending in it (`period=phase:2021-2023`), or those of one kind of
period (`period_kind=school-year`). A value; asked for by the report's query string."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.kernel import periods
from shared.kernel.errors import Invalid


@dataclass(frozen=True)
class PeriodFilter:
    kind: str | None = None
    first: int | None = None  # with `kind`: the one period of that kind ending in the year

    @staticmethod
    def asked(year: int, period: str | None, period_kind: str | None) -> PeriodFilter:
        """The filter a report's query asks for; a period that is not one, does not end in the
        report's year or is not of `period_kind` is refused naming its parameter."""
        if period is None:
            return PeriodFilter(period_kind)
        try:
            found = periods.parse(period)
        except ValueError as exc:
            raise Invalid.on("period", str(exc)) from None
        if found.last != year:
            raise Invalid.on("period", f"{found.label} counts for {found.last}, not for the year {year}")
        if period_kind is not None and period_kind != found.kind:
            raise Invalid.on("period_kind", f"{found.label} is of kind '{found.kind}'")
        return PeriodFilter(found.kind, found.first)

    def echoed(self, year: int) -> dict[str, Any]:
        """What the report says it was filtered by (nothing when it was not)."""
        if self.kind is None:
            return {}
        if self.first is None:
            return {"period_kind": self.kind}
        period = periods.Period(self.kind, self.first, year)
        return {"period": period.key, "period_name": period.label}
