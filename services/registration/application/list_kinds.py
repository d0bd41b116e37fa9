"""What each bulk list (application/lists.py) is made of: the row's command, the single command's
use case (or its rules) it runs, the key a row may not repeat, and what it reads (prefetched for
the whole list at once)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from services.registration.application import activity_commands as ac
from services.registration.application import activity_rules as rules
from services.registration.application import commands as c
from services.registration.application import organisation
from services.registration.application.tree import Tree
from services.registration.domain.members import Member
from services.registration.domain.organisation import Unit
from services.registration.domain.programmes import Initiative, Target, Work
from shared.kernel.commands import MONEY_MAX, Code, Date
from shared.kernel.errors import DomainError, FieldError
from shared.store.eventstore import Context


class InitiativeRow(ac.RegisterInitiative):
    """An initiative as a list registers it, recognised already if the council has decided."""

    recognised_on: Date | None = Field(None, description="the day the council recognised it")
    council_of: Code | None = Field(
        None, description="the unit whose council recognised it; default its unit"
    )
    recognised_value: int | None = Field(
        None, ge=0, le=MONEY_MAX, description="the benefit value recognised, VND"
    )


@dataclass(frozen=True)
class ListKind:
    name: str  # the path's word: units, members, ...
    singular: str
    command: type[BaseModel]
    run: Callable[[Tree, Any, Context, str, Any], Any]  # the row's use case; its answer for the row
    key: Callable[[Any], tuple[Any, ...]]
    key_field: str
    named: Callable[[list[str], dict[str, Any]], Named]  # what to read first, given the homes


@dataclass(frozen=True)
class Named:
    """What a raw row names, read for the whole list before its rows run: the aggregates of its
    own key, and the units and members it names by code (a guess: the row's check decides)."""

    own: list[UUID]
    units: tuple[str, ...] = ()
    members: tuple[str, ...] = ()


def _text(raw: dict[str, Any], field: str) -> str:
    return str(raw.get(field) or "").strip().lower()


def _unit(tree: Tree, staging: Any, ctx: Context, federation: str, cmd: c.RegisterUnit) -> str:
    staging.keep(organisation.new_unit(tree, ctx, federation, cmd))
    return cmd.code


def _member(tree: Tree, staging: Any, ctx: Context, federation: str, cmd: c.RegisterMember) -> str:
    staging.keep(organisation.new_member(tree, ctx, federation, cmd))
    return cmd.code


def _initiative(tree: Tree, staging: Any, ctx: Context, federation: str, cmd: InitiativeRow) -> str:
    # An InitiativeRow is a RegisterInitiative: the registration reads only the fields they share.
    initiative = rules.prepare_initiative(tree, ctx, federation, cmd, staging.today)
    if cmd.recognised_on is not None:
        # Fields validated as the decision's are (InitiativeRow): not validated again.
        decision = rules.ListedDecision(
            cmd.recognised_on, cmd.council_of or initiative.unit, cmd.recognised_value
        )
        try:
            rules.decide(tree, ctx, federation, initiative, "recognise", decision, staging.today)
        except DomainError as exc:  # the decision's fields, as the row names them
            names = {"on": "recognised_on", "benefit_value": "recognised_value"}
            exc.errors = [FieldError(names.get(e.field, e.field), e.message, e.row) for e in exc.errors]
            raise
    staging.keep(initiative)
    return cmd.code


def _work(tree: Tree, staging: Any, ctx: Context, federation: str, cmd: ac.RegisterWork) -> str:
    staging.keep(rules.prepare_work(tree, ctx, federation, cmd, staging.today))
    return cmd.code


def _target(tree: Tree, staging: Any, ctx: Context, federation: str, cmd: ac.AssignTarget) -> dict[str, Any]:
    staging.keep(rules.prepare_target(tree, ctx, federation, cmd, staging.today))
    return {"unit": cmd.unit, "programme": cmd.programme, "year": cmd.year}


def _year(raw: dict[str, Any]) -> int:
    try:
        return int(str(raw.get("year")))
    except ValueError:
        return 0


def _initiative_named(homes: list[str], raw: dict[str, Any]) -> Named:
    author, council = _text(raw, "author_code"), _text(raw, "council_of")
    own = [Initiative.id_for(homes[0], _text(raw, "code"))]
    if raw.get("author_kind") == "member":
        return Named(own, (council,), (author,))
    return Named(own, (author, council))


KINDS: dict[str, ListKind] = {
    kind.name: kind
    for kind in (
        ListKind(
            "units",
            "unit",
            c.RegisterUnit,
            _unit,
            lambda cmd: (cmd.code,),
            "code",
            lambda homes, raw: Named(
                [Unit.id_for(home, _text(raw, "code")) for home in homes], (_text(raw, "parent"),)
            ),
        ),
        ListKind(
            "members",
            "member",
            c.RegisterMember,
            _member,
            lambda cmd: (cmd.code,),
            "code",
            lambda homes, raw: Named(
                [Member.id_for(home, _text(raw, "code")) for home in homes], (_text(raw, "unit"),)
            ),
        ),
        ListKind(
            "initiatives",
            "initiative",
            InitiativeRow,
            _initiative,
            lambda cmd: (cmd.code,),
            "code",
            _initiative_named,
        ),
        ListKind(
            "works",
            "work",
            ac.RegisterWork,
            _work,
            lambda cmd: (cmd.code,),
            "code",
            lambda homes, raw: Named([Work.id_for(homes[0], _text(raw, "code"))], (_text(raw, "unit"),)),
        ),
        ListKind(
            "targets",
            "target",
            ac.AssignTarget,
            _target,
            lambda cmd: (cmd.unit, cmd.programme, cmd.year),
            "unit",
            lambda homes, raw: Named(
                [Target.id_for(homes[0], _text(raw, "unit"), _text(raw, "programme"), _year(raw))],
                (_text(raw, "unit"), _text(raw, "assigned_by")),
            ),
        ),
    )
}

__all__ = ["KINDS", "InitiativeRow", "ListKind", "Named"]
