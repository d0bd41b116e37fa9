"""Corrections of an initiative's or a dedicated work's details (`initiative-corrected`,
`work-corrected`): the details as they should have been stored, with a reason; the stored
events stay as they are. Its key, author, unit and year are its identity: not corrected here."""

from __future__ import annotations

from typing import Any

from services.registration.application import activity_commands as ac
from services.registration.application.activities import (
    initiative_of,
    unknown_initiative,
    unknown_work,
    work_of,
)
from services.registration.application.organisation import correction_reason
from services.registration.application.scope import require_subtree
from services.registration.application.tree import Tree
from shared.kernel.errors import Invalid
from shared.store.eventstore import CommandResult, Context, ServiceApplication


def _changes(found: Any, cmd: Any, fields: tuple[str, ...], what: str) -> tuple[list[str], dict[str, Any]]:
    """The fields the body gives that differ, and every field's value after the correction."""
    given = cmd.model_dump(include=cmd.model_fields_set & set(fields))
    if not given:
        raise Invalid.on(fields[0], f"give the details to correct: {', '.join(fields)}")
    for name, value in given.items():
        if value is None:
            raise Invalid.on(name, f"{what}'s {name} cannot be cleared")
    changed = [k for k in fields if k in given and given[k] != getattr(found, k)]
    if not changed:
        raise Invalid.on(next(iter(given)), f"{what} '{found.code}' already has these details")
    return changed, {k: given[k] if k in changed else getattr(found, k) for k in fields}


def correct_initiative(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    code: str,
    cmd: ac.CorrectInitiative,
    may_decide: bool = False,
) -> CommandResult:
    """`may_decide`: whether the caller may recognise initiatives. Once a council has decided one,
    its benefit value is the council's (its recognition set it): only such a caller corrects it."""
    initiative = initiative_of(tree, federation, code)
    require_subtree(ctx, federation, initiative.unit_path, "code", unknown_initiative(code))
    ctx.check_version(initiative)
    changed, new = _changes(initiative, cmd, ("title", "field", "benefit_value"), "an initiative")
    if "benefit_value" in changed and initiative.state != "registered" and not may_decide:
        raise Invalid.on(
            "benefit_value",
            f"the council decided this initiative on {initiative.decided_on}: its benefit value is the "
            "council's, corrected only by who may recognise initiatives",
        )
    reason = correction_reason(ctx, cmd.reason)
    initiative.corrected(
        federation=federation,
        initiative=initiative.code,
        unit=initiative.unit,
        unit_path=initiative.unit_path,
        year=initiative.year,
        author_kind=initiative.author_kind,
        author_code=initiative.author_code,
        corrected=changed,
        reason=reason,
        meta=ctx.meta,
        **new,
    )
    return store.commit(ctx, [initiative], initiative.as_dict(), status=200, version=initiative.version)


def correct_work(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, code: str, cmd: ac.CorrectWork
) -> CommandResult:
    work = work_of(tree, federation, code)
    require_subtree(ctx, federation, work.unit_path, "code", unknown_work(code))
    ctx.check_version(work)
    changed, new = _changes(work, cmd, ("name", "value", "occasion"), "a work")
    reason = correction_reason(ctx, cmd.reason)
    work.corrected(
        federation=federation,
        work=work.code,
        unit=work.unit,
        unit_path=work.unit_path,
        year=work.year,
        corrected=changed,
        reason=reason,
        meta=ctx.meta,
        **new,
    )
    return store.commit(ctx, [work], work.as_dict(), status=200, version=work.version)
