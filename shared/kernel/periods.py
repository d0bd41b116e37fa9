"""The period a grant, a title or a report covers: a calendar year, a school year ("năm học
2022–2023") or a phase of several years ("giai đoạn 2021–2023", a five-year term).

A period counts for the calendar year it ends in (its `to`): a school year's title for the
year the school year ends, a phase's award for its last year. So `year` everywhere stays the
year a grant counts for in the rules ("consecutive" runs over calendar years) and in the
yearly reports, and the period says what the award was for. Two grants of one award to one
subject clash only for the same period: 2023, school year 2022–2023 and phase 2021–2023 are
three periods.

Written as an object `{"kind": "phase", "from": 2021, "to": 2023}`, or compactly as its `key`
("2023", "school-year:2022-2023", "phase:2021-2023"), or in Vietnamese ("Năm 2023", "Năm học
2022–2023", "Giai đoạn 2021–2023", "Nhiệm kỳ 2023–2028")."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from shared.kernel.errors import Invalid
from shared.kernel.text import fold

YEAR = "year"
SCHOOL_YEAR = "school-year"
PHASE = "phase"
KINDS = (YEAR, SCHOOL_YEAR, PHASE)
PeriodKind = Literal["year", "school-year", "phase"]
LONGEST_PHASE = 10  # calendar years, first and last included
FIRST_YEAR, LAST_YEAR = 1945, 2100
LABELS = {YEAR: "Năm", SCHOOL_YEAR: "Năm học", PHASE: "Giai đoạn"}
# Vietnamese words (folded) for each kind, as a sheet's period column or a form may say it.
_WORDS = {"nam hoc": SCHOOL_YEAR, "giai doan": PHASE, "nhiem ky": PHASE, "nam": YEAR}
_COMPACT = re.compile(r"^(?:(year|school-year|phase):)?(\d{4})(?:\s*[-–]\s*(\d{4}))?$")
_SPOKEN = re.compile(r"^(nam hoc|giai doan|nhiem ky|nam)\s+(\d{4})(?:\s*[-–]\s*(\d{4}))?$")


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    first: int
    last: int

    @property
    def year(self) -> int:
        """The calendar year the period counts for: the one it ends in."""
        return self.last

    @property
    def key(self) -> str:
        """The compact form, also a grant's business key: '2023' for a calendar year."""
        return str(self.last) if self.kind == YEAR else f"{self.kind}:{self.first}-{self.last}"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return f"Năm {self.last}"
        return f"{LABELS[self.kind]} {self.first}–{self.last}"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "from": self.first, "to": self.last}


@functools.lru_cache(maxsize=512, typed=True)  # every row of a list asks; a Period is frozen
def calendar(year: int) -> Period:
    return Period(YEAR, year, year)


def problem(kind: str, first: int, last: int) -> str | None:
    """Why these bounds make no period of this kind, or None."""
    if kind not in KINDS:
        return f"the kind is one of {', '.join(KINDS)}"
    if not FIRST_YEAR <= first <= last <= LAST_YEAR:
        return f"from and to are years from {FIRST_YEAR} to {LAST_YEAR}, from not after to"
    if kind == YEAR and first != last:
        return "a calendar year starts and ends in the same year"
    if kind == SCHOOL_YEAR and last != first + 1:
        return "a school year runs from one year to the next (e.g. 2022-2023)"
    if kind == PHASE and not 1 <= last - first < LONGEST_PHASE:
        return f"a phase runs over 2 to {LONGEST_PHASE} years (e.g. 2021-2023)"
    return None


def parse(value: Any) -> Period:
    """A period from its object, compact or Vietnamese form; ValueError saying why not. A
    compact 'YYYY-YYYY' without a kind is a school year if one year apart, else a phase."""
    if isinstance(value, Period):
        return value
    if isinstance(value, dict):
        kind, first, last = value.get("kind", YEAR), value.get("from"), value.get("to")
        if type(kind) is str and type(first) in _BOUNDS and type(last) in _BOUNDS:
            return _of_bounds(kind, first, last)  # a stored period, read again for every event
        first = last if first is None else first
        last = first if last is None else last
        if not (isinstance(first, int) and isinstance(last, int)) or bool in (type(first), type(last)):
            raise ValueError("a period gives its years as numbers: from and to")
    elif isinstance(value, int) and not isinstance(value, bool):
        kind, first, last = YEAR, value, value
    elif isinstance(value, str):
        kind, first, last = _from_text(value)
    else:
        raise ValueError("a period is an object {kind, from, to} or a text such as 'phase:2021-2023'")
    if why := problem(str(kind), first, last):
        raise ValueError(why)
    return Period(str(kind), first, last)


_BOUNDS = (int, type(None))


@functools.lru_cache(maxsize=1024)
def _of_bounds(kind: str, first: int | None, last: int | None) -> Period:
    """`parse` of {kind, from, to} given as a text and years (exactly int: a bool is refused)."""
    first = last if first is None else first
    last = first if last is None else last
    if first is None or last is None:
        raise ValueError("a period gives its years as numbers: from and to")
    if why := problem(kind, first, last):
        raise ValueError(why)
    return Period(kind, first, last)


def _from_text(value: str) -> tuple[str, int, int]:
    text = value.strip()
    compact = _COMPACT.match(text)
    spoken = None if compact else _SPOKEN.match(fold(text).replace("–", "-"))
    found = compact or spoken
    if found is None or len(text) > 40:
        raise ValueError(
            "a period is written '2023', 'school-year:2022-2023', 'phase:2021-2023', "
            "'Năm học 2022–2023' or 'Giai đoạn 2021–2023'"
        )
    said, first_text, last_text = found.groups()
    first = int(first_text)
    last = int(last_text) if last_text else first
    if compact:
        kind = said or (YEAR if last == first else SCHOOL_YEAR if last == first + 1 else PHASE)
    else:
        kind = _WORDS[said]
    return kind, first, last


def of(period: dict[str, Any] | None, year: int) -> Period:
    """A stored period (an event's, a row's), or the calendar year where none was stated."""
    return parse(period) if period else calendar(year)


def stated(body: PeriodBody | None, year: int, field: str = "period") -> Period:
    """The period a command states for `year` (the calendar year where it states none); one
    that does not end in `year` is refused naming `field`."""
    if body is None:
        return calendar(year)
    if body.last != year:
        raise Invalid.on(field, f"the period ends in {body.last}; it must end in the year {year}")
    return body.period


def _object_or_text(value: Any) -> Any:
    """The compact and Vietnamese forms, read into the object form before it is validated."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        try:
            return parse(value).as_dict()
        except ValueError as exc:
            raise ValueError(str(exc)) from None
    return value


class PeriodBody(BaseModel):
    """A period as a command states it."""

    model_config = ConfigDict(extra="forbid")

    kind: PeriodKind = "year"
    first: int = Field(alias="from", ge=FIRST_YEAR, le=LAST_YEAR, examples=[2021])
    last: int = Field(alias="to", ge=FIRST_YEAR, le=LAST_YEAR, examples=[2023])

    @model_validator(mode="after")
    def a_period(self) -> PeriodBody:
        if why := problem(self.kind, self.first, self.last):
            raise ValueError(why)
        return self

    @property
    def period(self) -> Period:
        return Period(self.kind, self.first, self.last)


PeriodIn = Annotated[
    PeriodBody,
    BeforeValidator(_object_or_text),
    Field(
        description="what the awards are for: a calendar year, a school year or a phase of 2 to 10 "
        "years, which counts for the year it ends in; also written '2023', 'school-year:2022-2023', "
        "'phase:2021-2023', 'Năm học 2022–2023' or 'Giai đoạn 2021–2023'",
        examples=[{"kind": "school-year", "from": 2022, "to": 2023}],
    ),
]
