"""The rules a target, an initiative (and its council's decision) and a work are checked against,
for a single command and every row of a list alike: each `prepare_*` checks them and builds or
changes the aggregate, unsaved; the callers store it (a list stores thousands at once). `today`
is the command's date (a list's, for all its rows)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple, Protocol

from services.registration.application import activity_commands as ac
from services.registration.application.scope import require_subtree, unknown_member
from services.registration.application.tree import Tree
from services.registration.domain.programmes import Initiative, Target, Work
from shared.auth.permissions import scope_covers
from shared.kernel.errors import Conflict, FieldError, Invalid, NotFound
from shared.store.eventstore import Context
from shared.store.fast_events import Creation

# `Target(...)`, `Initiative(...)` and `Work(...)` without the library's argument handling.
new_target = Creation(Target, "Opened")
new_initiative = Creation(Initiative, "Registered")
new_work = Creation(Work, "Registered")


def unknown_initiative(code: str) -> NotFound:
    return NotFound(f"initiative '{code}' does not exist", [FieldError("code", "unknown initiative")])


def prepare_target(tree: Tree, ctx: Context, federation: str, cmd: ac.AssignTarget, today: date) -> Target:
    unit, path = tree.live_unit(federation, cmd.unit, "unit", today, ctx)
    if cmd.origin == "self":
        if cmd.assigned_by not in (None, unit.code):
            raise Invalid.on("assigned_by", "a self-registered target is registered by the unit itself")
        by, by_path = unit.code, path
    elif cmd.assigned_by is None:
        by, by_path = federation, []
    else:
        if cmd.assigned_by not in path[:-1]:
            raise Invalid.on("assigned_by", f"'{cmd.assigned_by}' is not above '{unit.code}' in the tree")
        by, by_path = cmd.assigned_by, path[: path.index(cmd.assigned_by) + 1]
    require_subtree(ctx, federation, by_path, "assigned_by")
    target = tree.find(Target, Target.id_for(federation, unit.code, cmd.programme, cmd.year))
    if target is None:
        target = new_target(
            federation=federation, unit=unit.code, programme=cmd.programme, year=cmd.year, meta=ctx.meta
        )
    ctx.check_version(target)
    target.assign(unit.name, path, cmd.target, cmd.origin, by, ctx.meta)
    return target


def prepare_initiative(
    tree: Tree, ctx: Context, federation: str, cmd: ac.RegisterInitiative, today: date
) -> Initiative:
    if tree.find(Initiative, Initiative.id_for(federation, cmd.code)):
        raise Conflict(f"initiative '{cmd.code}' already exists", [FieldError("code", "already exists")])
    if cmd.registered_on.year != cmd.year:
        raise Invalid.on("registered_on", f"an initiative of {cmd.year} is registered in {cmd.year}")
    if cmd.registered_on > today:
        raise Invalid.on("registered_on", "an initiative cannot be registered in the future")
    if cmd.author_kind == "member":
        member = tree.member_facts(federation, cmd.author_code, "author_code")  # read, never changed
        placed = tree.member_placement(member, cmd.registered_on)
        # Where the scope check places it: there, if it was in a unit then (known_placement's first answer).
        home, known = (
            (placed[1], placed[2]) if placed is not None else tree.known_placement(member, cmd.registered_on)
        )
        if not scope_covers(ctx.scope, home, tuple(known)):  # require_subtree, its error made only if needed
            raise unknown_member(federation, cmd.author_code, "author_code")
        if placed is None or placed[1] != federation:
            raise Invalid.on(
                "author_code", f"member '{cmd.author_code}' was in no unit on {cmd.registered_on}"
            )
        name, unit_code, path = member.full_name, placed[0].code, placed[2]
    else:
        author, path = tree.live_unit(federation, cmd.author_code, "author_code", cmd.registered_on, ctx)
        name, unit_code = author.name, author.code
    # The author's place was checked against the caller's scope above (live_unit checks a unit's).
    return new_initiative(
        federation=federation,
        initiative=cmd.code,
        title=cmd.title,
        field=cmd.field,
        benefit_value=cmd.benefit_value,
        author_kind=cmd.author_kind,
        author_code=cmd.author_code,
        author_name=name,
        unit=unit_code,
        unit_path=path,
        year=cmd.year,
        registered_on=cmd.registered_on,
        meta=ctx.meta,
    )


class Decision(Protocol):
    """What `decide` reads of a council's decision: `ac.DecideInitiative`, or a list row's."""

    @property
    def on(self) -> date: ...
    @property
    def council_of(self) -> str: ...
    @property
    def benefit_value(self) -> int | None: ...
    @property
    def reason(self) -> str | None: ...


class ListedDecision(NamedTuple):
    """A recognition an initiatives list states, its fields validated as the row's
    (list_kinds.InitiativeRow): made for thousands of rows without a model's construction."""

    on: date
    council_of: str
    benefit_value: int | None
    reason: str | None = None


def decide(
    tree: Tree,
    ctx: Context,
    federation: str,
    initiative: Initiative,
    action: str,
    cmd: Decision,
    today: date,
) -> None:
    """The council's decision on `initiative`, which the caller has found or just prepared."""
    if not scope_covers(ctx.scope, federation, tuple(initiative.unit_path)):  # as require_subtree
        raise unknown_initiative(initiative.code)
    ctx.check_version(initiative)
    if cmd.on > today:
        raise Invalid.on("on", "a decision cannot be dated in the future")
    if cmd.council_of not in initiative.unit_path:
        raise Invalid.on(
            "council_of", f"the council of '{cmd.council_of}' does not cover '{initiative.unit}'"
        )
    path = initiative.unit_path[: initiative.unit_path.index(cmd.council_of) + 1]
    require_subtree(ctx, federation, path, "council_of")
    if action == "recognise":
        initiative.recognise(cmd.on, cmd.council_of, cmd.benefit_value, ctx.meta)
    else:
        initiative.reject(cmd.on, cmd.reason or ctx.reason or "", ctx.meta)


def prepare_work(tree: Tree, ctx: Context, federation: str, cmd: ac.RegisterWork, today: date) -> Work:
    if tree.find(Work, Work.id_for(federation, cmd.code)):
        raise Conflict(f"work '{cmd.code}' already exists", [FieldError("code", "already exists")])
    if cmd.registered_on > today:
        raise Invalid.on("registered_on", "a work cannot be registered in the future")
    unit, path = tree.live_unit(federation, cmd.unit, "unit", cmd.registered_on, ctx)
    if unit.kind == "block":
        raise Invalid.on("unit", "a work is registered by a union unit, not an emulation block")
    return new_work(
        federation=federation,
        work=cmd.code,
        name=cmd.name,
        unit=unit.code,
        unit_path=path,
        value=cmd.value,
        occasion=cmd.occasion,
        year=cmd.year,
        registered_on=cmd.registered_on,
        meta=ctx.meta,
    )
