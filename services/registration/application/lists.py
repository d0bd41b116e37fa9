"""Bulk lists of units, members, initiatives, works and targets (`{kind}:batch`): each row runs
the single command's own use case (or, for initiatives, works and targets, its rules:
application.activity_rules) against a staging store that keeps its aggregates instead of saving
them; the good rows are then stored in one transaction (the recorder writes a large save with
COPY), never one commit per row. A later row sees the earlier good rows (a unit under a unit of
the same list; a code used twice is refused)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from pydantic import ValidationError

from services.registration.adapters import list_sheets
from services.registration.adapters.pledge_sheet import message_of
from services.registration.application.bulk import BatchRefused, CellError, Mode
from services.registration.application.list_kinds import KINDS, ListKind
from services.registration.application.placement_guards import placed_in
from services.registration.application.reads import Reads, memoised
from services.registration.application.tree import Tree
from services.registration.domain.members import Member
from services.registration.domain.organisation import Unit
from shared.kernel.errors import Conflict, DomainError, FieldError, Invalid
from shared.ops.gc_pause import collector_paused
from shared.store.audit.guards import GuardFailed
from shared.store.eventstore import CommandResult, Context, ServiceApplication


class Staging:
    """The store a row's use case commits to: its aggregates are kept, and made visible to the
    rows after it through the list's reads; `undo` takes a refused row's new ones back. `today`:
    the list's date, the same for all its rows."""

    def __init__(self, reads: Reads, today: date) -> None:
        self.reads = reads
        self.today = today
        self.kept: dict[UUID, Aggregate] = {}
        self._row: list[tuple[UUID, Aggregate | None, bool]] = []

    def start_row(self) -> None:
        self._row = []

    def commit(
        self,
        ctx: Context,
        aggregates: Sequence[Aggregate],
        body: Any,
        *,
        status: int = 201,
        version: int | None = None,
    ) -> CommandResult:
        """A use case's commit: its answer is not the list's, so `body` is left as it is."""
        self.keep(*aggregates)
        return CommandResult(status, body, version)

    def keep(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self._row.append(
                (aggregate.id, self.reads.aggregates.get(aggregate.id), aggregate.id in self.kept)
            )
            self.reads.aggregates[aggregate.id] = aggregate
            self.kept[aggregate.id] = aggregate

    def undo(self) -> None:
        # Only a row's new aggregates are taken back: no use case changes a stored aggregate
        # before its last check (a target's assignment is its last step).
        for ident, before, was_kept in reversed(self._row):
            if before is None:
                self.reads.aggregates.pop(ident, None)
            else:
                self.reads.aggregates[ident] = before
            if not was_kept:
                self.kept.pop(ident, None)
        self._row = []


def register_list(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    kind: str,
    rows: list[tuple[int, dict[str, Any]]],
    mode: Mode,
) -> CommandResult:
    with collector_paused():
        return _register_list(tree, store, ctx, federation, KINDS[kind], rows, mode)


def _register_list(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    kind: ListKind,
    rows: list[tuple[int, dict[str, Any]]],
    mode: Mode,
) -> CommandResult:
    if not rows:
        raise Invalid.on("body", "the list has no rows")
    if len(rows) > list_sheets.MAX_ROWS:
        raise Invalid.on(
            "body", f"a list holds at most {list_sheets.MAX_ROWS} rows; this one has {len(rows)}"
        )
    # The rows' use cases read only: the reasons and versions are the list's, never a row's.
    row_ctx = Context(
        actor=ctx.actor,
        scope=ctx.scope,
        request_id=ctx.request_id,
        correlation_id=ctx.correlation_id,
        causation_id=ctx.causation_id,
        assignment=ctx.assignment,
    )
    results: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    seen: dict[tuple[Any, ...], int] = {}
    # No kind of list moves a unit or a member: placements and homes are kept for the whole list.
    # Nor does one change a federation or a unit it reads (a units list adds new ones only): those
    # are rebuilt once per version and shared between lists.
    with memoised(Reads(placed={}, read_only_kept=True)) as reads:
        tree.federation(federation)
        staging = Staging(reads, tree.today())
        _prefetch(tree, federation, kind, rows)
        for number, raw in rows:
            row_errors, answer = _run_row(tree, staging, row_ctx, federation, kind, number, raw, seen)
            errors.extend(row_errors)
            if row_errors:
                results.append(
                    {"row": number, "status": "rejected", "errors": [e.as_dict() for e in row_errors]}
                )
            else:
                results.append({"row": number, "status": "accepted", kind.singular: answer})
        good = list(staging.kept.values())
    if mode == "all-or-nothing" and errors:
        raise BatchRefused(f"{len(errors)} problem(s) in {len(rows)} rows; nothing was stored", errors)
    if not good:
        raise BatchRefused(f"none of the {len(rows)} rows can be stored; nothing was stored", errors)
    accepted = sum(1 for r in results if r["status"] == "accepted")
    body: dict[str, Any] = {"mode": mode, "rows": len(rows), "accepted": accepted}
    body |= {"rejected": len(rows) - accepted, "results": results}
    try:
        return store.commit(ctx, good, body, guards=placed_in(tree, federation, good))
    except GuardFailed:
        raise  # its own reason: a unit ended meanwhile
    except Conflict:
        raise Conflict(
            f"some of these {kind.name} were registered concurrently; nothing was stored; "
            "send the list again with mode=keep-good-rows"
        ) from None


def _run_row(
    tree: Tree,
    staging: Staging,
    ctx: Context,
    federation: str,
    kind: ListKind,
    number: int,
    raw: dict[str, Any],
    seen: dict[tuple[Any, ...], int],
) -> tuple[list[FieldError], Any]:
    staging.start_row()
    try:
        cmd = kind.command.model_validate(raw)
        key = kind.key(cmd)
        if key in seen:
            raise Invalid.on(kind.key_field, f"the same {kind.singular} is already in row {seen[key]}")
        answer = kind.run(tree, staging, ctx, federation, cmd)
        seen[key] = number
        return [], answer
    except ValidationError as exc:
        staging.undo()
        return [_cell(kind, number, _field(e), message_of(e)) for e in exc.errors()], None
    except DomainError as exc:
        staging.undo()
        details = exc.errors or [FieldError("row", exc.detail)]
        return [_cell(kind, number, e.field, e.message) for e in details], None


def _field(error: Any) -> str:
    return ".".join(str(p) for p in error["loc"]) or "row"


def _cell(kind: ListKind, row: int, field: str, message: str) -> CellError:
    return CellError(field, message, row, list_sheets.column_of(kind.name, field))


def _prefetch(tree: Tree, federation: str, kind: ListKind, rows: list[tuple[int, dict[str, Any]]]) -> None:
    """Read the rows' own keys and the units and members they name, then the units the members
    sat in (their facts folded, not rebuilt), then the units above: a few queries, not a few per
    row."""
    homes = tree.reachable(federation)
    own: list[UUID] = []
    units: set[str] = set()
    members: set[str] = set()
    for _, raw in rows:
        named = kind.named(homes, raw)
        own += named.own
        units.update(named.units)
        members.update(named.members)
    units.discard("")
    members.discard("")
    ids = own + [Unit.id_for(home, code) for code in units for home in homes]
    _in_chunks(tree, ids + [Member.id_for(home, code) for code in members for home in homes])
    placed: set[str] = set()  # the units the members sat in
    for code in members:
        try:
            placed.update(str(p["unit"]) for p in tree.member_facts(federation, code).placements)
        except DomainError:
            continue  # a guess: the row's own check reads it again, and reports it
    _in_chunks(tree, [Unit.id_for(home, code) for code in placed - units for home in homes])
    above: set[str] = set()
    for code in units | placed:
        unit = tree.resolve(Unit, federation, code)
        if unit is not None:
            above.update([*unit.ancestry, *([unit.successor] if unit.successor else [])])
    _in_chunks(tree, [Unit.id_for(home, code) for code in above - units - placed for home in homes])


def _in_chunks(tree: Tree, ids: list[UUID]) -> None:
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 5000):
        tree.prefetch(unique[start : start + 5000])
