"""Awards' view of the catalogue: each award with the terms awards decides by (council
threshold, secret ballot, public disclosure, direct grants, bonus coefficient), the defaults
of docs/domain.md section 6 and the awards a federation defines for itself (`award-defined`),
at any level, versioned: in force from `effective_from`, amended from a date (`award-amended`)
and retired after `effective_until` (`award-retired`), every earlier version kept, so the
catalogue answers as of any date."""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.catalogue import DEFAULT_AWARDS, AwardDefinition
from shared.kernel.errors import Conflict, FieldError, Invalid
from shared.kernel.ids import stable_id

FEDERATION_LEVELS = ("grassroots", "federation", "issuing-unit")
NATIONAL_LEVELS = (*FEDERATION_LEVELS, "national")


@dataclass(frozen=True)
class Award:
    code: str
    name: str
    subjects: str
    level: str
    authority: str
    kind: str = "commendation"
    # share of the council's members voting yes; `strict` means more than, else at least
    threshold: float = 0.5
    strict: bool = True
    secret_ballot: bool = False
    disclosure: bool = False
    direct: bool = False
    bonus_coefficient: float | None = None
    defined_by: str | None = None
    # in force from (None: always, the defaults) through `effective_until` (None: not retired)
    effective_from: date | None = None
    effective_until: date | None = None

    def in_force(self, on: date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_until is None or on <= self.effective_until
        )

    def admits(self, subject_kind: str) -> bool:
        return self.subjects == "both" or self.subjects == subject_kind

    @property
    def upward(self) -> bool:
        """Granted above the federation: nominated upward, not decided by the federation."""
        return self.level not in FEDERATION_LEVELS

    def as_dict(self) -> dict:
        return asdict(self)


# Bonus coefficients (times the base salary) of Decree 98/2023, where the federation keeps them.
_TERMS: dict[str, dict] = {
    "ldtt": {"bonus_coefficient": 0.3},
    "cstd-co-so": {"bonus_coefficient": 1.0},
    "ttldtt": {"bonus_coefficient": 0.8},
    "ttldxs": {"bonus_coefficient": 1.5},
    "giay-khen": {"direct": True},
    "bang-khen-ldld": {"direct": True},
    "bang-khen-tld": {"direct": True},
    "cstd-cap-tinh": {"threshold": 0.9, "strict": False, "secret_ballot": True},
    "cstd-toan-quoc": {"threshold": 0.9, "strict": False, "secret_ballot": True, "disclosure": True},
    "anh-hung-lao-dong": {"threshold": 0.9, "strict": False, "secret_ballot": True, "disclosure": True},
    **{f"huan-chuong-lao-dong-{n}": {"disclosure": True, "secret_ballot": True} for n in (1, 2, 3)},
}


def _award(d: AwardDefinition) -> Award:
    return Award(d.code, d.name, d.subjects, d.level, d.authority, d.kind, **_TERMS.get(d.code, {}))


DEFAULTS: dict[str, Award] = {d.code: _award(d) for d in DEFAULT_AWARDS}


# What an amendment may change; subjects, level, authority and kind make another award.
AMENDABLE = ("name", "threshold", "strict", "secret_ballot", "disclosure", "direct", "bonus_coefficient")


class FederationCatalogue(Aggregate):
    """The awards one federation added to the defaults, each with its versions: `awards` holds
    the first terms, `versions` each award's amendments in date order, `until` its retirement."""

    @staticmethod
    def create_id(federation: str) -> UUID:
        return FederationCatalogue.id_for(federation)

    @staticmethod
    @functools.lru_cache(maxsize=1024)  # read on every row of a list; a uuid5 costs more
    def id_for(federation: str) -> UUID:
        return stable_id("catalogue", federation)

    @event("Opened")
    def __init__(self, federation: str, meta: dict) -> None:
        self.federation = federation
        self.awards: dict[str, dict] = {}
        self.versions: dict[str, list[tuple[date | None, dict[str, Any]]]] = {}
        self.until: dict[str, date] = {}

    @event("Defined")
    def define(
        self,
        federation: str,
        code: str,
        name: str,
        subjects: str,
        level: str,
        authority: str,
        kind: str,
        threshold: float,
        strict: bool,
        secret_ballot: bool,
        disclosure: bool,
        direct: bool,
        bonus_coefficient: float | None,
        meta: dict,
        effective_from: date | None = None,  # absent from awards defined before versions
    ) -> None:
        self.awards[code] = {
            "code": code,
            "name": name,
            "subjects": subjects,
            "level": level,
            "authority": authority,
            "kind": kind,
            "threshold": threshold,
            "strict": strict,
            "secret_ballot": secret_ballot,
            "disclosure": disclosure,
            "direct": direct,
            "bonus_coefficient": bonus_coefficient,
        }
        self.versions[code] = [(effective_from, {})]

    def amend(self, code: str, effective_from: date, changes: dict[str, Any], meta: dict) -> None:
        """Changes from `effective_from` on, not before the latest version: history stays."""
        self._own(code)
        if code in self.until:
            raise Conflict(
                f"award '{code}' was retired after {self.until[code]}", [FieldError("code", "retired")]
            )
        latest = self.versions[code][-1][0]
        if latest is not None and effective_from < latest:
            raise Invalid.on("effective_from", f"'{code}' has a version in force from {latest}")
        unknown = sorted(set(changes) - set(AMENDABLE))
        if unknown:
            raise Invalid.on(unknown[0], "not amendable: define another award")
        if not changes:
            raise Invalid.on("name", "nothing to amend: name or terms")
        self._amended(self.federation, code, effective_from, changes, meta)

    @event("Amended")
    def _amended(self, federation: str, code: str, effective_from: date, changes: dict, meta: dict) -> None:
        versions = self.versions[code]
        if versions[-1][0] == effective_from:  # the same day again: one version, both changes
            versions[-1] = (effective_from, {**versions[-1][1], **changes})
        else:
            versions.append((effective_from, {**versions[-1][1], **changes}))

    def retire(self, code: str, effective_until: date, meta: dict) -> None:
        """In force through `effective_until`, never after; its grants and history stay."""
        self._own(code)
        if code in self.until:
            raise Conflict(
                f"award '{code}' was retired after {self.until[code]}", [FieldError("code", "retired")]
            )
        latest = self.versions[code][-1][0]
        if latest is not None and effective_until < latest:
            raise Invalid.on("effective_until", f"'{code}' has a version in force from {latest}")
        self._retired(self.federation, code, effective_until, meta)

    @event("Retired")
    def _retired(self, federation: str, code: str, effective_until: date, meta: dict) -> None:
        self.until[code] = effective_until

    def _own(self, code: str) -> None:
        if code not in self.awards:
            raise Invalid.on("code", f"'{code}' is not one of the federation's own awards")

    def award(self, code: str, on: date | None = None) -> Award | None:
        """The award as it was on `on` (None: its latest version, retired or not); None if it
        was not in force that day."""
        versions = self.versions[code]
        if on is not None:
            versions = [v for v in versions if v[0] is None or v[0] <= on]
            if not versions or (code in self.until and on > self.until[code]):
                return None
        found = Award(**self.awards[code], defined_by=self.federation)
        return replace(
            found,
            **versions[-1][1],
            effective_from=self.versions[code][0][0],
            effective_until=self.until.get(code),
        )

    def all(self, on: date | None = None) -> dict[str, Award]:
        own = {code: self.award(code, on) for code in self.awards}
        return {**DEFAULTS, **{code: a for code, a in own.items() if a is not None}}


def catalogue_of(own: FederationCatalogue | None, on: date | None = None) -> dict[str, Award]:
    """Every award (`on` None: each in its latest version, the retired too) or those in force
    on `on`, as they were that day."""
    return own.all(on) if own is not None else dict(DEFAULTS)


def award_of(own: FederationCatalogue | None, code: str, on: date | None = None) -> Award | None:
    """`catalogue_of(own, on).get(code)`, without making the whole catalogue (every row of a
    list asks for its award)."""
    if own is not None and code in own.awards:
        found = own.award(code, on)
        if found is not None:
            return found
    return DEFAULTS.get(code)
