"""Units' headcounts (`unit-headcount-recorded`): each row checked against the tree on the day it
was counted and the caller's subtree; one bad row refuses the list, every bad row named. Changing
figures already recorded for a day is a correction and says why."""

from __future__ import annotations

from typing import Any

from services.registration.application import commands as c
from services.registration.application.organisation import correction_reason
from services.registration.application.tree import Tree
from services.registration.domain.headcounts import Headcount
from shared.kernel.errors import DomainError, FieldError, Invalid
from shared.store.eventstore import CommandResult, Context, ServiceApplication


def record_headcounts(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: c.RecordHeadcounts
) -> CommandResult:
    tree.open_federation(federation)
    pending: dict[str, Headcount] = {}
    errors: list[FieldError] = []
    changes = 0
    for i, line in enumerate(cmd.headcounts):
        try:
            counted = _record(tree, store, ctx, federation, cmd, line, pending)
        except DomainError as exc:
            errors.extend(FieldError(f"headcounts.{i}.{e.field}", e.message) for e in exc.errors)
            continue
        changes += counted
    if errors:
        raise Invalid(f"{len(errors)} of the headcounts cannot be recorded; nothing was recorded", errors)
    body: dict[str, Any] = {"recorded": changes, "units": len(pending)}
    return store.commit(ctx, list(pending.values()), body)


def _record(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    cmd: c.RecordHeadcounts,
    line: c.HeadcountLine,
    pending: dict[str, Headcount],
) -> int:
    """1 if the line records something new, 0 if it repeats what is recorded."""
    if line.counted_on > tree.today():
        raise Invalid.on("counted_on", "figures cannot be counted on a day still to come")
    if line.members > line.workers:
        raise Invalid.on("members", f"{line.members} members out of {line.workers} workers: more than all")
    unit, path = tree.live_unit(federation, line.unit, "unit", line.counted_on, ctx)
    if unit.kind == "block":
        raise Invalid.on("unit", "an emulation block has no workers of its own; count its units")
    headcount = pending.get(line.unit) or store.find(Headcount, Headcount.id_for(federation, line.unit))
    if headcount is None:
        headcount = Headcount(federation=federation, unit=line.unit, meta=ctx.meta)
    pending[line.unit] = headcount
    before = headcount.counts.get(line.counted_on.isoformat())
    figures = {"workers": line.workers, "members": line.members}
    if before == figures:
        return 0
    reason = correction_reason(ctx, cmd.reason) if before is not None else cmd.reason or ctx.reason
    headcount.record(
        federation, line.unit, list(path), line.counted_on, line.workers, line.members, reason, ctx.meta
    )
    return 1
