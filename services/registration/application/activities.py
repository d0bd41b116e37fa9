"""Covenants, targets, initiatives and works: each checked against the tree on its date."""

from __future__ import annotations

from services.registration.application import activity_commands as ac
from services.registration.application.activity_rules import (
    decide,
    prepare_initiative,
    prepare_target,
    prepare_work,
    unknown_initiative,
)
from services.registration.application.scope import require_subtree
from services.registration.application.tree import Tree
from services.registration.domain.covenants import Covenant
from services.registration.domain.programmes import Initiative, Target, Work
from shared.kernel.errors import Conflict, FieldError, Invalid, NotFound
from shared.store.eventstore import CommandResult, Context, ServiceApplication


def unknown_covenant(block: str, year: int) -> NotFound:
    """The answer for a covenant that does not exist, and for one a caller may not see (I5)."""
    return NotFound(f"covenant of '{block}' for {year} does not exist")


def unknown_target(unit: str) -> NotFound:
    return NotFound(f"target of '{unit}' does not exist")


def unknown_work(code: str) -> NotFound:
    return NotFound(f"work '{code}' does not exist", [FieldError("code", "unknown work")])


# -- covenants -------------------------------------------------------------------------


def covenant_of(tree: Tree, federation: str, block: str, year: int) -> Covenant:
    found = tree.find(Covenant, Covenant.id_for(federation, block, year))
    if found is None:
        raise unknown_covenant(block, year)
    return found


def sign_covenant(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: ac.SignCovenant
) -> CommandResult:
    require_subtree(ctx, federation, [], "block")  # the federation's: a 403 tells nothing
    block, _ = tree.live_unit(federation, cmd.block, "block", cmd.signed_on)
    if block.kind != "block":
        raise Invalid.on("block", f"'{cmd.block}' is a {block.kind} union, not an emulation block")
    if cmd.signed_on.year != cmd.year:
        raise Invalid.on("signed_on", f"the covenant for {cmd.year} is signed in {cmd.year}")
    if tree.find(Covenant, Covenant.id_for(federation, cmd.block, cmd.year)):
        raise Conflict(f"block '{cmd.block}' already signed its covenant for {cmd.year}")
    for i, code in enumerate(cmd.units):
        unit, _ = tree.live_unit(federation, code, f"units.{i}", cmd.signed_on)
        if unit.kind == "block":
            raise Invalid.on(f"units.{i}", "a block groups union units; it does not sign for itself")
    if len(set(cmd.units)) != len(cmd.units):
        raise Invalid.on("units", "a unit signs once")
    covenant = Covenant(
        federation=federation,
        block=block.code,
        block_name=block.name,
        year=cmd.year,
        units=list(cmd.units),
        criteria=[x.model_dump() for x in cmd.criteria],
        signed_on=cmd.signed_on,
        meta=ctx.meta,
    )
    return store.commit(ctx, [covenant], covenant.as_dict(), version=covenant.version)


def score_block(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    block: str,
    year: int,
    cmd: ac.ScoreBlock,
) -> CommandResult:
    require_subtree(ctx, federation, [], "block")
    covenant = covenant_of(tree, federation, block, year)
    ctx.check_version(covenant)
    covenant.score([s.model_dump() for s in cmd.scores], ctx.meta)
    return store.commit(ctx, [covenant], covenant.as_dict(), status=200, version=covenant.version)


def acclaim_leader(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    block: str,
    year: int,
    cmd: ac.AcclaimLeader,
) -> CommandResult:
    require_subtree(ctx, federation, [], "block")
    covenant = covenant_of(tree, federation, block, year)
    ctx.check_version(covenant)
    covenant.acclaim(list(cmd.units), cmd.acclaimed_on, ctx.meta)
    return store.commit(ctx, [covenant], covenant.as_dict(), status=200, version=covenant.version)


# -- targets ---------------------------------------------------------------------------


def assign_target(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: ac.AssignTarget
) -> CommandResult:
    target = prepare_target(tree, ctx, federation, cmd, tree.today())
    return store.commit(ctx, [target], target.as_dict(), version=target.version)


def target_of(tree: Tree, federation: str, unit: str, programme: str, year: int) -> Target:
    found = tree.find(Target, Target.id_for(federation, unit, programme, year))
    if found is None:
        raise unknown_target(unit)
    return found


# -- initiatives -----------------------------------------------------------------------


def register_initiative(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: ac.RegisterInitiative
) -> CommandResult:
    initiative = prepare_initiative(tree, ctx, federation, cmd, tree.today())
    return store.commit(ctx, [initiative], initiative.as_dict(), version=initiative.version)


def initiative_of(tree: Tree, federation: str, code: str) -> Initiative:
    found = tree.find(Initiative, Initiative.id_for(federation, code))
    if found is None:
        raise unknown_initiative(code)
    return found


def decide_initiative(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    code: str,
    action: str,
    cmd: ac.DecideInitiative,
) -> CommandResult:
    initiative = initiative_of(tree, federation, code)
    decide(tree, ctx, federation, initiative, action, cmd, tree.today())
    return store.commit(ctx, [initiative], initiative.as_dict(), status=200, version=initiative.version)


# -- works -----------------------------------------------------------------------------


def register_work(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: ac.RegisterWork
) -> CommandResult:
    work = prepare_work(tree, ctx, federation, cmd, tree.today())
    return store.commit(ctx, [work], work.as_dict(), version=work.version)


def work_of(tree: Tree, federation: str, code: str) -> Work:
    found = tree.find(Work, Work.id_for(federation, code))
    if found is None:
        raise unknown_work(code)
    return found


def advance_work(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    code: str,
    action: str,
    cmd: ac.WorkStep,
) -> CommandResult:
    work = work_of(tree, federation, code)
    require_subtree(ctx, federation, work.unit_path, "code", unknown_work(code))
    ctx.check_version(work)
    if cmd.on > tree.today():
        raise Invalid.on("on", "a work cannot be completed or plaqued in the future")
    if action == "complete":
        work.complete(cmd.on, ctx.meta)
    else:
        work.plaque(cmd.on, ctx.meta)
    return store.commit(ctx, [work], work.as_dict(), status=200, version=work.version)
