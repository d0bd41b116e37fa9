"""Movements (phong trào thi đua): launched by the federation or a unit for its subtree, with the
awards a pledge may name (any in force that year, the defaults or the federation's own; none for
a campaign), who launched it (the Prime Minister, the provincial People's Committee, ...; by
default the launching unit or the federation) and a registration deadline; amended with a reason
while open (pledges already made stay); closed by federation staff."""

from __future__ import annotations

from services.registration.application import commands as c
from services.registration.application.organisation import correction_reason
from services.registration.application.scope import require_subtree
from services.registration.application.tree import Tree
from services.registration.domain.movements import Movement
from shared.auth.permissions import scope_covers
from shared.kernel.errors import FieldError, Forbidden, Invalid, NotFound
from shared.store.eventstore import CommandResult, Context, ServiceApplication


def launch_movement(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: c.LaunchMovement
) -> CommandResult:
    tree.open_federation(federation)
    tree.code_is_free(Movement, federation, cmd.code, "movement")
    awards_in_force(tree, federation, cmd.awards, cmd.year)
    if (cmd.launcher is None) != (cmd.launcher_name is None):
        missing = "launcher" if cmd.launcher is None else "launcher_name"
        raise Invalid.on(missing, "who launched it: launcher and launcher_name together")
    phases_in_year(cmd.phases, cmd.year, cmd.kind)
    if cmd.launched_by:
        unit, _ = tree.live_unit(federation, cmd.launched_by, "launched_by", None, ctx)
        launcher = (unit.code, unit.name)
    elif not scope_covers(ctx.scope, federation, ()):
        raise Forbidden("only federation staff launch a federation-wide movement")
    else:
        launcher = (federation, tree.federation(federation).name)
    if cmd.launcher is not None and cmd.launcher_name is not None:
        launcher = (cmd.launcher, cmd.launcher_name)
    movement = Movement(
        federation=federation,
        code=cmd.code,
        name=cmd.name,
        theme=cmd.theme,
        year=cmd.year,
        kind=cmd.kind,
        phases=[p.model_dump(mode="json") for p in cmd.phases],
        awards=list(dict.fromkeys(cmd.awards)),
        registration_deadline=cmd.registration_deadline,
        launched_by=cmd.launched_by,
        meta=ctx.meta,
        launcher=launcher[0],
        launcher_name=launcher[1],
    )
    return store.commit(ctx, [movement], movement.as_dict(), version=movement.version)


def close_movement(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, code: str
) -> CommandResult:
    movement = tree.movement(federation, code, "code")
    ctx.check_version(movement)
    if not scope_covers(ctx.scope, movement.federation, ()):
        raise Forbidden("only federation staff close a movement")
    movement.close(tree.today(), ctx.meta)
    return store.commit(ctx, [movement], movement.as_dict(), status=200, version=movement.version)


AMENDABLE = ("name", "theme", "phases", "awards", "registration_deadline")


def amend_movement(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, code: str, cmd: c.AmendMovement
) -> CommandResult:
    """`movement-amended`: the fields given that differ from those stored, checked as a launch's
    are; pledges already made stay (a deadline moved earlier, an award no longer open), but a
    phase that pledges name cannot be removed."""
    movement = tree.movement(federation, code, "code")
    if scope_covers(ctx.scope, movement.federation, ()):
        pass
    elif movement.launched_by:  # a unit amends what it launched; elsewhere it does not exist
        launcher = tree.unit(movement.federation, movement.launched_by, "code")
        missing = NotFound(  # as tree.movement answers for a code that does not exist
            f"movement '{code}' does not exist in federation '{federation}'",
            [FieldError("code", f"unknown movement '{code}'")],
        )
        require_subtree(ctx, movement.federation, [*launcher.ancestry, launcher.code], "code", missing)
    else:
        raise Forbidden("only federation staff amend a federation-wide movement")
    ctx.check_version(movement)
    given = cmd.model_dump(mode="json", include=cmd.model_fields_set & set(AMENDABLE), exclude_none=True)
    if cmd.registration_deadline is not None:
        given["registration_deadline"] = cmd.registration_deadline
    was = {name: getattr(movement, name) for name in AMENDABLE}
    amended = [name for name in AMENDABLE if name in given and given[name] != was[name]]
    movement.require_open("amended")  # the state first: 409 whatever the body
    reason = correction_reason(ctx, cmd.reason)
    if not amended:
        field = next(iter(given), "name")
        raise Invalid.on(field, "give what changes: name, theme, phases, awards, registration_deadline")
    if "awards" in amended:
        given["awards"] = list(dict.fromkeys(given["awards"]))
        awards_in_force(tree, movement.federation, given["awards"], movement.year)
    if "phases" in amended:
        phases_in_year(cmd.phases or [], movement.year, movement.kind)
        kept = {p["name"] for p in given["phases"]}
        named = tree.phases_named(movement.federation, movement.code)
        if removed := sorted(named - kept):
            raise Invalid.on("phases", f"pledges name the phases {', '.join(removed)}: keep them")
    movement.amend(was | {name: given[name] for name in amended}, amended, reason, ctx.meta)
    return store.commit(ctx, [movement], movement.as_dict(), status=200, version=movement.version)


def awards_in_force(tree: Tree, federation: str, awards: list[str], year: int) -> None:
    for i, code in enumerate(awards):
        award = tree.awards.find(federation, code)
        if award is None:
            raise Invalid.on(f"awards.{i}", f"unknown award '{code}'")
        if not award.in_force_during(year):
            raise Invalid.on(f"awards.{i}", f"award '{code}' is not in force in {year}")


def phases_in_year(phases: list[c.Phase], year: int, kind: str) -> None:
    for i, phase in enumerate(phases):
        if phase.starts.year != year or phase.ends.year != year:
            raise Invalid.on(f"phases.{i}", f"a phase must lie inside the year {year}")
    if kind == "phase" and not phases:
        raise Invalid.on("phases", "a movement of kind 'phase' needs its phases")
