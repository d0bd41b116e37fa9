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


class Criterion(Command):
    name: Name
    max_score: int = Field(gt=0, le=1000)


class SignCovenant(Command):
    block: Code
    year: Year
    units: list[Code] = Field(min_length=2, max_length=500, description="the block's signatory units")
    criteria: list[Criterion] = Field(min_length=1, max_length=100, description="the scoring sheet")
    signed_on: date


class Score(Command):
    unit: Code
    score: float = Field(ge=0)


class ScoreBlock(Command):
    scores: list[Score] = Field(min_length=1, max_length=500)


class AcclaimLeader(Command):
    units: list[Code] = Field(min_length=1, max_length=10, description="the acclaimed leader(s)")
    acclaimed_on: date


class AssignTarget(Command):
    unit: Code
    programme: Code = Field(examples=["initiatives"])
    year: Year
    target: int = Field(gt=0, le=100_000_000)
    origin: Literal["assigned", "self"] = "assigned"
    assigned_by: Code | None = Field(
        None, description="the upper unit assigning; none for the federation; the unit itself for 'self'"
    )


class RegisterInitiative(Command):
    code: Code
    title: Name
    field: Name
    benefit_value: int = Field(0, ge=0, description="VND")
    author_kind: Literal["member", "unit"]
    author_code: Code
    year: Year
    registered_on: date


class DecideInitiative(Command):
    on: date
    council_of: Code = Field(description="the unit whose council decides: the initiative's unit or above")
    benefit_value: int | None = Field(None, ge=0, description="the value the council recognises, VND")
    reason: Text | None = None


class RegisterWork(Command):
    code: Code
    name: Name
    unit: Code
    value: int = Field(ge=0, description="VND")
    occasion: Name
    year: Year
    registered_on: date


class WorkStep(Command):
    on: date
