"""Registration's commands for covenants, targets, initiatives and works: the bodies of their
POST requests."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.registration.application.commands import REASON, example
from shared.kernel.commands import MONEY_MAX, Code, Command, Date, Name, Text, Year


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
    benefit_value: int = Field(0, ge=0, le=MONEY_MAX, description="VND")
    author_kind: Literal["member", "unit"]
    author_code: Code
    year: Year
    registered_on: Date


class DecideInitiative(Command):
    model_config = example({"on": "2023-11-20", "council_of": "ldld-tp-bac-kan", "benefit_value": 120000000})

    on: Date
    council_of: Code = Field(description="the unit whose council decides: the initiative's unit or above")
    benefit_value: int | None = Field(
        None, ge=0, le=MONEY_MAX, description="the value the council recognises, VND"
    )
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
    value: int = Field(ge=0, le=MONEY_MAX, description="VND")
    occasion: Name
    year: Year
    registered_on: Date


class WorkStep(Command):
    model_config = example({"on": "2023-09-30"})

    on: Date


class CorrectInitiative(Command):
    """An initiative's details as they should have been stored: those given (at least one)."""

    model_config = example({"title": "Phần mềm quản lý hồ sơ đoàn viên", "reason": "tên ghi sai"})

    title: Name | None = Field(None, description="the title as it should have been stored")
    field: Name | None = Field(None, description="the field as it should have been stored")
    benefit_value: int | None = Field(
        None, ge=0, le=MONEY_MAX, description="the benefit value declared, VND"
    )
    reason: Text | None = Field(None, min_length=1, description=REASON)


class CorrectWork(Command):
    """A dedicated work's details as they should have been stored: those given (at least one)."""

    model_config = example({"value": 1250000000, "reason": "giá trị quyết toán"})

    name: Name | None = Field(None, description="the name as it should have been stored")
    value: int | None = Field(None, ge=0, le=MONEY_MAX, description="VND")
    occasion: Name | None = Field(None, description="the occasion it is dedicated to")
    reason: Text | None = Field(None, min_length=1, description=REASON)
