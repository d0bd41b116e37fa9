"""What each bulk list (application/lists.py) is made of: the row's command, the single command's
use case it runs, the key a row may not repeat, and the aggregates it reads (prefetched for the
whole list at once)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from services.registration.application import activities, organisation
from services.registration.application import activity_commands as ac
from services.registration.application import commands as c
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
    wanted: Callable[[list[str], dict[str, Any]], list[UUID]]  # ids to read first, by home


def _text(raw: dict[str, Any], field: str) -> str:
    return str(raw.get(field) or "").strip().lower()


def _units(homes: list[str], *codes: str) -> list[UUID]:
    return [Unit.id_for(home, code) for code in codes if code for home in homes]


def _unit(tree: Tree, store: Any, ctx: Context, federation: str, cmd: c.RegisterUnit) -> str:
    organisation.register_unit(tree, store, ctx, federation, cmd)
    return cmd.code


def _member(tree: Tree, store: Any, ctx: Context, federation: str, cmd: c.RegisterMember) -> str:
    organisation.register_member(tree, store, ctx, federation, cmd)
    return cmd.code


def _initiative(tree: Tree, store: Any, ctx: Context, federation: str, cmd: InitiativeRow) -> str:
    fields = cmd.model_dump(exclude={"recognised_on", "council_of", "recognised_value"})
    registered = ac.RegisterInitiative.model_construct(**fields)  # the row's fields, validated
    activities.register_initiative(tree, store, ctx, federation, registered)
    if cmd.recognised_on is None:
        return cmd.code
    initiative = activities.initiative_of(tree, federation, cmd.code)
    decision = ac.DecideInitiative(
        on=cmd.recognised_on, council_of=cmd.council_of or initiative.unit, benefit_value=cmd.recognised_value
    )
    try:
        activities.decide_initiative(tree, store, ctx, federation, cmd.code, "recognise", decision)
    except DomainError as exc:  # the decision's fields, as the row names them
        names = {"on": "recognised_on", "benefit_value": "recognised_value"}
        exc.errors = [FieldError(names.get(e.field, e.field), e.message, e.row) for e in exc.errors]
        raise
    return cmd.code


def _work(tree: Tree, store: Any, ctx: Context, federation: str, cmd: ac.RegisterWork) -> str:
    activities.register_work(tree, store, ctx, federation, cmd)
    return cmd.code


def _target(tree: Tree, store: Any, ctx: Context, federation: str, cmd: ac.AssignTarget) -> dict[str, Any]:
    activities.assign_target(tree, store, ctx, federation, cmd)
    return {"unit": cmd.unit, "programme": cmd.programme, "year": cmd.year}


def _year(raw: dict[str, Any]) -> int:
    try:
        return int(str(raw.get("year")))
    except ValueError:
        return 0


def _author(homes: list[str], raw: dict[str, Any]) -> list[UUID]:
    code = _text(raw, "author_code")
    if raw.get("author_kind") == "member":
        return [Member.id_for(home, code) for home in homes]
    return _units(homes, code)


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
            lambda homes, raw: _units(homes, _text(raw, "code"), _text(raw, "parent")),
        ),
        ListKind(
            "members",
            "member",
            c.RegisterMember,
            _member,
            lambda cmd: (cmd.code,),
            "code",
            lambda homes, raw: [
                *(Member.id_for(home, _text(raw, "code")) for home in homes),
                *_units(homes, _text(raw, "unit")),
            ],
        ),
        ListKind(
            "initiatives",
            "initiative",
            InitiativeRow,
            _initiative,
            lambda cmd: (cmd.code,),
            "code",
            lambda homes, raw: [
                Initiative.id_for(homes[0], _text(raw, "code")),
                *_author(homes, raw),
                *_units(homes, _text(raw, "council_of")),
            ],
        ),
        ListKind(
            "works",
            "work",
            ac.RegisterWork,
            _work,
            lambda cmd: (cmd.code,),
            "code",
            lambda homes, raw: [
                Work.id_for(homes[0], _text(raw, "code")),
                *_units(homes, _text(raw, "unit")),
            ],
        ),
        ListKind(
            "targets",
            "target",
            ac.AssignTarget,
            _target,
            lambda cmd: (cmd.unit, cmd.programme, cmd.year),
            "unit",
            lambda homes, raw: [
                Target.id_for(homes[0], _text(raw, "unit"), _text(raw, "programme"), _year(raw)),
                *_units(homes, _text(raw, "unit"), _text(raw, "assigned_by")),
            ],
        ),
    )
}

__all__ = ["KINDS", "InitiativeRow", "ListKind"]
