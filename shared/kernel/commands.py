"""Field types shared by command bodies: codes, names (NFC), free text, identifiers, years and
dates. Each refuses, with a message for its field, what must never be stored: control
characters (free text keeps line breaks and tabs), bidirectional and invisible formatting
characters, and dates outside 1945 to ten years ahead. Every text or date field of a command
uses one of them (a unit test walks the commands)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from shared.kernel import clock
from shared.kernel.text import nfc, unsafe

EARLIEST = date(1945, 1, 1)
YEARS_AHEAD = 10


def _refuse(problem: str) -> PydanticCustomError:
    return PydanticCustomError("unsafe_text", problem)


def checked_name(value: Any) -> Any:
    if isinstance(value, str):
        if problem := unsafe(value):
            raise _refuse(problem)
        return nfc(value)
    return value


def checked_text(value: Any) -> Any:
    if isinstance(value, str):
        if problem := unsafe(value, lines=True):
            raise _refuse(problem)
        return nfc(value)
    return value


def checked_key(value: Any) -> Any:
    """An identifier as given (an id, a token's subject): no control or invisible character."""
    if isinstance(value, str) and (problem := unsafe(value)):
        raise _refuse(problem)
    return value


def latest_date() -> date:
    today = clock.today()
    if today.month == 2 and today.day == 29:
        return date(today.year + YEARS_AHEAD, 3, 1)
    return today.replace(year=today.year + YEARS_AHEAD)


# Dates before this year's are never past the horizon, whatever the clock says later.
_SURELY_IN_RANGE = clock.today().year + YEARS_AHEAD


def checked_date(value: date) -> date:
    if value < EARLIEST:
        raise PydanticCustomError("date_range", "must be on or after {earliest}", {"earliest": str(EARLIEST)})
    if value.year >= _SURELY_IN_RANGE and value > (latest := latest_date()):
        raise PydanticCustomError(
            "date_range",
            "must be at most {years} years ahead, on or before {latest}",
            {"years": YEARS_AHEAD, "latest": str(latest)},
        )
    return value


def checked_json(value: Any) -> Any:
    """Free-form JSON (rule clauses): every key and string in it as a name's."""
    if problem := _unsafe_in(value, ""):
        raise _refuse(problem)
    return value


def _unsafe_in(value: Any, where: str) -> str | None:
    if isinstance(value, str):
        problem = unsafe(value)
        return f"{where}: {problem}" if problem and where else problem
    if isinstance(value, dict):
        items = [(str(k), k) for k in value] + [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(str(i), v) for i, v in enumerate(value)]
    else:
        return None
    for key, item in items:
        if problem := _unsafe_in(item, f"{where}.{key}" if where else key):
            return problem
    return None


# The validators a guarded field carries, besides Code's pattern (tests/unit/test_text_hygiene.py
# walks the commands).
GUARDS = frozenset({checked_name, checked_text, checked_key, checked_date, checked_json})

# The pattern (checked in pydantic-core, no Python call: a list checks four codes a row) admits
# no control, invisible or space character; nothing is trimmed first, so a code sent with a
# trailing line break or space is refused, not stored trimmed.
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=False, to_lower=True, pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$"),
    Field(description="a code: lower-case letters, digits, '-', '.', '_' (at most 64)", examples=["bac-kan"]),
]
# The validators run before the type's own checks (last in the list, so they see the input).
Name = Annotated[str, StringConstraints(min_length=1, max_length=300), BeforeValidator(checked_name)]
Text = Annotated[str, StringConstraints(max_length=4000), BeforeValidator(checked_text)]
Key = Annotated[str, BeforeValidator(checked_key)]
Year = Annotated[int, Field(ge=1945, le=2100, examples=[2023])]
Date = Annotated[date, AfterValidator(checked_date)]
Json = AfterValidator(checked_json)


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

# Đồng amounts fit a PostgreSQL bigint (read models store them so; JSON encoders stop there too).
MONEY_MAX = 2**63 - 1
