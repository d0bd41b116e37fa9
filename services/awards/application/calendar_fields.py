"""Command fields of the working calendar: a make-up working Saturday is a Saturday."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from shared.kernel.commands import checked_date

SATURDAY = 5


def saturday(value: date) -> date:
    if value.weekday() != SATURDAY:
        raise PydanticCustomError("not_saturday", "{day} is not a Saturday", {"day": value.isoformat()})
    return value


WorkingSaturday = Annotated[date, AfterValidator(checked_date), AfterValidator(saturday)]
