"""How each of awards' own events changes its lists (adapters/index.py applies them in the
order of the log): a table, `HANDLERS`, from the event's class to a handler. Every write is an
upsert guarded by the event's sequence, so two processes applying the same events converge."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import asyncpg

from services.awards.adapters.index_tables import (
    COUNCIL_COLUMNS,
    DECISION_COLUMNS,
    GRANT_COLUMNS,
    NOMINATION_COLUMNS,
)
from shared.kernel import periods

Handler = Callable[[asyncpg.Connection, str, Any, int], Awaitable[None]]


def _update(s: str, table: str, key: str, change: str) -> str:
    """An UPDATE of the row keyed $1 by an event of sequence $2; a row that already holds a later
    event is left as it is."""
    t = f'"{s}".{table}'
    return f"UPDATE {t} SET {change}, sequence = $2 WHERE {key} = $1 AND {t}.sequence < $2"


def _nomination_update(s: str, change: str) -> str:
    return _update(s, "nomination_index", "nomination", change)


def _grant_update(s: str, change: str) -> str:
    return _update(s, "grant_index", "grant_id", change)


async def nomination_submitted(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f'INSERT INTO "{s}".nomination_index ({NOMINATION_COLUMNS}, sequence) VALUES '
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'submitted', NULL, NULL, $3) "
        "ON CONFLICT (nomination) DO NOTHING",
        e.originator_id, e.federation, seq, e.subject_kind, e.subject_code, e.subject_name,
        e.unit, e.unit_path, e.award, e.year, e.eligible, e.upward,
    )  # fmt: skip


async def nomination_withdrawn(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(_nomination_update(s, "state = 'withdrawn'"), e.originator_id, seq)


async def nomination_forwarded(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(_nomination_update(s, "forwarded_to = $3"), e.originator_id, seq, e.to)


async def nomination_resolved(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(_nomination_update(s, "passed = $3"), e.originator_id, seq, bool(e.result["passed"]))


async def award_granted(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    # A row listed before grants carried their decision gains it when the log is tailed again.
    await conn.execute(
        f'INSERT INTO "{s}".grant_index ({GRANT_COLUMNS}, sequence) VALUES '
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, $15, $16, $3) "
        "ON CONFLICT (grant_id) DO UPDATE SET decision = EXCLUDED.decision "
        f'WHERE "{s}".grant_index.decision IS NULL',
        e.originator_id, e.federation, seq, e.subject_kind, e.subject_code, e.subject_name,
        e.unit, e.unit_path, e.award, e.level, e.year, e.decision_number, e.source,
        getattr(e, "nomination", None), _decision_key(getattr(e, "decision_id", None)),
        periods.of(getattr(e, "period", None), e.year).key,
    )  # fmt: skip


def _decision_key(value: str | None) -> UUID | None:
    """The grant's decision as the list keys it. Grants record their decision's id (a UUID); a
    stored grant whose id is anything else (an older deployment's) is still listed, without the
    link to its decision, rather than skipped."""
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


async def award_revoked(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(_grant_update(s, "revoked_on = $3"), e.originator_id, seq, e.revoked_on)


async def grant_cancelled(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(_grant_update(s, "cancelled_on = $3"), e.originator_id, seq, e.cancelled_on)


async def grant_corrected(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(_grant_update(s, "subject_name = $3"), e.originator_id, seq, e.subject_name)


async def decision_cancelled(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    sql = _update(s, "decision_index", "decision", "cancelled_on = $3")
    await conn.execute(sql, e.originator_id, seq, e.cancelled_on)


async def council_convened(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f'INSERT INTO "{s}".council_index ({COUNCIL_COLUMNS}, resolved, sequence) VALUES '
        "($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, false, $3) ON CONFLICT (council) DO NOTHING",
        e.originator_id, e.federation, seq, e.code, e.name, e.year, e.meets_on, e.secret_ballot,
        json.dumps(e.members), [a["nomination"] for a in e.agenda],
    )  # fmt: skip


async def council_resolved(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(_update(s, "council_index", "council", "resolved = true"), e.originator_id, seq)


async def decision_issued(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f'INSERT INTO "{s}".decision_index ({DECISION_COLUMNS}, sequence) VALUES '
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $3) ON CONFLICT (decision) DO NOTHING",
        e.originator_id, e.federation, seq, e.authority, e.number, e.signed_on, e.signer, e.year,
        e.title or "",
    )  # fmt: skip


HANDLERS: dict[str, Handler] = {
    "Nomination.Submitted": nomination_submitted,
    "Nomination.Withdrawn": nomination_withdrawn,
    "Nomination.Forwarded": nomination_forwarded,
    "Nomination.Resolved": nomination_resolved,
    "Grant.Granted": award_granted,
    "Grant.Revoked": award_revoked,
    "Grant.Cancelled": grant_cancelled,
    "Grant.Corrected": grant_corrected,
    "Decision.Cancelled": decision_cancelled,
    "Council.Convened": council_convened,
    "Council.Resolved": council_resolved,
    "Decision.Issued": decision_issued,
}
