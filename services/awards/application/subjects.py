"""Subjects as registration published them (`Outside`, read from awards' copy of registration's
facts, adapters/registration_facts.py) and the scope checks every use case makes on them (I5 of
docs/guarantees.md): a unit-scoped caller acts only inside its subtree, federation-wide acts are
staff's."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.auth.permissions import scope_covers
from shared.kernel.errors import Forbidden, Invalid
from shared.store.eventstore import Context


@dataclass(frozen=True)
class Outside:
    """What awards' copy of registration's facts holds about a subject."""

    name: str
    unit: str
    unit_path: list[str]
    pledges: frozenset[tuple[str, int]] = frozenset()
    initiatives: dict[int, int] = field(default_factory=dict)
    acclaimed: frozenset[int] = frozenset()
    # a unit: the members of its subtree; a member: the members of its own unit
    members: tuple[str, ...] = ()
    # federations merged into this one: their histories are this subject's too
    formerly: tuple[str, ...] = ()
    # a unit whose code changed: its earlier codes, oldest first; their histories are its own too
    former_codes: tuple[str, ...] = ()

    @staticmethod
    def of(
        *,
        name: str,
        unit: str,
        unit_path: list[str],
        pledges: frozenset[tuple[str, int]],
        initiatives: dict[int, int],
        acclaimed: frozenset[int],
        members: tuple[str, ...],
        formerly: tuple[str, ...],
        former_codes: tuple[str, ...],
    ) -> Outside:
        """`Outside(...)` with every field given, as the dataclass makes it, without its frozen
        __init__'s setattr per field (a list's subjects are read by the thousand)."""
        made = object.__new__(Outside)
        object.__setattr__(
            made,
            "__dict__",
            {
                "name": name,
                "unit": unit,
                "unit_path": unit_path,
                "pledges": pledges,
                "initiatives": initiatives,
                "acclaimed": acclaimed,
                "members": members,
                "formerly": formerly,
                "former_codes": former_codes,
            },
        )
        return made


Subjects = dict[tuple[str, str], Outside]


def require_staff(ctx: Context, federation: str) -> None:
    """Federation-wide acts (decisions, councils, catalogue, policy) are not a unit's."""
    if not scope_covers(ctx.scope, federation, ()):
        raise Forbidden("only federation staff may do this; a unit-scoped token may not")


def unknown_subject(kind: str, code: str, federation: str, field_name: str = "subject_code") -> Invalid:
    """The answer for a subject awards does not know, and for one outside the caller's subtree (I5)."""
    return Invalid.on(field_name, f"unknown {kind} '{code}' in federation '{federation}'")


def require_within(
    ctx: Context, federation: str, subject: Outside, kind: str, code: str, field_name: str = "subject_code"
) -> None:
    """A unit-scoped caller acts only on subjects of its subtree; any other does not exist for it."""
    if not scope_covers(ctx.scope, federation, tuple(subject.unit_path)):
        raise unknown_subject(kind, code, federation, field_name)


def subject_of(subjects: Subjects, kind: str, code: str, federation: str, field_name: str) -> Outside:
    subject = subjects.get((kind, code))
    if subject is None:
        raise unknown_subject(kind, code, federation, field_name)
    return subject
