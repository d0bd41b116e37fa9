"""What the rules look at: a subject's history as plain data, built from awards' own stores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

RATINGS = ("incomplete", "complete", "good", "excellent")
# Severity order; `review` is not a sanction but a hold while a case is open.
DISCIPLINE_LEVELS = ("reprimand", "warning", "demotion", "dismissal")
REVIEW = "review"
# Not a sanction either: closes an open review without one.
CLEARED = "cleared"
OCCASIONS = ("regular", "thematic", "ad-hoc")


@dataclass(frozen=True)
class GrantFact:
    award: str
    year: int
    level: str
    occasion: str = "regular"
    revoked: bool = False
    # its decision was amended to remove it, or cancelled
    cancelled: bool = False

    def as_dict(self) -> dict:
        return {"award": self.award, "year": self.year}


@dataclass(frozen=True)
class Facts:
    subject_kind: str
    subject_code: str
    ratings: Mapping[int, str] = field(default_factory=dict)
    # (year, level) in the order they were recorded
    disciplines: Sequence[tuple[int, str]] = ()
    grants: Sequence[GrantFact] = ()
    # recognised initiatives by year
    initiatives: Mapping[int, int] = field(default_factory=dict)
    # (award, year) the subject pledged for in a live pledge
    pledges: frozenset[tuple[str, int]] = frozenset()
    # years the unit was acclaimed leader of its emulation block
    acclaimed: frozenset[int] = frozenset()
    # for a unit: its members' facts
    members: Sequence[Facts] = ()
    # grants held in the subject's unit, by (award, year), for ratio caps
    unit_counts: Mapping[tuple[str, int], int] = field(default_factory=dict)
    policy: Mapping[str, object] = field(default_factory=dict)

    @staticmethod
    def of(
        subject_kind: str,
        subject_code: str,
        *,
        ratings: Mapping[int, str],
        disciplines: Sequence[tuple[int, str]],
        grants: Sequence[GrantFact],
        policy: Mapping[str, object],
        initiatives: Mapping[int, int] | None = None,
        pledges: frozenset[tuple[str, int]] = frozenset(),
        acclaimed: frozenset[int] = frozenset(),
        members: Sequence[Facts] = (),
        unit_counts: Mapping[tuple[str, int], int] | None = None,
    ) -> Facts:
        """`Facts(...)` as the dataclass makes it, without its frozen __init__'s setattr per field
        (a list of nominations makes one a row): every field set, the same defaults."""
        made = object.__new__(Facts)
        object.__setattr__(
            made,
            "__dict__",
            {
                "subject_kind": subject_kind,
                "subject_code": subject_code,
                "ratings": ratings,
                "disciplines": disciplines,
                "grants": grants,
                "initiatives": {} if initiatives is None else initiatives,
                "pledges": pledges,
                "acclaimed": acclaimed,
                "members": members,
                "unit_counts": {} if unit_counts is None else unit_counts,
                "policy": policy,
            },
        )
        return made

    @property
    def under_review(self) -> bool:
        """A `review` record holds the subject until a later record (a sanction, or `cleared`)
        closes the case."""
        return bool(self.disciplines) and self.disciplines[-1][1] == REVIEW

    def live_grants(self) -> list[GrantFact]:
        return [g for g in self.grants if not (g.revoked or g.cancelled)]
