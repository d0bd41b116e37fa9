"""Bulk pledges (`pledges:batch`): every row checked and reported; the good ones stored in one
transaction (the recorder writes a large save with COPY), never one commit per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from eventsourcing.domain import Aggregate
from pydantic import ValidationError

from services.registration.adapters.pledge_sheet import MAX_ROWS, column_of, message_of
from services.registration.application import commands as c
from services.registration.application import pledge_list_people as people
from services.registration.application.placement_guards import placed_in
from services.registration.application.pledge_rules import prepare_pledge
from services.registration.application.reads import Reads, memoised
from services.registration.application.tree import Tree
from services.registration.domain.members import Member
from services.registration.domain.movements import Movement
from services.registration.domain.organisation import Unit
from services.registration.domain.pledges import Pledge
from shared.kernel.errors import Conflict, DomainError, FieldError, Invalid
from shared.kernel.text import fold
from shared.ops.gc_pause import collector_paused
from shared.store.audit.guards import GuardFailed
from shared.store.eventstore import CommandResult, Context, ServiceApplication

Mode = Literal["all-or-nothing", "keep-good-rows"]


@dataclass
class CellError(FieldError):
    column: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "column": self.column}


def _cell(row: int, field: str, message: str) -> CellError:
    return CellError(field, message, row, column_of(field))


class BatchRefused(Invalid):
    title = "Rows refused"
    slug = "rows-refused"


def register_pledges(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    rows: list[tuple[int, dict[str, Any]]],
    mode: Mode,
    new_members: bool = False,
) -> CommandResult:
    """`new_members`: a row naming a person not yet a member registers them first
    (application.pledge_list_people); else such a row is refused."""
    with collector_paused():
        return _register_pledges(tree, store, ctx, federation, rows, mode, new_members)


def _register_pledges(
    tree: Tree,
    store: ServiceApplication,
    ctx: Context,
    federation: str,
    rows: list[tuple[int, dict[str, Any]]],
    mode: Mode,
    new_members: bool,
) -> CommandResult:
    if not rows:
        raise Invalid.on("body", "the list has no rows")
    if len(rows) > MAX_ROWS:
        raise Invalid.on("body", f"a list holds at most {MAX_ROWS} rows; this one has {len(rows)}")
    tree.federation(federation)
    results: list[dict[str, Any]] = []
    good: list[tuple[int, Aggregate]] = []
    errors: list[FieldError] = []
    seen: dict[tuple[str | None, ...], int] = {}
    # The list reads the tree, never changes it: placements are kept for the whole list.
    with memoised(Reads(placed={})):
        _prefetch(tree, federation, rows)
        for number, raw in rows:
            row_errors = _check_row(tree, ctx, federation, number, raw, seen, good, results, new_members)
            errors.extend(row_errors)
    if mode == "all-or-nothing" and errors:
        raise BatchRefused(f"{len(errors)} problem(s) in {len(rows)} rows; nothing was stored", errors)
    if not good:
        raise BatchRefused(f"none of the {len(rows)} rows can be stored; nothing was stored", errors)
    registered = sum(isinstance(a, Member) for _, a in good)
    body = {
        "mode": mode,
        "rows": len(rows),
        "accepted": len(good) - registered,
        "rejected": len(rows) - len(good) + registered,
        "members_registered": registered,
        "results": sorted(results, key=lambda r: r["row"]),
    }
    # Every row was checked first, so only a concurrent writer can make the save fail; the list
    # is stored in one transaction (with its idempotency record), so then nothing is stored.
    try:
        placed = placed_in(tree, federation, [a for _, a in good if isinstance(a, Member)])
        return store.commit(ctx, [p for _, p in good], body, guards=placed)
    except GuardFailed:
        raise  # its own reason: a unit ended meanwhile
    except Conflict:
        raise Conflict(
            "some of these pledges were registered concurrently; nothing was stored; "
            "send the list again with mode=keep-good-rows"
        ) from None


def _prefetch(tree: Tree, federation: str, rows: list[tuple[int, dict[str, Any]]]) -> None:
    """Read the rows' subjects and existing pledges in a few queries, not a few per row."""
    homes = tree.reachable(federation)
    movements = {}
    for code in {str(raw.get("movement", "")).strip().lower() for _, raw in rows}:
        movements[code] = tree.resolve(Movement, federation, code)
    ids = []
    for _, raw in rows:
        kind = str(raw.get("subject_kind", ""))
        code = str(raw.get("subject_code", "")).strip().lower()
        cls: type[Member] | type[Unit] = Member if kind == "member" else Unit
        ids += [cls.id_for(home, code) for home in homes]
        movement = movements.get(str(raw.get("movement", "")).strip().lower())
        if movement is not None:
            given = raw.get("award")
            award = str(given).strip().lower() if given else None  # none: a participation pledge
            ids.append(Pledge.id_for(movement.federation, movement.code, kind, code, award))
    for start in range(0, len(ids), 5000):
        tree.prefetch(ids[start : start + 5000])
    # Then the units the subjects sit in, and the units above those: two more queries, not
    # one per unit as the checks would read them.
    units: set[UUID] = set()
    for _, raw in rows:
        code = str(raw.get("subject_code", "")).strip().lower()
        try:
            if raw.get("subject_kind") == "member":
                codes = [p["unit"] for p in tree.member_facts(federation, code).placements]
            else:
                codes = list(tree.unit(federation, code).ancestry)
            units.update(Unit.id_for(home, c) for c in codes for home in homes)
        except Exception:
            continue  # a guess: the row's own check reads it again, and reports or raises
    tree.prefetch(list(units))
    above: set[UUID] = set()
    for ident in units:
        unit = tree.find(Unit, ident)
        if unit is not None:
            codes = [*unit.ancestry, *([unit.successor] if unit.successor else [])]
            above.update(Unit.id_for(home, c) for c in codes for home in homes)
    tree.prefetch(list(above))


def _check_row(
    tree: Tree,
    ctx: Context,
    federation: str,
    number: int,
    raw: dict[str, Any],
    seen: dict[tuple[str | None, ...], int],
    good: list[tuple[int, Aggregate]],
    results: list[dict[str, Any]],
    new_members: bool = False,
) -> list[FieldError]:
    fields = dict(raw)
    name = fields.pop("subject_name", None)
    person = people.person_fields(fields)
    errors: list[FieldError] = []
    created: Member | None = None
    try:
        cmd = c.RegisterPledge.model_validate(fields)
        key = (cmd.movement, cmd.subject_kind, cmd.subject_code, cmd.award)
        if key in seen:
            raise Invalid.on("subject_code", f"the same pledge is already in row {seen[key]}")
        if new_members and cmd.subject_kind == "member":
            created = people.register_if_new(tree, ctx, federation, cmd.subject_code, name, person)
        pledge = prepare_pledge(tree, ctx, federation, cmd)
        if (
            name is not None
            and name != pledge.subject_name  # the usual case; folding costs a few µs a row
            and fold(str(name)) != fold(pledge.subject_name)
        ):
            raise Invalid.on("subject_name", f"'{cmd.subject_code}' is registered as '{pledge.subject_name}'")
        seen[key] = number
    except ValidationError as exc:
        for e in exc.errors():
            field = ".".join(str(p) for p in e["loc"]) or "row"
            errors.append(_cell(number, field, message_of(e)))
    except DomainError as exc:
        details = exc.errors or [FieldError("row", exc.detail)]
        errors.extend(
            _cell(number, e.field, e.message if e.message != "duplicate pledge" else exc.detail)
            for e in details
        )
    if errors:
        if created is not None:
            people.forget(federation, created)
        results.append({"row": number, "status": "rejected", "errors": [e.as_dict() for e in errors]})
    else:
        result = {"row": number, "status": "accepted", "pledge": str(pledge.id)}
        if created is not None:
            result["member"] = "registered"
            good.append((number, created))  # before its pledge: the read model places the pledge in it
        results.append(result)
        good.append((number, pledge))
    return errors
