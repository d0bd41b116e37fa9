"""Applying a batch of events set-wise, with exactly the result of applying them one at a time.

Each projection is run against a recorder instead of the connection: it lists the statements it
would execute, in order. Every statement writes one read-model table and reads no other (no
subqueries, triggers or foreign keys between read models), so statements on different tables
commute; only the order of the statements on one table matters. For each table, the batch's
statements are taken in log order and cut into maximal segments of consecutive events whose
statements on that table have the same shape:

- one SQL text (repeated any number of times by one event, e.g. a block's scores): the
  segment is one `executemany`, which runs the statements in exactly the given order;
- several SQL texts (e.g. a nomination's "ensure the row" INSERT … ON CONFLICT DO NOTHING and
  then its UPDATE of that row): each text once per event, run statement by statement over the
  segment. This is the same as one event after the other because only the last text may be
  anything but an INSERT … DO NOTHING of a row's key, and the projections' later statements
  change only the row of that key: an "ensure" moved ahead of another event's update either
  finds its row (and does nothing, as it would have) or creates a row that update does not
  touch. Shapes that do not follow this rule are run one event at a time.

A segment of plain inserts that do nothing on conflict (`INSERT INTO t VALUES ($1, …, $n) ON
CONFLICT DO NOTHING`, every column a scalar) goes as one INSERT … SELECT from unnest() of its
columns, in the segment's order (ORDER BY the ordinality): the first of two rows with one key is
kept, as one at a time would keep it.

During a rebuild's bulk load, the tables keyed by the event's id have no unique index left (see
rebuild.py), so a DO NOTHING insert into them cannot conflict and such a segment goes by COPY.

Any statement that does not name exactly one table of the schema sends the whole batch down the
one-at-a-time path."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Collection, Sequence
from typing import Any

import asyncpg

from services.reporting.adapters.projections.common import Envelope, Projection

Statement = tuple[str, tuple[Any, ...]]


class Recorder:
    """Stands in for the connection: keeps what a projection would execute."""

    def __init__(self) -> None:
        self.statements: list[Statement] = []

    async def execute(self, query: str, *args: Any) -> str:
        self.statements.append((query, args))
        return ""


def _ensure(sql: str) -> bool:
    text = " ".join(sql.split()).upper()
    return text.startswith("INSERT INTO") and text.endswith("ON CONFLICT DO NOTHING")


class Plan:
    """The statements of one batch, arranged per table into `executemany` groups."""

    def __init__(self, schema: str) -> None:
        self._table = re.compile(rf'"{re.escape(schema)}"\.(\w+)')
        self._tables: dict[str, str | None] = {}
        self._layouts: dict[tuple[str, ...], list[tuple[str, tuple[str, ...], list[int]]]] = {}
        # per table: segments of (shape, [per event: its statements on the table])
        self.segments: dict[str, list[tuple[tuple[str, ...], list[list[Statement]]]]] = {}
        self.ordered: list[Statement] = []  # everything in log order, for the fallback
        self.set_wise = True

    def table_of(self, sql: str) -> str | None:
        if sql not in self._tables:
            names = set(self._table.findall(sql))
            self._tables[sql] = names.pop() if len(names) == 1 else None
        return self._tables[sql]

    def add(self, statements: list[Statement]) -> None:
        self.ordered.extend(statements)
        if not self.set_wise:
            return
        texts = (statements[0][0],) if len(statements) == 1 else tuple(sql for sql, _ in statements)
        layout = self._layouts.get(texts)
        if layout is None:
            layout = self._layouts[texts] = self._layout(texts)
        if not layout and texts:
            self.set_wise = False
            return
        for table, shape, picked in layout:
            stmts = statements if len(picked) == len(statements) else [statements[i] for i in picked]
            segments = self.segments.setdefault(table, [])
            if segments and segments[-1][0] == shape and shape[0] != "#one-at-a-time":
                segments[-1][1].append(stmts)
            else:
                segments.append((shape, [stmts]))

    def _layout(self, texts: tuple[str, ...]) -> list[tuple[str, tuple[str, ...], list[int]]]:
        """Per table an event's statements touch (in order of first touch): their shape and
        their positions among the event's statements; empty if one names no single table."""
        mine: dict[str, list[int]] = {}
        for i, sql in enumerate(texts):
            table = self.table_of(sql)
            if table is None:
                return []
            mine.setdefault(table, []).append(i)
        out = []
        for table, picked in mine.items():
            shape = tuple(texts[i] for i in picked)
            if len(set(shape)) == 1:
                shape = shape[:1]
            elif len(set(shape)) != len(shape) or not all(_ensure(t) for t in shape[:-1]):
                shape = ("#one-at-a-time", *shape)
            out.append((table, shape, picked))
        return out

    async def run(self, conn: asyncpg.Connection, copy: Collection[str] = ()) -> None:
        """`copy`: tables without any unique index or constraint (a rebuild's event-keyed tables
        during its bulk load), where a plain DO NOTHING insert cannot conflict and goes by COPY."""
        if not self.set_wise:
            for sql, args in self.ordered:
                await conn.execute(sql, *args)
            return
        for table, segments in self.segments.items():
            for shape, events in segments:
                if shape[0] == "#one-at-a-time":
                    for stmts in events:
                        for sql, args in stmts:
                            await conn.execute(sql, *args)
                elif len(shape) == 1:
                    rows = [args for stmts in events for _, args in stmts]
                    if table in copy and await _copied(conn, shape[0], rows):
                        continue
                    await _many(conn, shape[0], rows)
                else:
                    for i, sql in enumerate(shape):
                        await _many(conn, sql, [stmts[i][1] for stmts in events])


UNNEST_FROM = 8  # rows; fewer go by executemany
YIELD_EVERY = 200  # events planned between two turns of the event loop
_PLAIN_INSERT = re.compile(
    r'^INSERT INTO ("[^"]+")\.(\w+)(?: \(([\w, ]+)\))? VALUES \(([$\d, ]+)\) ON CONFLICT DO NOTHING$'
)
_columns: dict[tuple[str, str], list[tuple[str, str, bool]]] = {}
_set_sql: dict[str, str | None] = {}
_copy_target: dict[str, tuple[str, str, list[str]] | None] = {}


async def _table_columns(conn: asyncpg.Connection, schema: str, table: str) -> list[tuple[str, str, bool]]:
    """(name, type, is an array) of each column, in order."""
    key = (schema, table)
    if key not in _columns:
        rows = await conn.fetch(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, t.typcategory "
            "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = $1::regclass "
            "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            f"{schema}.{table}",
        )
        _columns[key] = [(r["attname"], r["type"], r["typcategory"] in (b"A", "A")) for r in rows]
    return _columns[key]


async def _insert_columns(conn: asyncpg.Connection, sql: str) -> tuple[str, str, list[str]] | None:
    """(schema, table, columns) of a plain DO NOTHING insert of every value a parameter, or None."""
    if sql not in _copy_target:
        out = None
        m = _PLAIN_INSERT.match(" ".join(sql.split()))
        if m:
            quoted, table, names, params = m.groups()
            schema = quoted.strip('"')
            wanted = (
                [n.strip() for n in names.split(",")]
                if names
                else [c for c, _, _ in await _table_columns(conn, schema, table)]
            )
            if [p.strip() for p in params.split(",")] == [f"${i}" for i in range(1, len(wanted) + 1)]:
                out = (schema, table, wanted)
        _copy_target[sql] = out
    return _copy_target[sql]


async def _as_set(conn: asyncpg.Connection, sql: str) -> str | None:
    """The INSERT … SELECT FROM unnest() form of a plain DO NOTHING insert, or None."""
    if sql in _set_sql:
        return _set_sql[sql]
    out = None
    target = await _insert_columns(conn, sql)
    if target is not None:
        schema, table, wanted = target
        columns = await _table_columns(conn, schema, table)
        types = {c: t for c, t, _ in columns}
        # Array columns cannot go through unnest() (it flattens them): none for such a table.
        if not any(array for _, _, array in columns) and set(wanted) <= set(types):
            arrays = ", ".join(f"${i}::{types[c]}[]" for i, c in enumerate(wanted, 1))
            cols = ", ".join(f'"{c}"' for c in wanted)
            out = (
                f'INSERT INTO "{schema}".{table} ({cols}) SELECT {cols} FROM unnest({arrays}) '
                f"WITH ORDINALITY AS u({cols}, ord_) ORDER BY ord_ ON CONFLICT DO NOTHING"
            )
    _set_sql[sql] = out
    return out


async def _copied(conn: asyncpg.Connection, sql: str, rows: list[tuple[Any, ...]]) -> bool:
    target = await _insert_columns(conn, sql)
    if target is None:
        return False
    schema, table, columns = target
    await conn.copy_records_to_table(table, schema_name=schema, columns=columns, records=rows)
    return True


async def _many(conn: asyncpg.Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    if len(rows) == 1:
        await conn.execute(sql, *rows[0])
        return
    if len(rows) >= UNNEST_FROM:
        set_sql = await _as_set(conn, sql)
        if set_sql is not None:
            await conn.execute(set_sql, *(list(column) for column in zip(*rows, strict=True)))
            return
    await conn.executemany(sql, rows)


async def plan_set_wise(schema: str, projections: Sequence[tuple[Projection, Envelope]]) -> Plan:
    """What a batch will execute (no database needed: it can be prepared ahead). Hands the event
    loop back now and then: a large batch is CPU work that would hold up the loop's other tasks
    (a pipelined rebuild's round trips, an API's requests)."""
    plan = Plan(schema)
    recorder = Recorder()
    for i, (projection, envelope) in enumerate(projections, 1):
        statements: list[Statement] = []
        recorder.statements = statements
        await projection(recorder, schema, envelope)
        plan.add(statements)
        if not i % YIELD_EVERY:
            await asyncio.sleep(0)
    return plan


async def apply_set_wise(
    conn: asyncpg.Connection, schema: str, projections: Sequence[tuple[Projection, Envelope]]
) -> None:
    await (await plan_set_wise(schema, projections)).run(conn)
