"""Movements (phong trào thi đua): launched by the federation or a unit for its subtree, with the
awards a pledge may name (any in force that year, the defaults or the federation's own; none for
a campaign), who launched it (the Prime Minister, the provincial People's Committee, ...; by
default the launching unit or the federation) and a registration deadline; closed by federation
staff."""

from __future__ import annotations

from services.registration.application import commands as c
from services.registration.application.tree import Tree
from services.registration.domain.movements import Movement
from shared.auth.permissions import scope_covers
from shared.kernel.errors import Forbidden, Invalid
from shared.store.eventstore import CommandResult, Context, ServiceApplication


def launch_movement(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: c.LaunchMovement
) -> CommandResult:
    tree.open_federation(federation)
    tree.code_is_free(Movement, federation, cmd.code, "movement")
    for i, code in enumerate(cmd.awards):
        award = tree.awards.find(federation, code)
        if award is None:
            raise Invalid.on(f"awards.{i}", f"unknown award '{code}'")
        if not award.in_force_during(cmd.year):
            raise Invalid.on(f"awards.{i}", f"award '{code}' is not in force in {cmd.year}")
    if (cmd.launcher is None) != (cmd.launcher_name is None):
        missing = "launcher" if cmd.launcher is None else "launcher_name"
        raise Invalid.on(missing, "who launched it: launcher and launcher_name together")
    for i, phase in enumerate(cmd.phases):
        if phase.starts.year != cmd.year or phase.ends.year != cmd.year:
            raise Invalid.on(f"phases.{i}", f"a phase must lie inside the year {cmd.year}")
    if cmd.kind == "phase" and not cmd.phases:
        raise Invalid.on("phases", "a movement of kind 'phase' needs its phases")
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
