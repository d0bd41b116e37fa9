"""Registration's commands: the bodies of its POST requests."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from shared.commands import Code, Command, Date, Name, Text, Year


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
    model_config = example({"full_name": "Nguyễn Văn An", "reason": "tên lưu sai ký tự"})

    full_name: Name = Field(description="the name as it should have been stored")
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
    awards: list[Code] = Field(min_length=1, max_length=100, description="award codes open for pledges")
    registration_deadline: Date
    launched_by: Code | None = Field(None, description="a unit launching for its own subtree")


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
    award: Code
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


class Criterion(Command):
    name: Name
    max_score: int = Field(gt=0, le=1000)


class SignCovenant(Command):
    model_config = example(
        {
            "block": "khoi-1",
            "year": 2023,
            "units": ["cdcs-a", "cdcs-b", "cdcs-c"],
            "criteria": [
                {"name": "Thực hiện nhiệm vụ chuyên môn", "max_score": 60},
                {"name": "Hoạt động công đoàn", "max_score": 40},
            ],
            "signed_on": "2023-02-15",
        }
    )

    block: Code
    year: Year
    units: list[Code] = Field(min_length=2, max_length=500, description="the block's signatory units")
    criteria: list[Criterion] = Field(min_length=1, max_length=100, description="the scoring sheet")
    signed_on: Date


class Score(Command):
    unit: Code
    score: float = Field(ge=0)


class ScoreBlock(Command):
    model_config = example({"scores": [{"unit": "cdcs-a", "score": 95}, {"unit": "cdcs-b", "score": 90.5}]})

    scores: list[Score] = Field(min_length=1, max_length=500)


class AcclaimLeader(Command):
    model_config = example({"units": ["cdcs-a"], "acclaimed_on": "2023-12-15"})

    units: list[Code] = Field(min_length=1, max_length=10, description="the acclaimed leader(s)")
    acclaimed_on: Date


class AssignTarget(Command):
    model_config = example(
        {
            "unit": "ldld-tp-bac-kan",
            "programme": "initiatives",
            "year": 2023,
            "target": 1800,
            "origin": "assigned",
        }
    )

    unit: Code
    programme: Code = Field(examples=["initiatives"])
    year: Year
    target: int = Field(gt=0, le=100_000_000)
    origin: Literal["assigned", "self"] = "assigned"
    assigned_by: Code | None = Field(
        None, description="the upper unit assigning; none for the federation; the unit itself for 'self'"
    )


class RegisterInitiative(Command):
    model_config = example(
        {
            "code": "sk-2023-0001",
            "title": "Phần mềm quản lý hồ sơ đoàn viên",
            "field": "công nghệ thông tin",
            "benefit_value": 150000000,
            "author_kind": "member",
            "author_code": "dv-0001",
            "year": 2023,
            "registered_on": "2023-03-01",
        }
    )

    code: Code
    title: Name
    field: Name
    benefit_value: int = Field(0, ge=0, description="VND")
    author_kind: Literal["member", "unit"]
    author_code: Code
    year: Year
    registered_on: Date


class DecideInitiative(Command):
    model_config = example({"on": "2023-11-20", "council_of": "ldld-tp-bac-kan", "benefit_value": 120000000})

    on: Date
    council_of: Code = Field(description="the unit whose council decides: the initiative's unit or above")
    benefit_value: int | None = Field(None, ge=0, description="the value the council recognises, VND")
    reason: Text | None = None


class RegisterWork(Command):
    model_config = example(
        {
            "code": "ct-01",
            "name": "Nhà văn hoá công nhân",
            "unit": "ldld-tp-bac-kan",
            "value": 1200000000,
            "occasion": "Đại hội Đảng bộ tỉnh lần thứ XII",
            "year": 2023,
            "registered_on": "2023-03-01",
        }
    )

    code: Code
    name: Name
    unit: Code
    value: int = Field(ge=0, description="VND")
    occasion: Name
    year: Year
    registered_on: Date


class WorkStep(Command):
    model_config = example({"on": "2023-09-30"})

    on: Date
