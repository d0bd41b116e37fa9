"""A returned pledge resubmitted with corrections (issue 18): its date, phase or submitting unit as
they should have been stored, checked by a new pledge's rules (pledge_rules.py), with the reason;
the subject's unit, path and name follow where it sat on the corrected date. A refused correction
stores nothing; only a returned pledge can be corrected."""

from __future__ import annotations

from typing import Any

from services.registration.application import commands as c
from services.registration.application.organisation import correction_reason
from services.registration.application.pledge_rules import (
    member_subject,
    named_on,
    open_award,
    pledge_date,
    submitting_unit,
    unit_subject,
    within_movement,
)
from services.registration.application.pledging import pledge_of, transition_pledge
from services.registration.application.scope import require_subtree
from services.registration.application.tree import Tree
from services.registration.domain.pledges import Pledge
from shared.kernel.errors import Invalid, NotFound
from shared.store.eventstore import CommandResult, Context, ServiceApplication

CORRECTABLE = ("pledged_on", "phase", "submitted_by")


def resubmit_pledge(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    pledge_id: str,
    cmd: c.ResubmitPledge,
) -> CommandResult:
    """`pledge-resubmitted`: as it was when nothing is corrected, else with the corrections."""
    given = cmd.model_dump(include=cmd.model_fields_set & set(CORRECTABLE))
    if not given:
        return transition_pledge(tree, store, ctx, federation, pledge_id, "resubmit", c.PledgeDecision())
    pledge = pledge_of(tree, federation, pledge_id)
    missing = NotFound(f"pledge '{pledge_id}' does not exist")
    require_subtree(ctx, federation, tuple(pledge.unit_path), "pledge", missing)
    ctx.check_version(pledge)
    if pledge.state == "returned":  # the state first: any other answers 409 naming it
        reason = correction_reason(ctx, cmd.reason)
        corrected = [name for name in CORRECTABLE if name in given and given[name] != getattr(pledge, name)]
        if not corrected:
            raise Invalid.on(next(iter(given)), "the values given are those stored: nothing to correct")
        values = checked(tree, ctx, federation, pledge, given)
    else:
        reason, corrected, values = "", [], {}
    pledge.belong_to(federation)
    pledge.resubmit_corrected(tree.today(), ctx.meta, reason, corrected, values)
    return store.commit(ctx, [pledge], pledge.as_dict(), status=200, version=pledge.version)


def checked(
    tree: Tree, ctx: Context, federation: str, pledge: Pledge, given: dict[str, Any]
) -> dict[str, Any]:
    """The pledge's values with the corrections, checked as a new pledge's are."""
    was = {"pledged_on": pledge.pledged_on, "phase": pledge.phase, "submitted_by": pledge.submitted_by}
    key: dict[str, Any] = {"movement": pledge.movement, "award": pledge.award}
    key |= {"subject_kind": pledge.subject_kind, "subject_code": pledge.subject_code}
    cmd = c.RegisterPledge.model_construct(**key, **(was | given))
    movement = tree.movement(federation, cmd.movement)
    award = open_award(tree, movement, cmd)
    on = pledge_date(movement, cmd, tree.today())
    if award is not None:  # a participation pledge names none
        named_on(award, on)
    subject = member_subject if cmd.subject_kind == "member" else unit_subject
    name, unit, home, path = subject(tree, ctx, federation, cmd.subject_code, on)
    within_movement(movement, cmd.subject_code, home, path, on)
    submitter = submitting_unit(tree, ctx, federation, cmd.submitted_by or unit, home, path)
    return {
        "pledged_on": on,
        "phase": cmd.phase,
        "submitted_by": submitter,
        "subject_name": name,
        "unit": unit,
        "unit_path": list(path),
    }
