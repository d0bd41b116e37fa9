"""Awards' view of the catalogue: each award with the terms awards decides by (council
threshold, secret ballot, public disclosure, direct grants, bonus coefficient), the defaults
of docs/domain.md section 6 and the awards a federation defines for itself (`award-defined`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.catalogue import DEFAULT_AWARDS, AwardDefinition
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


class FederationCatalogue(Aggregate):
    """The awards one federation added to the defaults."""

    @staticmethod
    def create_id(federation: str) -> UUID:
        return FederationCatalogue.id_for(federation)

    @staticmethod
    def id_for(federation: str) -> UUID:
        return stable_id("catalogue", federation)

    @event("Opened")
    def __init__(self, federation: str, meta: dict) -> None:
        self.federation = federation
        self.awards: dict[str, dict] = {}

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

    def all(self) -> dict[str, Award]:
        own = {code: Award(**d, defined_by=self.federation) for code, d in self.awards.items()}
        return {**DEFAULTS, **own}


def catalogue_of(own: FederationCatalogue | None) -> dict[str, Award]:
    return own.all() if own is not None else dict(DEFAULTS)
