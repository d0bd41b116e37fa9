"""Checking a service's log against its chain (`verify`, with an optional anchored head), and
sealing a log stored before it had a chain (`seal_backlog`): the operator's `tdkt verify` and
`tdkt seal`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from shared.store.audit.chain import GENESIS, chain_rows, chain_table, link_hash


def events_table(database_url: str, schema: str) -> str:
    """The sealed event log of a service's schema: the table that has a chain beside it."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_name LIKE %s",
            (schema, "%\\_events\\_chain"),
        ).fetchall()
    if len(rows) != 1:
        raise LookupError(f"schema {schema!r} holds {len(rows)} sealed event logs, expected one")
    return str(rows[0][0]).removesuffix("_chain")


def _ident(schema: str, events_table: str) -> dict[str, sql.Composable]:
    return {
        "schema": sql.Identifier(schema),
        "events": sql.Identifier(events_table),
        "chain": sql.Identifier(chain_table(events_table)),
    }


def seal_backlog(database_url: str, schema: str, events_table: str) -> int:
    """Seal a log stored before it had a chain (an upgrade). Refused once the chain has links:
    later unsealed rows did not come through the recorder and must stay visible to verify."""
    ident = _ident(schema, events_table)
    with psycopg.connect(database_url) as conn, conn.transaction():
        conn.execute(sql.SQL("LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE").format(**ident))
        if conn.execute(sql.SQL("SELECT 1 FROM {schema}.{chain} LIMIT 1").format(**ident)).fetchone():
            raise ValueError("the chain already has links; only a log without a chain can be sealed")
        rows = conn.execute(
            sql.SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state "
                "FROM {schema}.{events} ORDER BY notification_id"
            ).format(**ident)
        ).fetchall()
        links = chain_rows(0, GENESIS, rows)
        conn.execute(
            sql.SQL(
                "INSERT INTO {schema}.{chain} (notification_id, prev_id, hash) "
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bytea[])"
            ).format(**ident),
            links,
        )
    return len(rows)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    head_id: int
    head_hash: str
    broken_at: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"ok: {self.checked} events verified; head {self.head_id}:{self.head_hash}"
        return f"TAMPERED at event {self.broken_at}: {self.reason} ({self.checked} events verified before it)"


def verify(
    database_url: str, schema: str, events_table: str, anchor: tuple[int, str] | None = None
) -> Verdict:
    """Recompute the chain over the whole log in one snapshot; stop at the first mismatch."""
    query = sql.SQL(
        "SELECT coalesce(e.notification_id, c.notification_id) AS id, "
        "e.notification_id IS NOT NULL AS stored, c.notification_id IS NOT NULL AS sealed, "
        "e.originator_id, e.originator_version, e.topic, e.state, c.prev_id, c.hash "
        "FROM {schema}.{events} e FULL OUTER JOIN {schema}.{chain} c "
        "ON c.notification_id = e.notification_id ORDER BY 1"
    ).format(**_ident(schema, events_table))
    checked, last_id, prev = 0, 0, GENESIS
    anchored = anchor is None
    with psycopg.connect(database_url) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with conn.cursor(name="tdkt_verify") as cur:
            cur.itersize = 2000
            cur.execute(query)
            for row in cur:
                nid = row[0]
                problem = _check(row, last_id, prev)
                if isinstance(problem, tuple):
                    return Verdict(False, checked, last_id, prev.hex(), problem[0], problem[1])
                prev, last_id, checked = problem, nid, checked + 1
                if anchor is not None and nid == anchor[0]:
                    if prev.hex() != anchor[1].lower():
                        reason = "the log up to the anchored head was rewritten"
                        return Verdict(False, checked, last_id, prev.hex(), nid, reason)
                    anchored = True
    if not anchored:
        assert anchor is not None
        reason = "the anchored head is no longer in the log"
        return Verdict(False, checked, last_id, prev.hex(), anchor[0], reason)
    return Verdict(True, checked, last_id, prev.hex())


def _check(row: tuple[Any, ...], last_id: int, prev: bytes) -> bytes | tuple[int, str]:
    """The row's recomputed link, or where and why the chain breaks at it."""
    nid, stored, sealed, oid, version, topic, state, prev_id, stored_hash = row
    if not sealed:
        return nid, "the event is not in the chain: inserted or renumbered outside the recorder"
    if not stored:
        return nid, "the event is missing: its row was deleted or renumbered"
    if prev_id != last_id:
        if prev_id > last_id:
            return prev_id, "the event is missing together with its link"
        return nid, "its chain link was altered"
    expected = link_hash(prev, nid, oid, version, topic, state)
    if bytes(stored_hash) != expected:
        return nid, (
            f"the stored event (aggregate {oid} version {version}) does not match its seal: "
            "its bytes or its position changed"
        )
    return expected
