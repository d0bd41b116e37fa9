"""The rules a pledge is checked against, for a single pledge, a group of them and every row of a
list alike: the movement and award (none: a participation pledge), the date, the subject where it
sat that day (outside the caller's subtree as if it did not exist, I5), and who submits it.
`prepare_pledge` builds the pledge, unsaved; the callers store it."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.registration.adapters.award_catalogue import KnownAward
from services.registration.application import commands as c
from services.registration.application.scope import require_subtree, unknown_member
from services.registration.application.tree import Tree
from services.registration.domain.movements import Movement
from services.registration.domain.pledges import LIVE, Pledge
from shared.kernel.errors import Conflict, FieldError, Invalid
from shared.store.eventstore import Context

# (subject's name, its unit's code, the federation it sat in, the path of its unit) on a date
Placed = tuple[str, str, str, list[str]]


def prepare_pledge(tree: Tree, ctx: Context, federation: str, cmd: c.RegisterPledge) -> Pledge:
    """Check every pledge rule and build the pledge, unsaved (bulk lists save many at once)."""
    movement = tree.movement(federation, cmd.movement)
    known = open_award(tree, movement, cmd)
    pledged_on = pledge_date(movement, cmd, tree.today())
    award, award_name = (known.code, named_on(known, pledged_on)) if known else (None, None)
    if cmd.subject_kind == "member":
        name, unit_code, home, path = member_subject(tree, ctx, federation, cmd.subject_code, pledged_on)
    else:
        name, unit_code, home, path = unit_subject(tree, ctx, federation, cmd.subject_code, pledged_on)
    within_movement(movement, cmd.subject_code, home, path, pledged_on)
    submitter = submitting_unit(tree, ctx, federation, cmd.submitted_by or unit_code, home, path)
    existing = tree.find(
        Pledge,
        Pledge.id_for(movement.federation, movement.code, cmd.subject_kind, cmd.subject_code, award),
    )
    if existing is not None:
        if existing.state in LIVE:
            what = f"for '{award}'" if award else "to take part"
            raise Conflict(
                f"'{cmd.subject_code}' already pledged {what} in "
                f"'{movement.code}' (pledge {existing.id}, {existing.state})",
                [FieldError("award", "duplicate pledge")],
            )
        existing.resubmit(pledged_on, ctx.meta)
        return existing
    return Pledge.register(
        federation=movement.federation,
        movement=movement.code,
        movement_name=movement.name,
        year=movement.year,
        phase=cmd.phase,
        award=award,
        award_name=award_name,
        subject_kind=cmd.subject_kind,
        subject_code=cmd.subject_code,
        subject_name=name,
        unit=unit_code,
        unit_path=list(path),
        submitted_by=submitter,
        pledged_on=pledged_on,
        meta=ctx.meta,
    )


def open_award(tree: Tree, movement: Movement, cmd: c.RegisterPledge) -> KnownAward | None:
    """The award pledged for: open in the movement, which is open, and for this kind of subject;
    None for a participation pledge (no award: any open movement, a campaign too)."""
    if not movement.is_open:
        raise Invalid.on("movement", f"movement '{movement.code}' is closed")
    if cmd.award is None:
        return None
    award = tree.awards.find(movement.federation, cmd.award)
    if award is None or cmd.award not in movement.awards:
        raise Invalid.on(
            "award", f"award '{cmd.award}' is not open for pledges in movement '{movement.code}'"
        )
    if not award.admits(cmd.subject_kind):
        raise Invalid.on(
            "subject_kind", f"award '{award.code}' is for a {award.subjects}, not a {cmd.subject_kind}"
        )
    return award


def named_on(award: KnownAward, on: date) -> str:
    """The award's name the day pledged; refused if it was not in force that day."""
    name = award.name_on(on)
    if name is None:
        raise Invalid.on("award", f"award '{award.code}' is not in force on {on}")
    return name


def pledge_date(movement: Movement, cmd: c.RegisterPledge, today: date) -> date:
    """The pledge's date (default today): not in the future, not after the deadline, and in a
    phase the movement has, if it names one."""
    pledged_on = cmd.pledged_on or today
    if pledged_on > today:
        raise Invalid.on("pledged_on", "a pledge cannot be dated in the future")
    if pledged_on > movement.registration_deadline:
        raise Invalid.on(
            "pledged_on", f"registration for '{movement.code}' closed on {movement.registration_deadline}"
        )
    if cmd.phase is not None and movement.phase_named(cmd.phase) is None:
        raise Invalid.on("phase", f"movement '{movement.code}' has no phase '{cmd.phase}'")
    return pledged_on


def member_subject(tree: Tree, ctx: Context, federation: str, code: str, on: date) -> Placed:
    """A member pledging, where it sat on `on`; outside the caller's subtree it does not exist."""
    member = tree.member_facts(federation, code, "subject_code")
    placed = tree.member_placement(member, on)
    known = placed[1:] if placed is not None else tree.known_placement(member, on)
    missing = unknown_member(federation, code, "subject_code")
    require_subtree(ctx, *known, "subject_code", missing)  # I5: as if it did not exist
    if placed is None:
        raise Invalid.on("subject_code", f"member '{member.code}' was in no unit on {on}")
    return member.full_name, placed[0].code, placed[1], placed[2]


def unit_subject(tree: Tree, ctx: Context, federation: str, code: str, on: date) -> Placed:
    """A unit pledging, where it sat on `on`; outside the caller's subtree it does not exist."""
    unit = tree.unit(federation, code, "subject_code")
    placed = tree.placement(unit, on)
    home, path = placed or (federation, list(unit.ancestry))
    require_subtree(ctx, home, path, "subject_code")  # I5: as if it did not exist
    if unit.kind == "block":
        raise Invalid.on("subject_code", "an emulation block does not pledge; its units do")
    if placed is None:
        raise Invalid.on("subject_code", f"unit '{unit.code}' was not in the tree on {on}")
    return unit.name, unit.code, placed[0], placed[1]


def within_movement(movement: Movement, code: str, home: str, path: list[str], on: date) -> None:
    """The subject sat in the movement's federation, inside the subtree that launched it."""
    if home != movement.federation:
        raise Invalid.on("subject_code", f"'{code}' belonged to '{home}' on {on}")
    if movement.launched_by and movement.launched_by not in path:
        raise Invalid.on(
            "subject_code",
            f"'{code}' is outside the subtree of '{movement.launched_by}' that launched the movement",
        )


def submitting_unit(tree: Tree, ctx: Any, federation: str, submitter: str, home: str, path: list[str]) -> str:
    """The unit submitting the pledge: the subject's own unit or one above it, in the caller's
    subtree."""
    if submitter not in path:
        tree.unit(federation, submitter, "submitted_by")
        raise Invalid.on("submitted_by", f"unit '{submitter}' may only submit pledges for its own subtree")
    require_subtree(ctx, home, path[: path.index(submitter) + 1], "submitted_by")
    return submitter
