"""Single pledges: one by one, or the pledges of concurrent requests checked together and stored
in one transaction (shared.store.group_commit); a pledge's state changes. The rules a pledge is checked
against are in pledge_rules.py; lists of pledges in bulk.py."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from services.registration.application import commands as c
from services.registration.application.pledge_rules import prepare_pledge
from services.registration.application.reads import Reads, memoised
from services.registration.application.scope import require_subtree
from services.registration.application.tree import Tree
from services.registration.domain.members import Member
from services.registration.domain.movements import Movement
from services.registration.domain.organisation import Federation, Unit
from services.registration.domain.pledges import Pledge
from shared.kernel.errors import NotFound
from shared.store.eventstore import CommandResult, Context, IdempotencyRecord, ServiceApplication


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
