"""Registration's commands: the bodies of its POST requests."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from shared.commands import Code, Command, Name, Text, Year


class CreateFederation(Command):
    code: Code
    name: Name


class RegisterUnit(Command):
    code: Code
    name: Name
    kind: Literal["upper", "grassroots", "collective", "block"]
    parent: Code | None = Field(None, description="the parent unit's code; none for a top unit")
    effective_on: date | None = Field(
        None, description="since when the unit exists; none for a unit older than the records"
    )


class MoveUnit(Command):
    to_parent: Code | None = Field(
        None, description="the new parent's code; none to sit under the federation"
    )
    effective_on: date


class MergeUnit(Command):
    into: Code = Field(description="the unit that takes over the merged unit's members and subunits")
    effective_on: date


class DissolveUnit(Command):
    effective_on: date


class TransferMember(Command):
    unit: Code
    effective_on: date


class MemberLeaves(Command):
    effective_on: date


class MergeFederation(Command):
    into: Code = Field(description="the receiving federation")
    effective_on: date


class RegisterMember(Command):
    code: Code
    full_name: Name
    unit: Code
    birth_year: int | None = Field(None, ge=1900, le=2100)
    gender: Literal["male", "female", "other"] | None = None
    position: Name | None = None


class Phase(Command):
    name: Name
    starts: date
    ends: date

    @model_validator(mode="after")
    def ordered(self) -> Phase:
        if self.ends < self.starts:
            raise ValueError("a phase must end on or after the day it starts")
        return self


class LaunchMovement(Command):
    code: Code
    name: Name
    theme: Text = ""
    year: Year
    kind: Literal["annual", "thematic", "phase"] = "annual"
    phases: list[Phase] = Field(default_factory=list, max_length=24)
    awards: list[Code] = Field(min_length=1, max_length=100, description="award codes open for pledges")
    registration_deadline: date
    launched_by: Code | None = Field(None, description="a unit launching for its own subtree")


class RegisterPledge(Command):
    movement: Code
    award: Code
    subject_kind: Literal["member", "unit"]
    subject_code: Code
    submitted_by: Code | None = Field(
        None, description="the unit submitting; defaults to the subject's own unit"
    )
    phase: Name | None = None
    pledged_on: date | None = Field(
        None, description="the date on the registration form; defaults to today; never future"
    )


class PledgeDecision(Command):
    reason: Text | None = None
