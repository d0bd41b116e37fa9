"""Tracking what a consumer has applied (I4): each event's id is recorded in the same transaction
as its effect, so a redelivered message has no second effect, and each source's position
advances with it. Shared by the live consumer and reporting's rebuild.

Also what a reader of a log does with an event it cannot store (a NUL stored by an old
deployment, which PostgreSQL's text and jsonb cannot hold): it applies the event again with
those characters replaced by U+FFFD (`storable`) and records the problem in `problems` (event,
service, aggregate, subject, which fields, what was done; never a value or SQL), so one event
never takes a reader down and /health tells. A correction event of the subject marks its
problems resolved (`resolve_problems`)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

Handler = Callable[[asyncpg.Connection, dict[str, Any]], Awaitable[None]]
# Applies fresh events in the given (delivery) order, with the result of `Handler` on each in turn.
BatchHandler = Callable[[asyncpg.Connection, Sequence[dict[str, Any]]], Awaitable[None]]

TRANSIENT = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.SerializationError,
    asyncpg.exceptions.DeadlockDetectedError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.AdminShutdownError,
)


class PoisonMessage(Exception):
    """The message can never be handled (malformed, unknown type): dead-letter it."""


# What the database refuses for a value an event holds (a NUL in text or jsonb, an unpaired
# surrogate, a value out of range); `storable` tells whether replacing characters can help.
UNSTORABLE = (asyncpg.exceptions.DataError, UnicodeError)
# What a log's own read model treats as a fault of the event, not of the database: it records
# the event as a problem and goes on (anything else is retried, as a database outage is).
EVENT_FAULTS = (
    *UNSTORABLE,
    asyncpg.exceptions.IntegrityConstraintViolationError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    RuntimeError,
)
REPLACEMENT = "\ufffd"
# PostgreSQL's text holds any character but NUL; UTF-8 cannot encode an unpaired surrogate.
_UNSTORABLE_CHAR = re.compile("[\x00\ud800-\udfff]")


def unstorable_fields(value: Any, where: str = "") -> list[str]:
    """Dotted paths of the strings (or keys) in `value` that hold a character no text column
    can store; [] if none."""
    if isinstance(value, str):
        return [where or "value"] if _UNSTORABLE_CHAR.search(value) else []
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and _UNSTORABLE_CHAR.search(key):
                out.append(f"{where}.<key>" if where else "<key>")
            out += unstorable_fields(item, path)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            out += unstorable_fields(item, f"{where}.{i}" if where else str(i))
    return out


def storable(value: Any) -> Any:
    """`value` (strings, dicts, lists, tuples) with NUL and unpaired surrogates replaced by
    U+FFFD; the same object when there is nothing to replace."""
    if not unstorable_fields(value):
        return value
    return _replaced(value)


def _replaced(value: Any) -> Any:
    if isinstance(value, str):
        return _UNSTORABLE_CHAR.sub(REPLACEMENT, value)
    if isinstance(value, dict):
        return {_replaced(k): _replaced(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_replaced(v) for v in value)
    return value


def storable_event(domain_event: Any) -> Any:
    """A copy of a domain event (an object of attributes) with its unstorable characters
    replaced; the event itself when it has none."""
    attrs = vars(domain_event)
    if not unstorable_fields(attrs):
        return domain_event
    clone = object.__new__(type(domain_event))
    clone.__dict__.update(_replaced(attrs))  # frozen: set past its __setattr__, as copy does
    return clone


@dataclass(frozen=True)
class Problem:
    """An event a reader could not store as it is."""

    event_id: str
    service: str  # whose log holds it
    event_type: str
    aggregate: str
    sequence: int | None
    federation: str | None
    subject_kind: str | None  # what the event is about: a correction of it resolves the problem
    subject_code: str | None
    problem: str  # what was wrong: field names and error classes, never values or SQL
    outcome: str  # "replaced": applied with U+FFFD in place; "skipped": not applied


def subject_of(event_name: str, data: dict[str, Any]) -> tuple[str | None, str | None]:
    """(kind, code) an event is about: its subject's, a member's or unit's own, the federation's."""
    kind, code = data.get("subject_kind"), data.get("subject_code")
    if isinstance(kind, str) and isinstance(code, str):
        return kind, code
    prefix = event_name.split("-")[0]
    if prefix in ("member", "unit") and isinstance(data.get("code"), str):
        return prefix, data["code"]
    if prefix == "federation" and isinstance(data.get("federation"), str):
        return "federation", data["federation"]
    return None, None


def what_went_wrong(exc: BaseException, fields: Sequence[str], outcome: str) -> str:
    """The problem as recorded: which fields and the error's class (its message may hold values)."""
    if fields and outcome == "replaced":
        return (
            f"{', '.join(fields[:10])}: a character the database cannot store (NUL or an unpaired "
            f"surrogate; {type(exc).__name__}); applied with U+FFFD in its place"
        )
    held = f" ({', '.join(fields[:10])} hold a character the database cannot store)" if fields else ""
    return f"could not be applied ({type(exc).__name__}){held}; the reader went on without it"


def envelope_problem(envelope: dict[str, Any], exc: BaseException, outcome: str) -> Problem:
    name = str(envelope.get("type", "")).split(".")
    data: dict[str, Any] = envelope["data"] if isinstance(envelope.get("data"), dict) else {}
    kind, code = subject_of(name[2] if len(name) > 2 else "", data)
    federation = data.get("federation") or envelope.get("federation")
    return Problem(
        event_id=str(envelope.get("id", "?")),
        service=name[1] if len(name) > 1 else str(envelope.get("source", "")),
        event_type=str(envelope.get("type", "")),
        aggregate=str(envelope.get("subject", "")),
        sequence=int(envelope["sequence"]) if str(envelope.get("sequence", "")).isdigit() else None,
        federation=federation if isinstance(federation, str) and federation else None,
        subject_kind=kind,
        subject_code=code,
        problem=what_went_wrong(exc, unstorable_fields(envelope), outcome),
        outcome=outcome,
    )


def domain_problem(
    service: str, sequence: int, domain_event: Any, exc: BaseException, outcome: str
) -> Problem:
    """The problem with a service's own stored event (its read models read domain events)."""
    from shared.messaging.contracts import event_id  # the id it is published with

    attrs = vars(domain_event)
    what = type(domain_event).__qualname__  # Member.Registered: about a member
    kind, code = subject_of(what.replace(".", "-").lower(), attrs)
    federation = attrs.get("federation")
    return Problem(
        event_id=str(event_id(domain_event.originator_id, domain_event.originator_version)),
        service=service,
        event_type=what,
        aggregate=str(domain_event.originator_id),
        sequence=sequence,
        federation=federation if isinstance(federation, str) else None,
        subject_kind=kind,
        subject_code=code,
        problem=what_went_wrong(exc, unstorable_fields(attrs), outcome),
        outcome=outcome,
    )


PROBLEMS_SQL = """
CREATE TABLE IF NOT EXISTS "{s}".problems (
    reader text NOT NULL, event_id text NOT NULL, service text NOT NULL, event_type text NOT NULL,
    aggregate text NOT NULL, sequence bigint, federation text, subject_kind text, subject_code text,
    problem text NOT NULL, outcome text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz, resolved_by text, PRIMARY KEY (reader, event_id));
CREATE INDEX IF NOT EXISTS problems_open ON "{s}".problems (subject_kind, subject_code)
    WHERE resolved_at IS NULL;
"""


async def ensure_problems_table(db: asyncpg.Pool | asyncpg.Connection, schema: str) -> None:
    await db.execute(PROBLEMS_SQL.format(s=schema))


async def record_problem(conn: asyncpg.Connection, schema: str, reader: str, p: Problem) -> None:
    await conn.execute(
        f'INSERT INTO "{schema}".problems (reader, event_id, service, event_type, aggregate, sequence, '
        "federation, subject_kind, subject_code, problem, outcome) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (reader, event_id) "
        "DO UPDATE SET problem = EXCLUDED.problem, outcome = EXCLUDED.outcome",
        *storable((
            reader, p.event_id, p.service, p.event_type, p.aggregate, p.sequence, p.federation,
            p.subject_kind, p.subject_code, p.problem, p.outcome,
        )),
    )  # fmt: skip


RESOLVE_SQL = (
    'UPDATE "{s}".problems SET resolved_at = now(), resolved_by = $5 WHERE resolved_at IS NULL '
    "AND (aggregate = $1 OR (subject_kind = $2 AND subject_code = $3 AND federation = ANY($4::text[])))"
)


def resolve_args(
    aggregate: str, kind: str, code: str, federations: Sequence[str], by_event: str
) -> tuple[Any, ...]:
    """The arguments of RESOLVE_SQL: the problems of an aggregate's own events, and of events
    about the same subject (a pledge naming the member) in one of `federations`."""
    return (aggregate, kind, code, list(dict.fromkeys(federations)), by_event)


async def problems_summary(db: asyncpg.Pool | asyncpg.Connection, schema: str) -> dict[str, Any] | None:
    """For /health: how many problems are open and resolved, and the dead letters; None when the
    service keeps neither table."""
    problems, dead = await db.fetchrow(
        "SELECT to_regclass($1) IS NOT NULL, to_regclass($2) IS NOT NULL",
        f'"{schema}".problems',
        f'"{schema}".dead_letters',
    )
    if not problems and not dead:
        return None
    out: dict[str, Any] = {"open": 0, "resolved": 0}
    if problems:
        row = await db.fetchrow(
            "SELECT count(*) FILTER (WHERE resolved_at IS NULL) AS open, "
            "count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved, "
            f'min(recorded_at) FILTER (WHERE resolved_at IS NULL) AS oldest FROM "{schema}".problems'
        )
        out["open"], out["resolved"] = int(row["open"]), int(row["resolved"])
        if row["oldest"] is not None:
            out["oldest_open"] = row["oldest"].isoformat()
    if dead:
        out["dead_letters"] = int(await db.fetchval(f'SELECT count(*) FROM "{schema}".dead_letters'))
    out["state"] = "attention" if out["open"] or out.get("dead_letters") else "ok"
    return out


async def ensure_tracking_tables(db: asyncpg.Pool | asyncpg.Connection, schema: str) -> None:
    await db.execute(
        f"""
        CREATE TABLE IF NOT EXISTS "{schema}".processed_events (
            consumer text NOT NULL, event_id uuid NOT NULL, source text NOT NULL,
            sequence bigint NOT NULL, processed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id));
        CREATE TABLE IF NOT EXISTS "{schema}".consumer_positions (
            consumer text NOT NULL, source text NOT NULL, sequence bigint NOT NULL,
            PRIMARY KEY (consumer, source));
        CREATE TABLE IF NOT EXISTS "{schema}".dead_letters (
            consumer text NOT NULL, event_id text NOT NULL, attempts int NOT NULL,
            error text NOT NULL, envelope text NOT NULL,
            failed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id));
        """
    )
    await ensure_problems_table(db, schema)


# Consumers of one schema hold this lock shared in every transaction; a read-model rebuild
# takes it exclusively to swap its fresh schema in without losing a concurrent write.
SCHEMA_LOCK = 0x7D4B7


async def apply_once(
    conn: asyncpg.Connection, schema: str, consumer: str, envelope: dict[str, Any], handle: Handler
) -> bool:
    """Apply one event inside the caller's transaction unless it was applied before."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", SCHEMA_LOCK)
    fresh = await conn.fetchval(
        f'INSERT INTO "{schema}".processed_events (consumer, event_id, source, sequence) '
        "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING true",
        consumer,
        envelope["id"],
        envelope["source"],
        int(envelope["sequence"]),
    )
    if not fresh:
        return False
    await handle(conn, envelope)
    await advance_positions(conn, schema, consumer, [envelope])
    return True


async def apply_batch(
    conn: asyncpg.Connection,
    schema: str,
    consumer: str,
    envelopes: Sequence[dict[str, Any]],
    handle: Handler,
    handle_batch: BatchHandler | None = None,
) -> list[bool]:
    """`apply_once` for many events inside the caller's transaction, with one lock, one tracking
    INSERT (which tells the fresh ones), one handler call and one position update per source.
    Returns, per envelope, whether it was applied now (a repeat within the batch is not)."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", SCHEMA_LOCK)
    sequences = [int(e["sequence"]) for e in envelopes]
    # The ids go as text and are cast by PostgreSQL (any spelling of a UUID is the same id);
    # what comes back is the position of the first delivery of each id that was not processed.
    rows = await conn.fetch(
        "WITH batch AS (SELECT * FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY "
        "AS b(event_id, source, sequence, i)), "
        f'fresh AS (INSERT INTO "{schema}".processed_events (consumer, event_id, source, sequence) '
        "SELECT $1, event_id::uuid, source, sequence FROM batch ORDER BY i "
        "ON CONFLICT DO NOTHING RETURNING event_id) "
        "SELECT min(b.i) FROM batch b JOIN fresh f ON f.event_id = b.event_id::uuid GROUP BY f.event_id",
        consumer,
        [str(e["id"]) for e in envelopes],
        [e["source"] for e in envelopes],
        sequences,
    )
    fresh = [False] * len(envelopes)
    for r in rows:
        fresh[r[0] - 1] = True
    applied = [e for e, f in zip(envelopes, fresh, strict=True) if f]
    if not applied:
        return fresh
    if handle_batch is not None:
        await handle_batch(conn, applied)
    else:
        for envelope in applied:
            await handle(conn, envelope)
    await advance_positions(conn, schema, consumer, applied)
    return fresh


async def advance_positions(
    conn: asyncpg.Connection, schema: str, consumer: str, applied: Sequence[dict[str, Any]]
) -> None:
    """Each source's position moves up to the highest sequence among `applied` (never down)."""
    heads: dict[str, int] = {}
    for envelope in applied:
        sequence = int(envelope["sequence"])
        if sequence > heads.get(envelope["source"], -1):
            heads[envelope["source"]] = sequence
    await conn.execute(
        f'INSERT INTO "{schema}".consumer_positions (consumer, source, sequence) '
        "SELECT $1, * FROM unnest($2::text[], $3::bigint[]) ON CONFLICT (consumer, source) DO UPDATE "
        f'SET sequence = GREATEST(EXCLUDED.sequence, "{schema}".consumer_positions.sequence)',
        consumer,
        list(heads),
        list(heads.values()),
    )


async def apply_recovering(
    conn: asyncpg.Connection,
    schema: str,
    consumer: str,
    envelope: dict[str, Any],
    handle: Handler,
    handle_batch: BatchHandler | None = None,
) -> bool:
    """`apply_batch` of one event inside the caller's transaction; if the database cannot store a
    value it holds, the event is applied again with those characters replaced (`storable`) and
    the problem recorded, instead of failing (the slow path: a batch that fails goes one by one
    through here)."""
    try:
        async with conn.transaction():  # a savepoint
            [fresh] = await apply_batch(conn, schema, consumer, [envelope], handle, handle_batch)
            return fresh
    except UNSTORABLE as exc:
        cleaned = storable(envelope)
        if cleaned is envelope:
            raise
        failure = exc
    async with conn.transaction():
        [fresh] = await apply_batch(conn, schema, consumer, [cleaned], handle, handle_batch)
        if fresh:
            await record_problem(conn, schema, consumer, envelope_problem(envelope, failure, "replaced"))
    return fresh


async def apply_batch_recovering(
    conn: asyncpg.Connection,
    schema: str,
    consumer: str,
    envelopes: Sequence[dict[str, Any]],
    handle: Handler,
    handle_batch: BatchHandler | None = None,
) -> list[bool]:
    """`apply_batch`, and one by one through `apply_recovering` when it meets a value the
    database cannot store."""
    try:
        async with conn.transaction():
            return await apply_batch(conn, schema, consumer, envelopes, handle, handle_batch)
    except UNSTORABLE:
        pass
    return [await apply_recovering(conn, schema, consumer, e, handle, handle_batch) for e in envelopes]
