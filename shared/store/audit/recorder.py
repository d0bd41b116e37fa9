"""The recorder: eventsourcing's PostgreSQL recorder, sealing every save into the log's hash chain
(the package's docstring) in the save's own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import psycopg
import psycopg.rows
from eventsourcing.persistence import ApplicationRecorder, InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from eventsourcing.utils import retry
from psycopg import sql

from shared.store.audit.binary_copy import encode_events, encode_links
from shared.store.audit.chain import GENESIS, chain_rows, chain_table
from shared.store.audit.guards import Guard, check
from shared.store.audit.schema import CHAIN_TABLE, SEAL_FUNCTION, append_only

SMALL_SAVE = 64  # events; up to this many go through the insert function in one round trip
# A guarded save's first statement (shared.store.audit.guards): the lock, then its checks.
LOCK = "SET LOCAL lock_timeout = {timeout}; LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE"


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
        # Replicas starting together would race in CREATE TABLE IF NOT EXISTS (a duplicate key in
        # pg_type): the creating transaction first takes a lock of this store's, so they take turns.
        self.sql_create_statements.insert(
            0,
            sql.SQL("SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))").format(
                key=sql.Literal(f"tdkt-store:{datastore.schema}.{events_table_name}")
            ),
        )
        self.sql_create_statements.append(sql.SQL(CHAIN_TABLE).format(**ident))
        self.sql_create_statements.extend(
            append_only(datastore.schema, events_table_name, self.chain_table_name)
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
        self.sql_create_statements.append(sql.SQL(SEAL_FUNCTION).format(**ident))
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
        self._lock, self._events = _rendered(LOCK, ident), sql.SQL("{schema}.{events}").format(**ident)
        self._copy_events = sql.SQL(
            "COPY {schema}.{events} (originator_id, originator_version, topic, state, notification_id) "
            "FROM STDIN (FORMAT BINARY)"
        ).format(**ident)
        # Rendered once, with the ids as one text literal and rows as tuples: psycopg renders a
        # Composed query, dumps a list of UUIDs and builds a dict row at some µs a time each.
        self._select_many = _rendered(
            "SELECT originator_id, originator_version, topic, state FROM {schema}.{events} "
            "WHERE originator_id = ANY(%s::uuid[]) ORDER BY originator_id, originator_version",
            ident,
        )
        # One probe of the primary key per id (the last version, read backwards). `= ANY` with a
        # GROUP BY was planned as a scan of the whole log where the table had no statistics yet.
        self.versions_sql = _rendered(
            "SELECT i.id, v.version FROM unnest(%s::uuid[]) AS i(id) CROSS JOIN LATERAL "
            "(SELECT originator_version AS version FROM {schema}.{events} e "
            "WHERE e.originator_id = i.id ORDER BY originator_version DESC LIMIT 1) AS v",
            ident,
        )
        self._copy_links = sql.SQL(
            "COPY {schema}.{chain} (notification_id, prev_id, hash) FROM STDIN (FORMAT BINARY)"
        ).format(**ident)

    def select_events_of(self, originator_ids: Sequence[Any]) -> list[StoredEvent]:
        """The events of many aggregates in one round trip, each aggregate's in version order."""
        if not originator_ids:
            return []
        # Binary results: the states as stored, not hex text to parse (a third less time for
        # thousands of histories).
        ids = _ids(originator_ids)
        with (
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=psycopg.rows.tuple_row) as curs,
        ):
            curs.execute(self._select_many, (ids,), prepare=True, binary=True)
            return [StoredEvent(i, v, topic, bytes(state)) for i, v, topic, state in curs.fetchall()]

    def select_versions(self, originator_ids: Sequence[Any]) -> dict[UUID, int]:
        """Each stored aggregate's last version, in one round trip (an index-only read)."""
        if not originator_ids:
            return {}
        ids = _ids(originator_ids)
        with (
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=psycopg.rows.tuple_row) as curs,
        ):
            curs.execute(self.versions_sql, (ids,), prepare=True, binary=True)
            return {i if isinstance(i, UUID) else UUID(str(i)): int(v) for i, v in curs.fetchall()}

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Insert and seal the events in one transaction under the EXCLUSIVE table lock (ids
        commit in order, I3). A save of a few events is one round trip: the insert function does
        lock, NOTIFY, insert and links in the statement's own transaction. A large save writes the
        events and their links with COPY: no row-by-row parameter dumping, no pipeline. With
        `guards` (shared.store.audit.guards), the lock is taken and they are checked first, in
        the same transaction: one that does not hold refuses the save (Conflict)."""
        if not stored_events:
            return None
        guards: Sequence[Guard] = kwargs.get("guards") or ()
        with self.datastore.get_connection() as conn:
            if guards:  # checked under the lock, then the save as usual in the same transaction
                with conn.transaction():
                    conn.execute(self._lock)
                    check(conn, self._events, guards)
                    return self._insert(conn, stored_events)
            return self._insert(conn, stored_events)

    def _insert(self, conn: Any, stored_events: Sequence[StoredEvent]) -> list[int]:
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
                copy.write(encode_events(stored_events, ids, self._uuid_ids))
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
                copy.write(encode_links(ids, prevs, hashes))
        return ids


class ChainedFactory(PostgresFactory):
    """The library's PostgreSQL infrastructure, with `ChainedRecorder` as the application's
    recorder (whatever APPLICATION_RECORDER_TOPIC the environment holds): the table named as
    the library names it, created when CREATE_TABLE says so."""

    application_recorder_class = ChainedRecorder

    def application_recorder(self) -> ApplicationRecorder:
        table = (self.env.name.lower() or "stored") + "_events"  # as the library names it
        recorder = ChainedRecorder(self.datastore, events_table_name=table)
        if self.env_create_table():
            recorder.create_table()
        return recorder


def _rendered(template: str, ident: dict[str, sql.Composable]) -> str:
    """The statement with its identifiers, as one string: psycopg renders a Composed query
    again on every execution."""
    return sql.SQL(template).format(**ident).as_string(None)


def _ids(originator_ids: Sequence[Any]) -> str:
    """The ids as one uuid[] literal, each as 32 hex digits (cheaper than str())."""
    return "{" + ",".join([i.hex if isinstance(i, UUID) else str(i) for i in originator_ids]) + "}"


def _array(texts: Iterable[str]) -> str:
    """A PostgreSQL array literal of `texts`, each element quoted (any character is safe)."""
    return "{" + ",".join('"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"' for t in texts) + "}"
