"""Commands that build and change the organisation tree, each with its effective date."""

from __future__ import annotations

from datetime import date

from services.registration.application import commands as c
from services.registration.application.placement_guards import still_open
from services.registration.application.scope import require_subtree, unknown_member, unknown_unit
from services.registration.application.tree import Tree
from services.registration.domain.members import Member
from services.registration.domain.organisation import Federation, Unit
from shared.kernel.errors import Conflict, FieldError, Invalid
from shared.kernel.text import unsafe
from shared.store.eventstore import CommandResult, Context, ServiceApplication
from shared.store.fast_events import Creation


def create_federation(
    tree: Tree, store: ServiceApplication, ctx: Context, cmd: c.CreateFederation
) -> CommandResult:
    if tree.find(Federation, Federation.id_for(cmd.code)):
        raise Conflict(f"federation '{cmd.code}' already exists", [FieldError("code", "already exists")])
    federation = Federation(federation=cmd.code, name=cmd.name, meta=ctx.meta)
    return store.commit(ctx, [federation], federation.as_dict(), version=federation.version)


def register_unit(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: c.RegisterUnit
) -> CommandResult:
    unit = new_unit(tree, ctx, federation, cmd)
    guards = still_open(tree, federation, [cmd.parent])
    return store.commit(ctx, [unit], unit.as_dict(), version=unit.version, guards=guards)


_unit_registered = Creation(Unit, "Registered")


def new_unit(tree: Tree, ctx: Context, federation: str, cmd: c.RegisterUnit) -> Unit:
    """A unit checked and built, unsaved (a list of units keeps it with the list's)."""
    tree.open_federation(federation)
    tree.code_is_free(Unit, federation, cmd.code, "unit")
    path = tree.check_parent(federation, cmd.kind, cmd.parent, cmd.effective_on or tree.today(), ctx)
    require_subtree(ctx, federation, path, "parent")
    return _unit_registered(
        federation=federation,
        code=cmd.code,
        name=cmd.name,
        kind=cmd.kind,
        parent=cmd.parent,
        ancestry=[*path, cmd.code],
        effective_on=cmd.effective_on,
        meta=ctx.meta,
    )


def register_member(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: c.RegisterMember
) -> CommandResult:
    member = new_member(tree, ctx, federation, cmd)
    guards = still_open(tree, federation, [member.unit])
    return store.commit(ctx, [member], member.as_dict(), version=member.version, guards=guards)


_member_registered = Creation(Member, "Registered")


def new_member(tree: Tree, ctx: Context, federation: str, cmd: c.RegisterMember) -> Member:
    """A member checked and built, unsaved (a list of members or of pledges keeps it with the list's)."""
    tree.open_federation(federation)
    tree.code_is_free(Member, federation, cmd.code, "member")
    unit, path = tree.live_unit(federation, cmd.unit, ctx=ctx)
    if unit.kind == "block":
        raise Invalid.on("unit", "members belong to a union unit, not to an emulation block")
    return _member_registered(
        federation=federation,
        code=cmd.code,
        full_name=cmd.full_name,
        unit=unit.code,
        unit_name=unit.name,
        unit_path=path,
        birth_year=cmd.birth_year,
        gender=cmd.gender,
        position=cmd.position,
        meta=ctx.meta,
    )


def move_unit(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, code: str, cmd: c.MoveUnit
) -> CommandResult:
    unit, before = tree.live_unit(federation, code, "code", cmd.effective_on, ctx)
    ctx.check_version(unit)
    path = tree.check_parent(federation, unit.kind, cmd.to_parent, cmd.effective_on, ctx, "to_parent")
    if code in path:
        raise Invalid.on("to_parent", f"unit '{code}' cannot move under its own subtree")
    require_subtree(ctx, federation, path, "to_parent")
    unit.move(federation, cmd.to_parent, before, [*path, code], federation, cmd.effective_on, ctx.meta)
    guards = still_open(tree, federation, [cmd.to_parent])
    return store.commit(ctx, [unit], unit.as_dict(), status=200, version=unit.version, guards=guards)


def transfer_member(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, code: str, cmd: c.TransferMember
) -> CommandResult:
    member, _ = _member_in_scope(tree, ctx, federation, code, cmd.effective_on)
    unit, path = tree.placeable_unit(federation, cmd.unit, "unit", cmd.effective_on, ctx)
    if unit.kind == "block":
        raise Invalid.on("unit", "members belong to a union unit, not to an emulation block")
    member.transfer(federation, unit.code, path, cmd.effective_on, ctx.meta)
    guards = still_open(tree, federation, [unit.code])
    return store.commit(ctx, [member], member.as_dict(), status=200, version=member.version, guards=guards)


def member_leaves(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, code: str, cmd: c.MemberLeaves
) -> CommandResult:
    member, _ = _member_in_scope(tree, ctx, federation, code, cmd.effective_on)
    member.leave(federation, cmd.effective_on, ctx.meta)
    return store.commit(ctx, [member], member.as_dict(), status=200, version=member.version)


def _member_in_scope(
    tree: Tree, ctx: Context, federation: str, code: str, on: date
) -> tuple[Member, tuple[Unit, str, list[str]]]:
    """The member a command changes, placed in a unit of `federation` on `on`; one outside the
    caller's subtree is refused first, exactly as one that does not exist (I5)."""
    member = tree.member(federation, code, "code")
    home, known = tree.known_placement(member, on)
    require_subtree(ctx, home, known, "code", unknown_member(federation, code, "code"))
    ctx.check_version(member)
    placed = tree.member_placement(member, on)
    if placed is None and (ended := _ended_unit(tree, member, on)) is not None:
        # left in a unit that had ended (a dissolution or merge recorded before its members were
        # checked or taken along): the member may still be transferred out, or leave
        placed = (ended, home, known)
    if placed is None or placed[1] != federation:
        raise Invalid.on("code", f"member '{code}' is not in a unit of '{federation}' on {on}")
    return member, placed


def _ended_unit(tree: Tree, member: Member, on: date) -> Unit | None:
    """The unit the member is in on `on` by their own placements, if it had ended by then."""
    code = member.unit_on(on)
    unit = tree.resolve(Unit, member.federation, code) if code is not None else None
    return unit if unit is not None and unit.ended_on is not None and unit.ended_on <= on else None


def merge_federation(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    cmd: c.MergeFederation,
    top_units: list[str],
) -> CommandResult:
    """Merge `federation` into `cmd.into`: its top units (and with them every subtree) move.

    `top_units` comes from the read model; each is checked here. Codes must not clash with the
    receiving federation's, since its staff will address the merged units by code."""
    merged = tree.open_federation(federation)
    receiving = tree.open_federation(cmd.into)
    if cmd.into == federation:
        raise Invalid.on("into", "a federation cannot merge into itself")
    moved: list[Unit] = []
    for code in top_units:
        unit = tree.unit(federation, code)
        placed = tree.placement(unit, cmd.effective_on)
        if placed is None or placed[0] != federation or len(placed[1]) != 1:
            raise Conflict(f"unit '{code}' is not a top unit of '{federation}'; read the tree again")
        if tree.resolve(Unit, cmd.into, code) is not None:
            raise Conflict(
                f"unit code '{code}' exists in both federations",
                [FieldError("units", f"code '{code}' clashes")],
            )
        unit.move(federation, None, [code], [code], cmd.into, cmd.effective_on, ctx.meta)
        moved.append(unit)
    merged.merge_into(
        federation=federation,
        into=cmd.into,
        effective_on=cmd.effective_on,
        units=top_units,
        meta=ctx.meta,
    )
    receiving.absorb(federation=cmd.into, absorbed=federation, effective_on=cmd.effective_on, meta=ctx.meta)
    body = {**merged.as_dict(), "units": top_units}
    return store.commit(ctx, [*moved, merged, receiving], body, status=200, version=merged.version)


# -- corrections of a bad stored value (README, "Recovering from a bad stored value") -----


def correct_member(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, code: str, cmd: c.CorrectMember
) -> CommandResult:
    """A member's details as they should have been stored (`member-corrected`): those the body
    gives; a member outside the caller's subtree does not exist for it (I5)."""
    member = tree.member(federation, code, "code")
    home, known = tree.known_placement(member, tree.today())
    require_subtree(ctx, home, known, "code", unknown_member(federation, code, "code"))
    ctx.check_version(member)
    details = cmd.model_dump(include=cmd.model_fields_set - {"reason"})
    if "full_name" in details and details["full_name"] is None:
        raise Invalid.on("full_name", "a member's name cannot be cleared")
    if (details.get("birth_year") or 0) > tree.today().year:
        raise Invalid.on("birth_year", f"must not be after this year ({tree.today().year})")
    reason = correction_reason(ctx, cmd.reason)
    if not details:
        raise Invalid.on("full_name", "give the details to correct: full_name, birth_year, gender, position")
    member.correct(federation, details, reason, ctx.meta)
    return store.commit(ctx, [member], member.as_dict(), status=200, version=member.version)


def correct_unit(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, code: str, cmd: c.CorrectName
) -> CommandResult:
    """A unit's name as it should have been stored (`unit-corrected`), also of an ended unit."""
    unit = tree.unit(federation, code, "code")
    placed = tree.placement(unit, tree.today())
    known = placed[1] if placed is not None and placed[0] == federation else list(unit.ancestry)
    require_subtree(ctx, federation, known, "code", unknown_unit(federation, code, "code"))
    ctx.check_version(unit)
    unit.correct(federation, cmd.name, correction_reason(ctx, cmd.reason), ctx.meta)
    return store.commit(ctx, [unit], unit.as_dict(known), status=200, version=unit.version)


def correct_federation(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: c.CorrectName
) -> CommandResult:
    """The federation's name as it should have been stored (`federation-corrected`)."""
    found = tree.federation(federation)
    ctx.check_version(found)
    found.correct(cmd.name, correction_reason(ctx, cmd.reason), ctx.meta)
    return store.commit(ctx, [found], found.as_dict(), status=200, version=found.version)


def correction_reason(ctx: Context, given: str | None) -> str:
    """A correction says why: `reason` in the body or the `X-Reason` header (the same if both),
    checked as free text is."""
    header = ctx.reason.strip() if ctx.reason else None
    if header is not None:
        if len(header) > 4000:
            raise Invalid.on("X-Reason", "must be at most 4000 characters")
        if problem := unsafe(header, lines=True):
            raise Invalid.on("X-Reason", problem)
    if given and header and given != header:
        raise Invalid.on("reason", "the body's reason and X-Reason differ; give it once")
    reason = given or header
    if not reason:
        raise Invalid.on("reason", "a correction needs a reason: `reason` in the body or the X-Reason header")
    return reason
