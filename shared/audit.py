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
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
import psycopg.rows
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import sql

GENESIS = bytes(32)
SMALL_SAVE = 64  # events; up to this many go through the insert function in one round trip
TOPIC = "shared.audit:ChainedRecorder"  # eventsourcing's APPLICATION_RECORDER_TOPIC


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


_HEAD = struct.Struct("!32sqI")  # prev, notification_id, length of the originator id
_INT8_LEN4 = struct.Struct("!qI")  # version, length of the topic
_LEN4 = struct.Struct("!I")


def link_hash(
    prev: bytes, notification_id: int, originator_id: Any, version: int, topic: str, state: bytes
) -> bytes:
    """sha256(prev || notification_id || originator_id || version || topic || state), integers
    8-byte big-endian signed, the three strings length-prefixed (4 bytes), hashed in one call."""
    oid = str(originator_id).encode()
    topic_b = topic.encode()
    return hashlib.sha256(
        b"".join(
            (
                _HEAD.pack(prev, notification_id, len(oid)),
                oid,
                _INT8_LEN4.pack(version, len(topic_b)),
                topic_b,
                _LEN4.pack(len(state)),
                state,
            )
        )
    ).digest()


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
    """The library's recorder, sealing each inserted event into the chain before commit.

    It writes with its own protocol (the library's composite-array insert in a pipeline stalled
    on 10,000-event saves and cost most of a bulk save in parameter dumping), keeping the
    library's rules: one transaction per save, under `LOCK TABLE … IN EXCLUSIVE MODE`, with
    `NOTIFY`, ids returned in insert order, a duplicate (originator_id, version) an IntegrityError."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        if datastore.enable_db_functions:
            # The insert function bypasses both the table lock and this sealing.
            raise ValueError("ChainedRecorder needs POSTGRES_ENABLE_DB_FUNCTIONS off")
        self.chain_table_name = chain_table(events_table_name)
        self.check_identifier_length(self.chain_table_name)
        ident: dict[str, sql.Composable] = {
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
        self._uuid_ids = datastore.originator_id_type == "uuid"
        function = f"{events_table_name}_seal_v1"
        self.check_identifier_length(function)
        ident |= {
            "fn": sql.Identifier(datastore.schema, function),
            "fn_name": sql.Literal(f'"{datastore.schema}"."{function}"'),
            "oid_type": sql.SQL(datastore.originator_id_type),
            "channel": sql.Identifier(self.channel_name),
            "timeout": sql.Literal(f"{datastore.lock_timeout}s"),
            "qualified": sql.Literal(f'"{datastore.schema}"."{events_table_name}"'),
        }
        self.sql_create_statements.append(sql.SQL(_SEAL_FUNCTION).format(**ident))
        # Rendered once: psycopg renders a Composed query again on every execution.
        self._call_insert = (
            sql.SQL("SELECT id FROM {fn}(%s::{oid_type}[], %s::bigint[], %s::text[], %s::bytea[])")
            .format(**ident)
            .as_string(None)
        )
        # {n} is filled in per save (a literal: the whole string goes as one simple query).
        self._reserve = sql.SQL(
            sql.SQL(
                "SET LOCAL lock_timeout = {timeout}; "
                "LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE; "
                "NOTIFY {channel}; "
                "SELECT s.last_id, c.notification_id AS prev_id, c.hash AS prev_hash FROM "
                "(SELECT setval(pg_get_serial_sequence({qualified}, 'notification_id'), "
                "nextval(pg_get_serial_sequence({qualified}, 'notification_id')) + {{n}} - 1)) "
                "AS s(last_id) LEFT JOIN LATERAL (SELECT notification_id, hash FROM {schema}.{chain} "
                "ORDER BY notification_id DESC LIMIT 1) AS c ON true"
            )
            .format(**ident)
            .as_string(None)
        )
        self._copy_events = sql.SQL(
            "COPY {schema}.{events} (originator_id, originator_version, topic, state, notification_id) "
            "FROM STDIN (FORMAT BINARY)"
        ).format(**ident)
        self._copy_links = sql.SQL(
            "COPY {schema}.{chain} (notification_id, prev_id, hash) FROM STDIN (FORMAT BINARY)"
        ).format(**ident)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Insert and seal the events in one transaction under the EXCLUSIVE table lock (ids
        commit in order, I3). A save of a few events is one round trip: the insert function does
        lock, NOTIFY, insert and links in the statement's own transaction. A large save writes the
        events and their links with COPY: no row-by-row parameter dumping, no pipeline."""
        if not stored_events:
            return None
        with self.datastore.get_connection() as conn:
            if len(stored_events) <= SMALL_SAVE:
                return self._insert_small(conn, stored_events)
            return self._insert_copy(conn, stored_events)

    def _insert_small(self, conn: Any, stored_events: Sequence[StoredEvent]) -> list[int]:
        # Tuples: a dict row looks up its column names through libpq on every execution.
        with conn.cursor(row_factory=psycopg.rows.tuple_row) as curs:
            # The four arrays go as text literals: psycopg's list dumpers cost about 30 µs per
            # event here, more than the statement's round trip.
            curs.execute(
                self._call_insert,
                (
                    _array(str(e.originator_id) for e in stored_events),
                    "{" + ",".join(str(int(e.originator_version)) for e in stored_events) + "}",
                    _array(e.topic for e in stored_events),
                    "{" + ",".join('"\\\\x' + bytes(e.state).hex() + '"' for e in stored_events) + "}",
                ),
                prepare=True,
            )
            return [row[0] for row in curs.fetchall()]

    def _insert_copy(self, conn: Any, stored_events: Sequence[StoredEvent]) -> list[int]:
        n = len(stored_events)
        with conn.transaction(), conn.cursor() as curs:
            # One simple query: lock, notify, the last link, and n contiguous ids taken from the
            # sequence under the lock (no other insert can draw from it until this commits).
            curs.execute(self._reserve.format(n=sql.Literal(n)).as_string(conn))
            while curs.nextset():
                pass
            row = curs.fetchone()
            assert row is not None
            first = row["last_id"] - n + 1
            ids = list(range(first, first + n))
            prev_id, prev = (row["prev_id"], bytes(row["prev_hash"])) if row["prev_id"] else (0, GENESIS)
            with curs.copy(self._copy_events) as copy:
                copy.write(_copy_events(stored_events, ids, self._uuid_ids))
                # The links are computed while the server is still busy with the rows just sent.
                _, prevs, hashes = chain_rows(
                    prev_id,
                    prev,
                    (
                        (nid, e.originator_id, e.originator_version, e.topic, e.state)
                        for nid, e in zip(ids, stored_events, strict=True)
                    ),
                )
            with curs.copy(self._copy_links) as copy:
                copy.write(_copy_links(ids, prevs, hashes))
        return ids


# Lock, NOTIFY, insert and seal in the statement's own transaction (one round trip in autocommit).
# Unlike eventsourcing's POSTGRES_ENABLE_DB_FUNCTIONS function it takes the EXCLUSIVE table lock,
# so notification ids still commit in order (I3). Links as in link_hash (int8send/int4send are
# big-endian), checked against it by verify.
_SEAL_FUNCTION = """DO $do$ BEGIN IF to_regproc({fn_name}) IS NULL THEN
CREATE FUNCTION {fn}(ids {oid_type}[], versions bigint[], topics text[], states bytea[])
RETURNS TABLE (id bigint) LANGUAGE plpgsql AS $f$
DECLARE
  nids bigint[]; oids text[]; vers bigint[]; tops text[]; sts bytea[];
  last_id bigint; prev bytea; prevs bigint[] := ARRAY[]::bigint[]; hashes bytea[] := ARRAY[]::bytea[];
  o_b bytea; t_b bytea;
BEGIN
  PERFORM set_config('lock_timeout', {timeout}, true);
  LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE;
  NOTIFY {channel};
  SELECT c.notification_id, c.hash INTO last_id, prev FROM {schema}.{chain} AS c
    ORDER BY c.notification_id DESC LIMIT 1;
  IF last_id IS NULL THEN
    last_id := 0;
    prev := decode(repeat('00', 32), 'hex');
  END IF;
  WITH ins AS (
    INSERT INTO {schema}.{events} AS t (originator_id, originator_version, topic, state)
    SELECT * FROM unnest(ids, versions, topics, states)
    RETURNING t.notification_id, t.originator_id, t.originator_version, t.topic, t.state
  )
  SELECT array_agg(ins.notification_id ORDER BY ins.notification_id),
         array_agg(ins.originator_id::text ORDER BY ins.notification_id),
         array_agg(ins.originator_version ORDER BY ins.notification_id),
         array_agg(ins.topic ORDER BY ins.notification_id),
         array_agg(ins.state ORDER BY ins.notification_id)
    INTO nids, oids, vers, tops, sts FROM ins;
  FOR i IN 1 .. coalesce(array_length(nids, 1), 0) LOOP
    o_b := convert_to(oids[i], 'UTF8');
    t_b := convert_to(tops[i], 'UTF8');
    prev := sha256(prev || int8send(nids[i]) || int4send(octet_length(o_b)) || o_b
      || int8send(vers[i]) || int4send(octet_length(t_b)) || t_b
      || int4send(octet_length(sts[i])) || sts[i]);
    prevs := array_append(prevs, last_id);
    hashes := array_append(hashes, prev);
    last_id := nids[i];
  END LOOP;
  INSERT INTO {schema}.{chain} (notification_id, prev_id, hash) SELECT * FROM unnest(nids, prevs, hashes);
  RETURN QUERY SELECT unnest(nids);
END $f$;
END IF; EXCEPTION WHEN duplicate_function OR unique_violation THEN NULL; END $do$"""

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"
_UUID_ROW = struct.Struct("!hi16siqi")  # 5 fields; uuid; version; length of the topic
_LINK_ROW = struct.Struct("!hiqiqi32s")


def _array(texts: Iterable[str]) -> str:
    """A PostgreSQL array literal of `texts`, each element quoted (any character is safe)."""
    return "{" + ",".join('"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"' for t in texts) + "}"


def _copy_events(events: Sequence[StoredEvent], ids: Sequence[int], uuid_ids: bool) -> bytes:
    """The rows in COPY's binary format (originator_id, version, topic, state, notification_id)."""
    parts = [_COPY_HEADER]
    append = parts.append
    int4 = struct.Struct("!i").pack
    nid_field = struct.Struct("!iq").pack
    for e, nid in zip(events, ids, strict=True):
        topic = e.topic.encode()
        state = bytes(e.state)
        if uuid_ids:
            oid = e.originator_id if isinstance(e.originator_id, UUID) else UUID(str(e.originator_id))
            append(_UUID_ROW.pack(5, 16, oid.bytes, 8, e.originator_version, len(topic)))
        else:
            text = str(e.originator_id).encode()
            append(
                struct.pack(f"!hi{len(text)}siqi", 5, len(text), text, 8, e.originator_version, len(topic))
            )
        append(topic)
        append(int4(len(state)))
        append(state)
        append(nid_field(8, nid))
    append(_COPY_TRAILER)
    return b"".join(parts)


def _copy_links(ids: list[int], prevs: list[int], hashes: list[bytes]) -> bytes:
    pack = _LINK_ROW.pack
    return b"".join(
        [
            _COPY_HEADER,
            *(pack(3, 8, i, 8, p, 32, h) for i, p, h in zip(ids, prevs, hashes, strict=True)),
            _COPY_TRAILER,
        ]
    )


def chain_rows(
    prev_id: int, prev: bytes, rows: Iterable[tuple[int, Any, int, str, bytes]]
) -> tuple[list[int], list[int], list[bytes]]:
    """The links of `rows` — (notification_id, originator_id, version, topic, state), in
    notification order — after the link (prev_id, prev); (0, GENESIS) before the first."""
    ids: list[int] = []
    prevs: list[int] = []
    hashes: list[bytes] = []
    for nid, originator_id, version, topic, state in rows:
        prev = link_hash(prev, nid, originator_id, version, topic, bytes(state))
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
