"""Registration's commands: the bodies of its POST requests for the tree, movements and pledges
(those for covenants, targets, initiatives and works are in activity_commands.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from shared.kernel.commands import Code, Command, Date, Name, Text, Year


def example(body: dict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [body]})


class CreateFederation(Command):
    model_config = example({"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})

    code: Code
    name: Name


class RegisterUnit(Command):
    model_config = example(
        {
            "code": "cdcs-truong-a",
            "name": "CĐCS Trường THPT A",
            "kind": "grassroots",
            "parent": "ldld-tp-bac-kan",
            "effective_on": "2020-01-01",
        }
    )

    code: Code
    name: Name
    kind: Literal["upper", "grassroots", "collective", "block"]
    parent: Code | None = Field(None, description="the parent unit's code; none for a top unit")
    effective_on: Date | None = Field(
        None, description="since when the unit exists; none for a unit older than the records"
    )


class MoveUnit(Command):
    model_config = example({"to_parent": "cd-phuong-duc-xuan", "effective_on": "2025-07-01"})

    to_parent: Code | None = Field(
        None, description="the new parent's code; none to sit under the federation"
    )
    effective_on: Date


class MergeUnit(Command):
    model_config = example({"into": "cdcs-truong-b", "effective_on": "2025-07-01"})

    into: Code = Field(description="the unit that takes over the merged unit's members and subunits")
    effective_on: Date


class RecodeUnit(Command):
    """A unit's code changed (a new numbering, a typo in the code): it goes on under `code`."""

    model_config = example(
        {
            "code": "cdcs-thpt-a-2025",
            "effective_on": "2025-07-01",
            "reason": "Đánh số lại theo Quyết định 12/QĐ",
        }
    )

    code: Code = Field(description="the unit's new code; the old one stays findable and leads to it")
    effective_on: Date
    reason: Text | None = Field(None, min_length=1, description="why the code changed (or in `X-Reason`)")


class DissolveUnit(Command):
    model_config = example({"effective_on": "2025-07-01"})

    effective_on: Date


class TransferMember(Command):
    model_config = example({"unit": "cdcs-truong-b", "effective_on": "2024-09-01"})

    unit: Code
    effective_on: Date


class MemberLeaves(Command):
    model_config = example({"effective_on": "2025-07-01"})

    effective_on: Date


class MergeFederation(Command):
    model_config = example({"into": "thai-nguyen", "effective_on": "2025-07-01"})

    into: Code = Field(description="the receiving federation")
    effective_on: Date


class RegisterMember(Command):
    model_config = example(
        {
            "code": "dv-0001",
            "full_name": "Nguyễn Văn An",
            "unit": "cdcs-truong-a",
            "birth_year": 1985,
            "gender": "male",
            "position": "Giáo viên",
        }
    )

    code: Code
    full_name: Name
    unit: Code
    birth_year: int | None = Field(None, ge=1900, le=2100)
    gender: Literal["male", "female", "other"] | None = None
    position: Name | None = None


REASON = "why the stored value is wrong (or send it in `X-Reason`); recorded in the event"


class CorrectMember(Command):
    """A member's details as they should have been stored: those given (at least one)."""

    model_config = example({"full_name": "Nguyễn Văn An", "birth_year": 1985, "reason": "tên lưu sai ký tự"})

    full_name: Name | None = Field(None, description="the name as it should have been stored")
    birth_year: int | None = Field(None, ge=1900, le=2100, description="not after this year; null clears it")
    gender: Literal["male", "female", "other"] | None = Field(None, description="null clears it")
    position: Name | None = Field(None, description="null clears it")
    reason: Text | None = Field(None, min_length=1, description=REASON)


class CorrectName(Command):
    """A unit's or a federation's name, corrected."""

    model_config = example({"name": "CĐCS Trường THPT A", "reason": "tên lưu sai ký tự"})

    name: Name = Field(description="the name as it should have been stored")
    reason: Text | None = Field(None, min_length=1, description=REASON)


class Phase(Command):
    name: Name
    starts: Date
    ends: Date

    @model_validator(mode="after")
    def ordered(self) -> Phase:
        if self.ends < self.starts:
            raise ValueError("a phase must end on or after the day it starts")
        return self


class LaunchMovement(Command):
    model_config = example(
        {
            "code": "td-2023",
            "name": "Phong trào thi đua năm 2023",
            "theme": "Lao động giỏi, lao động sáng tạo",
            "year": 2023,
            "kind": "annual",
            "phases": [
                {"name": "Đợt 1", "starts": "2023-01-31", "ends": "2023-05-31"},
                {"name": "Đợt 2", "starts": "2023-06-01", "ends": "2023-12-31"},
            ],
            "awards": ["bang-khen-ldld", "co-thi-dua-ldld"],
            "registration_deadline": "2023-03-31",
        }
    )

    code: Code
    name: Name
    theme: Text = ""
    year: Year
    kind: Literal["annual", "thematic", "phase"] = "annual"
    phases: list[Phase] = Field(default_factory=list, max_length=24)
    awards: list[Code] = Field(
        default_factory=list,
        max_length=100,
        description="award codes open for pledges: any in force in the movement's year, the defaults "
        "or the federation's own; none for a campaign",
    )
    registration_deadline: Date
    launched_by: Code | None = Field(None, description="a unit launching for its own subtree")
    launcher: Code | None = Field(
        None,
        description="who launched it, e.g. prime-minister, ubnd-tinh, tld; default: the launching unit "
        "or the federation",
        examples=["ubnd-tinh"],
    )
    launcher_name: Name | None = Field(None, description="the launcher's name, with `launcher`")


class AmendMovement(Command):
    """What changes in an open movement (those given, at least one), with the reason."""

    model_config = example(
        {"registration_deadline": "2023-04-30", "awards": ["bang-khen-ldld"], "reason": "Gia hạn đăng ký"}
    )

    name: Name | None = None
    theme: Text | None = None
    phases: list[Phase] | None = Field(None, max_length=24, description="all of them, as they are to be")
    awards: list[Code] | None = Field(
        None, max_length=100, description="all awards open for new pledges; pledges already made stay"
    )
    registration_deadline: Date | None = Field(None, description="earlier or later; pledges made stay")
    reason: Text | None = Field(None, min_length=1, description="why it changes (or send it in `X-Reason`)")


class RegisterPledge(Command):
    model_config = example(
        {
            "movement": "td-2023",
            "award": "bang-khen-ldld",
            "subject_kind": "member",
            "subject_code": "dv-0001",
            "submitted_by": "cdcs-truong-a",
            "phase": "Đợt 1",
            "pledged_on": "2023-02-01",
        }
    )

    movement: Code
    award: Code | None = Field(
        None, description="omitted or null: a participation pledge, to take part without a specific award"
    )
    subject_kind: Literal["member", "unit"]
    subject_code: Code
    submitted_by: Code | None = Field(
        None, description="the unit submitting; defaults to the subject's own unit"
    )
    phase: Name | None = None
    pledged_on: Date | None = Field(
        None, description="the date on the registration form; defaults to today; never future"
    )


class PledgeDecision(Command):
    model_config = example({"reason": "Thiếu xác nhận của thủ trưởng đơn vị"})

    reason: Text | None = None


class ResubmitPledge(Command):
    """A returned pledge sent again: as it was (no body), or with corrections (those given) and why."""

    model_config = example(
        {"pledged_on": "2023-01-15", "phase": "Đợt 1", "reason": "ngày trên phiếu là 15/01"}
    )

    pledged_on: Date | None = Field(None, description="the date on the form, as it should have been stored")
    phase: Name | None = Field(None, description="the movement's phase; null clears it")
    submitted_by: Code | None = Field(
        None, description="the unit submitting: the subject's own or one above it"
    )
    reason: Text | None = Field(None, min_length=1, description=REASON)


class HeadcountLine(Command):
    unit: Code
    counted_on: Date = Field(description="the day the figures were counted")
    workers: int = Field(ge=0, le=10_000_000, description="workers (CNVCLĐ) in the unit")
    members: int = Field(ge=0, le=10_000_000, description="of them, union members")


class RecordHeadcounts(Command):
    """Units' declared headcounts; one bad row refuses the list, each named by its row."""

    model_config = example(
        {"headcounts": [{"unit": "cdcs-a", "counted_on": "2023-12-31", "workers": 24, "members": 23}]}
    )

    headcounts: list[HeadcountLine] = Field(min_length=1, max_length=5000)
    reason: Text | None = Field(None, min_length=1, description="why figures already recorded change")
