"""A unit's code changed: the unit goes on under its new code, its old one still found.

A unit's code is its identity in every service (its aggregate id, the subject of its pledges and
awards), so a new code is a new unit that carries the old one on: registered the day the code
changes with the old code among its `former_codes`, taking the old unit's own members
(`member-transferred`) and direct subunits (`unit-moved`, their subtrees follow) that day; the
old unit ends with `unit-recoded` naming the new code. Everything recorded under the old code
stays under it, and the old code leads to the new one."""

from __future__ import annotations

from collections.abc import Sequence

from services.registration.application import commands as c
from services.registration.application.organisation import correction_reason
from services.registration.application.placement_guards import nobody_placed_since
from services.registration.application.scope import require_subtree
from services.registration.application.tree import Tree
from services.registration.application.unit_endings import require_not_ahead
from services.registration.domain.members import Member
from services.registration.domain.organisation import Unit
from shared.kernel.errors import Invalid
from shared.store.eventstore import CommandResult, Context, ServiceApplication


def recode_unit(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    code: str,
    cmd: c.RecodeUnit,
    members: Sequence[str] = (),
    subunits: Sequence[str] = (),
    seen: int | None = None,
) -> CommandResult:
    """`members` and `subunits` come from the read model at position `seen` (the unit's own
    members and the units directly under it); each is checked here against the store."""
    unit, path = tree.live_unit(federation, code, "code", cmd.effective_on, ctx)
    ctx.check_version(unit)
    require_not_ahead(tree, cmd.effective_on, "a code change")
    if cmd.code == code:
        raise Invalid.on("code", f"unit '{code}' already has this code")
    tree.code_is_free(Unit, federation, cmd.code, "unit")
    reason = correction_reason(ctx, cmd.reason)
    ancestry = [*path[:-1], cmd.code]
    # The unit under its new code sits beside the old one: a caller scoped to the unit itself
    # would recode it out of their own subtree.
    require_subtree(ctx, federation, ancestry, "code")
    successor = Unit(
        federation=federation,
        code=cmd.code,
        name=unit.name,
        kind=unit.kind,
        parent=path[-2] if len(path) > 1 else None,
        ancestry=ancestry,
        effective_on=cmd.effective_on,
        former_codes=(code, *unit.former_codes),
        meta=ctx.meta,
    )
    why = {**ctx.meta, "reason": f"Đổi mã đơn vị '{code}' thành '{cmd.code}' (unit-recoded)"}
    moved_members: list[Member] = []
    for member_code in dict.fromkeys(members):
        member = tree.member(federation, member_code)
        if member.unit == code and member.left_on is None:
            member.transfer(federation, cmd.code, ancestry, cmd.effective_on, why)
            moved_members.append(member)
    moved_units: list[Unit] = []
    for sub_code in dict.fromkeys(subunits):
        sub = tree.unit(federation, sub_code)
        placed = tree.placement(sub, cmd.effective_on)
        if placed is None or placed[0] != federation or placed[1][-2:-1] != [code]:
            now = tree.placement(sub, tree.today())
            if now is not None and now[1][-2:-1] == [code]:  # came under it after that day
                since = sub.placements[-1]["from"]
                raise Invalid.on(
                    "effective_on",
                    f"unit '{sub_code}' has been under '{code}' only since {since}: "
                    "date the change then or later",
                )
            continue  # no longer directly under the unit
        sub.move(federation, cmd.code, placed[1], [*ancestry, sub_code], federation, cmd.effective_on, why)
        moved_units.append(sub)
    unit.recode(federation, cmd.code, cmd.effective_on, reason, ctx.meta)
    # The successor first, then what moves to it: the read model finds each in place in turn.
    return store.commit(
        ctx,
        [successor, *moved_members, *moved_units, unit],
        successor.as_dict(ancestry),
        version=successor.version,
        guards=nobody_placed_since(store.mapper, seen, code),
    )
