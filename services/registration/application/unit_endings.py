"""The organisation tree's endings: a unit merged into another (its members taken along) or
dissolved (once nobody is left in it), so no member is left in a unit that has ended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from services.registration.application import commands as c
from services.registration.application.placement_guards import nobody_placed_since, still_open
from services.registration.application.scope import require_subtree
from services.registration.application.tree import Tree
from services.registration.domain.members import Member
from services.registration.domain.organisation import Unit
from shared.kernel.errors import Invalid
from shared.store.audit.guards import Guard
from shared.store.eventstore import CommandResult, Context, ServiceApplication


def require_not_ahead(tree: Tree, on: date, change: str) -> None:
    """A merge, dissolution or code change takes the unit's members and subunits along (or
    checks that none is left) when it is stored: dated later, anyone placed in the unit in
    between would be left in a unit that has ended."""
    if on > tree.today():
        raise Invalid.on("effective_on", f"{change} takes effect today or on an earlier day, not later")


def merge_unit(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    code: str,
    cmd: c.MergeUnit,
    members: Sequence[str] = (),
    seen: int | None = None,
) -> CommandResult:
    """Merge unit `code` into `cmd.into` on `cmd.effective_on`. `members` (from the read model
    at position `seen`: those in the unit that day or since) are checked against the store: each
    still in it is transferred to the receiving unit that day, the merge as the transfer's reason,
    so none is left in a unit that has ended; one who moved out after that day refuses the date."""
    unit, path = tree.live_unit(federation, code, "code", cmd.effective_on, ctx)
    ctx.check_version(unit)
    require_not_ahead(tree, cmd.effective_on, "a merge")
    into, into_path = tree.placeable_unit(federation, cmd.into, "into", cmd.effective_on, ctx)
    if into.code == code or code in into_path:
        raise Invalid.on("into", "a unit cannot merge into itself or its own subtree")
    if into.kind == "block" or unit.kind == "block":
        raise Invalid.on("into", "emulation blocks group units; they do not merge with union units")
    require_subtree(ctx, federation, path, "code")
    require_subtree(ctx, federation, into_path, "into")
    why = {**ctx.meta, "reason": f"Sáp nhập đơn vị '{code}' vào '{into.code}' (unit-merged)"}
    moved: list[Member] = []
    for member_code in dict.fromkeys(members):
        member = tree.member(federation, member_code)
        if member.unit_on(cmd.effective_on) == code and (member.unit != code or member.left_on):
            out = [p["from"] for p in member.placements if p["from"] > cmd.effective_on]
            since = min([*out, *([member.left_on] if member.left_on else [])])
            raise Invalid.on(
                "effective_on",
                f"member '{member_code}' was in unit '{code}' on {cmd.effective_on} and moved out or "
                f"left on {since}: date the merge then or later",
            )
        if member.unit == unit.code and member.left_on is None:
            member.transfer(federation, into.code, into_path, cmd.effective_on, why)
            moved.append(member)
    unit.merge_into(federation, into.code, cmd.effective_on, ctx.meta)
    guards: list[Guard] = [*still_open(tree, federation, [into.code])]
    guards += nobody_placed_since(store.mapper, seen, code)
    # The members first: the read model then finds none left in the unit when it ends.
    return store.commit(ctx, [*moved, unit], unit.as_dict(), status=200, version=unit.version, guards=guards)


def dissolve_unit(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    code: str,
    cmd: c.DissolveUnit,
    members: Sequence[str] = (),
    subunits: Sequence[str] = (),
    seen: int | None = None,
) -> CommandResult:
    """`members` and `subunits` (from the read model at position `seen`: those in the unit or
    directly under it on `effective_on` or since) are checked here against the store: a unit is
    dissolved only once none of them is left in it that day or after, or they would belong to a
    unit that has ended."""
    unit, _ = tree.live_unit(federation, code, "code", cmd.effective_on, ctx)
    ctx.check_version(unit)
    on = cmd.effective_on
    require_not_ahead(tree, on, "a dissolution")
    still = [
        m
        for m in dict.fromkeys(members)
        if (member := tree.member(federation, m)).unit_on(on) == code
        or (member.unit == code and member.left_on is None)
    ]
    under = [u for u in dict.fromkeys(subunits) if _under(tree, tree.unit(federation, u), code, on)]
    if still or under:
        named = ", ".join([*still, *under][:10])
        raise Invalid.on(
            "effective_on",
            f"unit '{code}' still has {len(still)} member(s) and {len(under)} unit(s) under it on {on} "
            f"({named}): transfer the members or record them as left, and move or dissolve the units, "
            "first; or merge the unit into another, which takes its members along",
        )
    unit.dissolve(federation, on, ctx.meta)
    guards = nobody_placed_since(store.mapper, seen, code)
    return store.commit(ctx, [unit], unit.as_dict(), status=200, version=unit.version, guards=guards)


def _under(tree: Tree, sub: Unit, code: str, on: date) -> bool:
    """Whether `sub` sits directly under `code` on `on` or today (it came under it since)."""
    for day in (on, tree.today()):
        placed = tree.placement(sub, day)
        if placed is not None and placed[1][-2:-1] == [code]:
            return True
    return False
