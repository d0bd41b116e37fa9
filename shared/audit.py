"""Tamper evidence: a hash chain over each service's event log.

Every stored event gets a link in `<events table>_chain`:
    hash = sha256(prev_hash || notification_id || originator_id || version || topic || state)
(fields length-prefixed, the first prev_hash is 32 zero bytes), written by `ChainedRecorder` in
the same transaction as the event, while the recorder holds its EXCLUSIVE lock on the events
table — so links are appended in notification order and no two writers read the same last link.

`verify` recomputes the chain and names the first event whose stored bytes, position or presence
no longer match. It proves the log is the one that was sealed, up to its head; it cannot tell a
consistent rewrite of log and chain (or a truncated tail) from the original unless the head
hash was recorded elsewhere — pass it back as `anchor` to check (README, "Tamper evidence")."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
import psycopg.rows
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import sql

GENESIS = bytes(32)
TOPIC = "shared.audit:ChainedRecorder"  # eventsourcing's APPLICATION_RECORDER_TOPIC


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def link_hash(
    prev: bytes, notification_id: int, originator_id: Any, version: int, topic: str, state: bytes
) -> bytes:
    h = hashlib.sha256(prev)
    h.update(notification_id.to_bytes(8, "big", signed=True))
    h.update(_field(str(originator_id).encode()))
    h.update(version.to_bytes(8, "big", signed=True))
    h.update(_field(topic.encode()))
    h.update(_field(bytes(state)))
    return h.digest()


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


def chain_table(events_table: str) -> str:
    return f"{events_table}_chain"


class ChainedRecorder(PostgresApplicationRecorder):
    """The library's recorder, sealing each inserted event into the chain before commit."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        if datastore.enable_db_functions:
            # The insert function bypasses both the table lock and this sealing.
            raise ValueError("ChainedRecorder needs POSTGRES_ENABLE_DB_FUNCTIONS off")
        self.chain_table_name = chain_table(events_table_name)
        self.check_identifier_length(self.chain_table_name)
        ident = {
            "schema": sql.Identifier(datastore.schema),
            "events": sql.Identifier(events_table_name),
            "chain": sql.Identifier(self.chain_table_name),
        }
        self.sql_create_statements.append(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{chain} ("
                "notification_id bigint PRIMARY KEY, prev_id bigint NOT NULL, hash bytea NOT NULL)"
            ).format(**ident)
        )
        self.sql_create_statements.extend(
            _append_only(datastore.schema, events_table_name, self.chain_table_name)
        )
        self._last_link = sql.SQL(
            "SELECT notification_id, hash FROM {schema}.{chain} ORDER BY notification_id DESC LIMIT 1"
        ).format(**ident)
        self._insert_links = sql.SQL(
            "INSERT INTO {schema}.{chain} (notification_id, prev_id, hash) "
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bytea[])"
        ).format(**ident)

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if ids:
            # Still under the EXCLUSIVE table lock taken by _insert_stored_events. The links are
            # computed from the rows just inserted (the ids come back in insert order), so a
            # large save sends no stored bytes back; only this transaction's rows are sealed, and
            # a row that reached the table some other way (a forgery, or a log older than its
            # chain, see seal_backlog) stays unsealed and verify names it.
            curs.execute(self._last_link)
            last = curs.fetchone()
            rows = sorted(
                (
                    {
                        "notification_id": nid,
                        "originator_id": e.originator_id,
                        "originator_version": e.originator_version,
                        "topic": e.topic,
                        "state": e.state,
                    }
                    for nid, e in zip(ids, stored_events, strict=True)
                ),
                key=lambda row: row["notification_id"],
            )
            curs.execute(self._insert_links, chain_rows(last, rows))
        return ids


def chain_rows(last: Any, rows: Sequence[Any]) -> tuple[list[int], list[int], list[bytes]]:
    """The links of `rows` (in notification order) after the last link (None: the first)."""
    prev_id, prev = (last["notification_id"], bytes(last["hash"])) if last else (0, GENESIS)
    ids: list[int] = []
    prevs: list[int] = []
    hashes: list[bytes] = []
    for row in rows:
        nid = row["notification_id"]
        prev = link_hash(
            prev, nid, row["originator_id"], row["originator_version"], row["topic"], row["state"]
        )
        ids.append(nid)
        prevs.append(prev_id)
        hashes.append(prev)
        prev_id = nid
    return ids, prevs, hashes


def seal_backlog(database_url: str, schema: str, events_table: str) -> int:
    """Seal a log stored before it had a chain (an upgrade). Refused once the chain has links:
    later unsealed rows did not come through the recorder and must stay visible to verify."""
    ident = {
        "schema": sql.Identifier(schema),
        "events": sql.Identifier(events_table),
        "chain": sql.Identifier(chain_table(events_table)),
    }
    with psycopg.connect(database_url, row_factory=psycopg.rows.dict_row) as conn, conn.transaction():
        conn.execute(sql.SQL("LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE").format(**ident))
        if conn.execute(sql.SQL("SELECT 1 FROM {schema}.{chain} LIMIT 1").format(**ident)).fetchone():
            raise ValueError("the chain already has links; only a log without a chain can be sealed")
        rows = conn.execute(
            sql.SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state "
                "FROM {schema}.{events} ORDER BY notification_id"
            ).format(**ident)
        ).fetchall()
        links = chain_rows(None, rows)
        conn.execute(
            sql.SQL(
                "INSERT INTO {schema}.{chain} (notification_id, prev_id, hash) "
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bytea[])"
            ).format(**ident),
            links,
        )
    return len(rows)


def _append_only(schema: str, *tables: str) -> list[sql.Composed]:
    """Triggers refusing UPDATE, DELETE and TRUNCATE: a slip or a bug cannot change the history.
    (Whoever may disable triggers may also rewrite the log; that is what the chain is for.)

    Created once, tolerating a race with another process starting at the same time."""
    function = sql.Identifier(schema, "tdkt_append_only")
    statements = [
        sql.SQL(
            "DO $do$ BEGIN IF to_regproc({name}) IS NULL THEN "
            "CREATE FUNCTION {f}() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
            "RAISE EXCEPTION 'the event log is append-only: % on % refused', TG_OP, TG_TABLE_NAME; END $f$; "
            "END IF; EXCEPTION WHEN duplicate_function OR unique_violation THEN NULL; END $do$"
        ).format(f=function, name=sql.Literal(f'"{schema}".tdkt_append_only'))
    ]
    for table in tables:
        for suffix, when in (
            ("rows", "UPDATE OR DELETE ON {t} FOR EACH ROW"),
            ("truncate", "TRUNCATE ON {t}"),
        ):
            statements.append(
                sql.SQL(
                    "DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = {n} "
                    "AND tgrelid = {r}::regclass) THEN CREATE TRIGGER {name} BEFORE " + when + " "
                    "EXECUTE FUNCTION {f}(); END IF; "
                    "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $do$"
                ).format(
                    n=sql.Literal(f"{table}_append_only_{suffix}"),
                    r=sql.Literal(f'"{schema}"."{table}"'),
                    name=sql.Identifier(f"{table}_append_only_{suffix}"),
                    t=sql.Identifier(schema, table),
                    f=function,
                )
            )
    return statements


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
    ident = {
        "schema": sql.Identifier(schema),
        "events": sql.Identifier(events_table),
        "chain": sql.Identifier(chain_table(events_table)),
    }
    query = sql.SQL(
        "SELECT coalesce(e.notification_id, c.notification_id) AS id, "
        "e.notification_id IS NOT NULL AS stored, c.notification_id IS NOT NULL AS sealed, "
        "e.originator_id, e.originator_version, e.topic, e.state, c.prev_id, c.hash "
        "FROM {schema}.{events} e FULL OUTER JOIN {schema}.{chain} c "
        "ON c.notification_id = e.notification_id ORDER BY 1"
    ).format(**ident)
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
