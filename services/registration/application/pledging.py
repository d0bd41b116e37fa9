"""Movements and pledges: the rules a pledge is checked against, one at a time or in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from services.registration.application import commands as c
from services.registration.application.reads import Reads, memoised
from services.registration.application.scope import require_subtree, unknown_member
from services.registration.application.tree import Tree
from services.registration.domain.members import Member
from services.registration.domain.movements import Movement
from services.registration.domain.organisation import Federation, Unit
from services.registration.domain.pledges import LIVE, Pledge
from shared.auth import scope_covers
from shared.catalogue import BY_CODE
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from shared.eventstore import CommandResult, Context, IdempotencyRecord, ServiceApplication


def launch_movement(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: c.LaunchMovement
) -> CommandResult:
    tree.open_federation(federation)
    tree.code_is_free(Movement, federation, cmd.code, "movement")
    for i, award in enumerate(cmd.awards):
        if award not in BY_CODE:
            raise Invalid.on(f"awards.{i}", f"unknown award '{award}'")
    for i, phase in enumerate(cmd.phases):
        if phase.starts.year != cmd.year or phase.ends.year != cmd.year:
            raise Invalid.on(f"phases.{i}", f"a phase must lie inside the year {cmd.year}")
    if cmd.kind == "phase" and not cmd.phases:
        raise Invalid.on("phases", "a movement of kind 'phase' needs its phases")
    if cmd.launched_by:
        tree.live_unit(federation, cmd.launched_by, "launched_by", None, ctx)
    elif not scope_covers(ctx.scope, federation, ()):
        raise Forbidden("only federation staff launch a federation-wide movement")
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


def register_pledge(
    tree: Tree, store: ServiceApplication, ctx: Context, federation: str, cmd: c.RegisterPledge
) -> CommandResult:
    pledge = prepare_pledge(tree, ctx, federation, cmd)
    return store.commit(ctx, [pledge], pledge.as_dict(), version=pledge.version)


def register_pledge_group(
    tree: Tree, store: ServiceApplication, group: Sequence[tuple[Context, str, c.RegisterPledge]]
) -> list[CommandResult | Exception]:
    """Pledges of concurrent requests: read together, checked one by one exactly as
    `register_pledge` checks one, and stored in one transaction. Each request still gets
    its own answer: a refused pledge is refused alone; if the transaction clashes with
    another writer (or two pledges of the group clash with each other), nothing of it was
    stored and each pledge is handled again alone, as if it had come by ittree."""
    # A pledge only looks at its federation, movement and units: they are rebuilt once and
    # shared by the group's commands (and the next groups while their versions hold).
    shared = Reads(read_only_kept=True)
    with memoised(shared):
        _read_for_pledges(tree, group)
    results: list[CommandResult | Exception] = []
    pending: list[Aggregate] = []
    stored_with_group: list[int] = []
    for i, (ctx, federation, cmd) in enumerate(group):
        with memoised(shared.for_next_command()):
            try:
                prior = ServiceApplication.replay(store, ctx)  # from the group's reads
                if prior is not None:
                    results.append(prior)
                    continue
                pledge = prepare_pledge(tree, ctx, federation, cmd)
                aggregates, result = store.to_commit(ctx, [pledge], pledge.as_dict(), version=pledge.version)
            except Exception as exc:
                results.append(exc)
                continue
        results.append(result)
        pending.extend(aggregates)
        stored_with_group.append(i)
    if not pending:
        return results
    try:
        store.save(*pending)
    except IntegrityError:
        for i in stored_with_group:
            ctx, federation, cmd = group[i]
            try:
                with memoised():
                    results[i] = store.replay(ctx) or register_pledge(tree, store, ctx, federation, cmd)
            except Exception as exc:
                results[i] = exc
    except Exception as exc:
        for i in stored_with_group:
            results[i] = exc
    return results


def _read_for_pledges(tree: Tree, group: Sequence[tuple[Context, str, c.RegisterPledge]]) -> None:
    """Read what the group's pledges will look at: their subjects and existing pledges, and
    the federation, movement and units (kept between groups once checked against the log),
    mostly in one query. A guess: whatever the checks look at beyond it is read when they do."""
    first: list[UUID] = []
    for ctx, federation, cmd in group:
        kind: type[Member] | type[Unit] = Member if cmd.subject_kind == "member" else Unit
        first += [
            Federation.id_for(federation),
            Movement.id_for(federation, cmd.movement),
            kind.id_for(federation, cmd.subject_code),
            Pledge.id_for(federation, cmd.movement, cmd.subject_kind, cmd.subject_code, cmd.award),
        ]
        if ctx.idempotency_key:
            first.append(IdempotencyRecord.id_for(ctx.actor, ctx.idempotency_key))
    tree.read_current(first)
    then: list[UUID] = []
    for _, federation, cmd in group:
        subject_id = (Member if cmd.subject_kind == "member" else Unit).id_for(federation, cmd.subject_code)
        subject = tree.find(Aggregate, subject_id)
        if isinstance(subject, Member):
            codes = [*subject.unit_path, *(p["unit"] for p in subject.placements)]
        elif isinstance(subject, Unit):
            codes = list(subject.ancestry)
        else:
            continue
        then += [Unit.id_for(subject.federation, code) for code in codes]
    tree.read_current(then, checked=True)


def prepare_pledge(tree: Tree, ctx: Context, federation: str, cmd: c.RegisterPledge) -> Pledge:
    """Check every pledge rule and build the pledge, unsaved (bulk lists save many at once)."""
    movement = tree.movement(federation, cmd.movement)
    if not movement.is_open:
        raise Invalid.on("movement", f"movement '{movement.code}' is closed")
    award = BY_CODE.get(cmd.award)
    if award is None or cmd.award not in movement.awards:
        raise Invalid.on(
            "award", f"award '{cmd.award}' is not open for pledges in movement '{movement.code}'"
        )
    if not award.admits(cmd.subject_kind):
        raise Invalid.on(
            "subject_kind", f"award '{award.code}' is for a {award.subjects}, not a {cmd.subject_kind}"
        )
    pledged_on = cmd.pledged_on or tree.today()
    if pledged_on > tree.today():
        raise Invalid.on("pledged_on", "a pledge cannot be dated in the future")
    if pledged_on > movement.registration_deadline:
        raise Invalid.on(
            "pledged_on", f"registration for '{movement.code}' closed on {movement.registration_deadline}"
        )
    if cmd.phase is not None and movement.phase_named(cmd.phase) is None:
        raise Invalid.on("phase", f"movement '{movement.code}' has no phase '{cmd.phase}'")
    if cmd.subject_kind == "member":
        member = tree.member_facts(federation, cmd.subject_code, "subject_code")
        placed = tree.member_placement(member, pledged_on)
        known = placed[1:] if placed is not None else tree.known_placement(member, pledged_on)
        missing = unknown_member(federation, cmd.subject_code, "subject_code")
        require_subtree(ctx, *known, "subject_code", missing)  # I5: as if it did not exist
        if placed is None:
            raise Invalid.on("subject_code", f"member '{member.code}' was in no unit on {pledged_on}")
        name, unit_code, (home, path) = member.full_name, placed[0].code, placed[1:]
    else:
        subject_unit = tree.unit(federation, cmd.subject_code, "subject_code")
        unit_placed = tree.placement(subject_unit, pledged_on)
        home, path = unit_placed or (federation, list(subject_unit.ancestry))
        require_subtree(ctx, home, path, "subject_code")  # I5: as if it did not exist
        if subject_unit.kind == "block":
            raise Invalid.on("subject_code", "an emulation block does not pledge; its units do")
        if unit_placed is None:
            raise Invalid.on(
                "subject_code", f"unit '{subject_unit.code}' was not in the tree on {pledged_on}"
            )
        name, unit_code, (home, path) = subject_unit.name, subject_unit.code, unit_placed
    if home != movement.federation:
        raise Invalid.on("subject_code", f"'{cmd.subject_code}' belonged to '{home}' on {pledged_on}")
    if movement.launched_by and movement.launched_by not in path:
        raise Invalid.on(
            "subject_code",
            f"'{cmd.subject_code}' is outside the subtree of '{movement.launched_by}' "
            "that launched the movement",
        )
    submitter = cmd.submitted_by or unit_code
    if submitter not in path:
        tree.unit(federation, submitter, "submitted_by")
        raise Invalid.on("submitted_by", f"unit '{submitter}' may only submit pledges for its own subtree")
    require_subtree(ctx, home, path[: path.index(submitter) + 1], "submitted_by")
    existing = tree.find(
        Pledge,
        Pledge.id_for(movement.federation, movement.code, cmd.subject_kind, cmd.subject_code, award.code),
    )
    if existing is not None:
        if existing.state in LIVE:
            raise Conflict(
                f"'{cmd.subject_code}' already pledged for '{award.code}' in "
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
        award=award.code,
        award_name=award.name,
        subject_kind=cmd.subject_kind,
        subject_code=cmd.subject_code,
        subject_name=name,
        unit=unit_code,
        unit_path=list(path),
        submitted_by=submitter,
        pledged_on=pledged_on,
        meta=ctx.meta,
    )


def pledge_of(tree: Tree, federation: str, pledge_id: str) -> Pledge:
    try:
        ident = UUID(pledge_id)
    except ValueError:
        raise NotFound(f"pledge '{pledge_id}' does not exist") from None
    pledge = tree.find(Pledge, ident)
    if pledge is None or pledge.federation not in tree.reachable(federation):
        raise NotFound(f"pledge '{pledge_id}' does not exist")
    return pledge


def transition_pledge(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    pledge_id: str,
    action: str,
    cmd: c.PledgeDecision,
) -> CommandResult:
    pledge = pledge_of(tree, federation, pledge_id)
    missing = NotFound(f"pledge '{pledge_id}' does not exist")
    require_subtree(ctx, federation, tuple(pledge.unit_path), "pledge", missing)
    ctx.check_version(pledge)
    pledge.belong_to(federation)
    on = tree.today()
    if action == "accept":
        pledge.accept(on, ctx.meta)
    elif action == "return":
        pledge.return_for_correction(cmd.reason or "", on, ctx.meta)
    elif action == "resubmit":
        pledge.resubmit(on, ctx.meta)
    elif action == "withdraw":
        pledge.withdraw(on, ctx.meta)
    else:  # pragma: no cover - the router offers only the four
        raise NotFound(f"no action '{action}'")
    return store.commit(ctx, [pledge], pledge.as_dict(), status=200, version=pledge.version)
