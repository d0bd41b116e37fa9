"""Awards' commands: the bodies of its POST requests."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from shared.commands import Code, Command, Name, Text, Year


class GrantLine(Command):
    subject_kind: Literal["member", "unit"]
    subject_code: Code
    award: Code


class IssueDecision(Command):
    number: Name = Field(
        description="the decision's number, unique per authority and year", examples=["123/QĐ-LĐLĐ"]
    )
    signed_on: date
    signer: Name
    year: Year = Field(description="the period the awards are for")
    title: Text = ""
    authority: Code | None = Field(
        None, description="the issuing authority; defaults to the federation ('ldld:<code>')"
    )
    grants: list[GrantLine] = Field(min_length=1, max_length=10_000)


class RevokeGrant(Command):
    reason: Text = Field(min_length=1)
    reference: Name = Field(description="the revoking decision's number or document")
    revoked_on: date | None = None
