"""What a yearly report asks beyond its year, as FastAPI dependencies answering the keyword
arguments its report function takes: nothing, or the awards report's period."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Query

from shared.kernel.periods import PeriodKind

Period = Annotated[
    str | None,
    Query(
        max_length=40,
        description="only grants for this period, ending in `year`: '2023', 'school-year:2022-2023', "
        "'phase:2021-2023' (or 'Năm học 2022–2023', 'Giai đoạn 2021–2023')",
        examples=["phase:2021-2023"],
    ),
]
ReportFn = Callable[..., Awaitable[dict[str, Any]]]  # (reads, scope, year, **what it asked)
Asking = Callable[..., dict[str, Any]]  # a dependency answering what the report asks
Kind = Annotated[PeriodKind | None, Query(description="only grants for this kind of period")]


def nothing_more() -> dict[str, Any]:
    return {}


def award_periods(period: Period = None, period_kind: Kind = None) -> dict[str, Any]:
    return {"period": period, "period_kind": period_kind}
