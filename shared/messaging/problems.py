"""The problems of a reader of a log: an event it could not store as it is, recorded in
`problems` (event, service, aggregate, subject, which fields, what was done; never a value or
SQL), so /health tells (`problems_summary`). A correction event of the subject marks its
problems resolved (`RESOLVE_SQL` with `resolve_args`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from shared.messaging.storable import storable, unstorable_fields


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
