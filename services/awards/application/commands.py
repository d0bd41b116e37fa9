"""Awards' commands: the bodies of its POST requests."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from services.awards.application.calendar_fields import WorkingSaturday
from services.awards.domain.authorities import PATTERN as AUTHORITY
from shared.kernel.commands import (
    Code,
    Command,
    Date,
    Json,
    Key,
    Name,
    Text,
    Year,
    checked_key,
    checked_text,
)
from shared.kernel.periods import PeriodIn

SubjectKind = Literal["member", "unit"]
Rating = Literal["excellent", "good", "complete", "incomplete"]
DisciplineLevel = Literal["reprimand", "warning", "demotion", "dismissal", "review", "cleared"]
Occasion = Literal["regular", "thematic", "ad-hoc"]
# A PEM key: lines of text, never stored.
Secret = Annotated[str, BeforeValidator(checked_text)]


class GrantLine(Command):
    """A passed nomination, or a direct award (subject and award) where the catalogue allows."""

    nomination: Key | None = Field(None, description="the id of a nomination its council passed")
    subject_kind: SubjectKind | None = None
    subject_code: Code | None = None
    award: Code | None = None
    occasion: Occasion = Field("regular", description="ad-hoc and thematic awards are no basis for others")

    @model_validator(mode="after")
    def nomination_or_subject(self) -> GrantLine:
        if self.nomination is None and not (self.subject_kind and self.subject_code and self.award):
            raise ValueError("give a nomination, or subject_kind, subject_code and award")
        return self


# domain.authorities: a unit's, the federation's or the national union's.
Authority = Annotated[
    str,
    StringConstraints(strip_whitespace=False, to_lower=True, pattern=AUTHORITY),
    BeforeValidator(checked_key),
]


class IssueDecision(Command):
    number: Name = Field(
        description="the decision's number, unique per authority and year", examples=["123/QĐ-LĐLĐ"]
    )
    signed_on: Date
    signer: Name
    signer_title: Text = Field(
        "",
        description="the signer's title as printed; empty: the federation's paper's",
        examples=["PHÓ CHỦ TỊCH"],
    )
    signing_for: Text = Field(
        "",
        description="the authority line(s) above it (TM./KT.); empty: the paper's",
        examples=["KT. CHỦ TỊCH"],
    )
    year: Year = Field(description="the year the awards count for (a school year's or phase's last)")
    period: PeriodIn | None = Field(None, description="the calendar year `year` if not given")
    title: Text = ""
    authority: Authority | None = Field(
        None,
        description="the issuing authority: 'unit:<unit code>' (a unit's own titles, to its subtree), "
        "'ldld:<federation>' or 'tld' (the national union); defaults to the caller's unit for a "
        "unit-scoped token, else the federation",
        examples=["ldld:bac-kan", "unit:cdcs-thpt-cho-don", "tld"],
    )
    grants: list[GrantLine] = Field(min_length=1, max_length=10_000)


class RevokeGrant(Command):
    reason: Text = Field(min_length=1)
    reference: Name = Field(description="the revoking decision's number or document")
    revoked_on: Date | None = None


class Subject(Command):
    subject_kind: SubjectKind
    subject_code: Code
    year: Year


class RecordRating(Subject):
    rating: Rating


class RecordRatings(Command):
    ratings: list[RecordRating] = Field(min_length=1, max_length=20_000)


class RecordDiscipline(Subject):
    level: DisciplineLevel = Field(
        description="`review`: a case is open; the subject is on hold. "
        "`cleared`: the open case closed without sanction; the hold ends"
    )
    decided_on: Date


class RecordDisciplines(Command):
    disciplines: list[RecordDiscipline] = Field(min_length=1, max_length=20_000)


class ImportedGrant(Command):
    subject_kind: SubjectKind
    subject_code: Code
    award: Code
    year: Year
    decision_number: Name
    decision_date: Date
    signer: Name = "—"
    authority: Name = Field(description="who granted it, e.g. 'prime-minister', 'ubnd:bac-kan', 'tld'")
    occasion: Occasion = "regular"
    period: PeriodIn | None = Field(None, description="ends in `year`; the calendar year if not given")
    nomination: Key | None = Field(None, description="the nomination forwarded upward, if any")


class ImportGrants(Command):
    grants: list[ImportedGrant] = Field(min_length=1, max_length=20_000)


class SubmitNomination(Command):
    subject_kind: SubjectKind
    subject_code: Code
    award: Code
    year: Year
    period: PeriodIn | None = Field(None, description="ends in `year`; the calendar year if not given")
    grounds: Text = ""
    nominated_by: Code | None = Field(None, description="the nominating unit; defaults to the subject's unit")


class SubmitNominations(Command):
    nominations: list[SubmitNomination] = Field(min_length=1, max_length=10_000)


class ForwardNomination(Command):
    to: Literal["national", "state"]


class DiscloseNomination(Command):
    starts_on: Date


class CouncilMember(Command):
    user: Key = Field(min_length=1, max_length=200, description="the member's user (token `sub`)")
    name: Name
    member_code: Code | None = Field(None, description="the member's own code, if a union member")
    unit_path: list[Code] = Field(default_factory=list, description="the units the member belongs to")


class ConveneCouncil(Command):
    code: Code
    name: Name
    year: Year
    meets_on: Date
    quorum: int = Field(ge=1)
    secret_ballot: bool | None = Field(None, description="defaults to what the agenda's awards require")
    members: list[CouncilMember] = Field(min_length=1, max_length=500)
    nominations: list[Key] = Field(min_length=1, max_length=5_000)


class CastVote(Command):
    nomination: Key
    choice: Literal["yes", "no", "abstain"]
    member: Key | None = Field(None, description="an absent member's written vote, recorded by staff")


class AgendaVote(Command):
    nomination: Key
    choice: Literal["yes", "no", "abstain"]


class CastAgenda(Command):
    votes: list[AgendaVote] = Field(
        min_length=1, max_length=5_000, description="one row per nomination of the agenda, each once"
    )
    member: Key | None = Field(None, description="an absent member's written votes, recorded by staff")


class Recuse(Command):
    nomination: Key
    reason: Text = Field("", description="why the member steps aside (kept in the council's log)")


class ResolveCouncil(Command):
    ballot_secret: Secret | None = Field(
        None,
        max_length=10_000,
        description="a secret-ballot council's key, as handed out when it was convened; needed "
        "only for councils convened before keys were stored wrapped, or by a service without "
        "the key-encryption key they were wrapped under",
    )


AwardLevel = Literal["grassroots", "federation", "issuing-unit", "national", "ministry", "state"]


class DefineAward(Command):
    code: Code
    name: Name
    subjects: Literal["member", "unit", "both"]
    level: AwardLevel = "federation"
    authority: Code | None = Field(
        None,
        description="who grants an award above the federation (national, ministry, state level: "
        "e.g. provincial-committee, prime-minister, bo-giao-duc-dao-tao); the federation grants its own",
    )
    effective_from: Date | None = Field(None, description="in force from (default: always)")
    kind: Literal["title", "commendation"] = "commendation"
    threshold: float = Field(0.5, gt=0, le=1)
    strict: bool = True
    secret_ballot: bool = False
    disclosure: bool = False
    direct: bool = False
    bonus_coefficient: float | None = Field(None, ge=0)


class AmendAward(Command):
    """New name or terms of a federation's own award from `effective_from` on; what it had
    before stays, for what was done before."""

    effective_from: Date
    name: Name | None = None
    threshold: float | None = Field(None, gt=0, le=1)
    strict: bool | None = None
    secret_ballot: bool | None = None
    disclosure: bool | None = None
    direct: bool | None = None
    bonus_coefficient: float | None = Field(None, ge=0)


class RetireAward(Command):
    effective_until: Date = Field(description="the last day the award is in force")
    reason: Text = ""


class PublishRuleSet(Command):
    award: Code
    rule_version: Name
    effective_from: Date
    source: Text = ""
    clauses: Annotated[list[dict[str, Any]], Json] = Field(min_length=1)


class SetPolicy(Command):
    pledge_required: bool | None = None
    ratio_caps: Annotated[dict[str, float], Json] | None = Field(
        None, description="award -> share of `of` holders"
    )
    holidays: list[Date] | None = Field(
        None, max_length=366, description="the federation's own days off, beside Vietnam's public holidays"
    )
    working_saturdays: list[WorkingSaturday] | None = Field(
        None, max_length=366, description="the federation's make-up working Saturdays (ngày làm bù)"
    )
    disclosure_days: int | None = Field(None, ge=1, le=60)
