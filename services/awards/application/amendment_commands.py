"""The bodies of a decision's amendment and cancellation (application/amendments.py)."""

from __future__ import annotations

from pydantic import Field

from services.awards.application.commands import GrantLine
from shared.kernel.commands import Command, Date, Key, Name, Text

REASON = "why the decision is amended or cancelled (or send it in `X-Reason`); recorded in the events"


class NameCorrection(Command):
    grant: Key = Field(description="the id of the decision's grant whose grantee's name is corrected")
    subject_name: Name = Field(description="the name as it should be printed")


class AmendDecision(Command):
    """Lines added (checked as an issued decision's are), removed (by grant id: counted as never
    granted) and grantees' names corrected; at least one of them."""

    add: list[GrantLine] = Field([], max_length=10_000)
    remove: list[Key] = Field([], max_length=10_000, description="ids of the decision's grants to remove")
    correct: list[NameCorrection] = Field([], max_length=10_000)
    reason: Text | None = Field(None, description=REASON)


class CancelDecision(Command):
    reason: Text | None = Field(None, description=REASON)
    cancelled_on: Date | None = Field(
        None, description="the day the cancellation takes effect; today if not given"
    )
