"""Conditions a save checks under the log's EXCLUSIVE table lock, where no other save can commit
in between (`ServiceApplication.commit(..., guards=...)`): a command that read something (a unit
still open; who was in it) stores its events only if that still holds when they are stored; if
not, nothing is stored and the command is refused with `Conflict`. Only the PostgreSQL recorder
checks them (the in-memory store of unit tests runs one command at a time)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg.rows
from eventsourcing.persistence import StoredEvent
from psycopg import sql

from shared.kernel.errors import Conflict


class GuardFailed(Conflict):
    """A guard did not hold: nothing was stored (409, its message saying why)."""


@dataclass(frozen=True)
class NoneOf:
    """None of the aggregates `ids` has a stored event with one of `topics` (e.g. a unit someone
    is placed in has not ended); else `refusal`."""

    ids: tuple[UUID, ...]
    topics: tuple[str, ...]
    refusal: str


@dataclass(frozen=True)
class NoneSince:
    """Of the events stored after notification `position` with one of `topics`, none is one that
    `refuses` answers a refusal for (e.g. nobody was placed in a unit since its members were
    read at that position)."""

    position: int
    topics: tuple[str, ...]
    refuses: Callable[[list[StoredEvent]], str | None]


Guard = NoneOf | NoneSince


def check(conn: psycopg.Connection[Any], events_table: sql.Composable, guards: Sequence[Guard]) -> None:
    """Raise GuardFailed if a guard does not hold; `conn` holds the table's EXCLUSIVE lock."""
    with conn.cursor(row_factory=psycopg.rows.tuple_row) as curs:
        for guard in guards:
            if isinstance(guard, NoneOf):
                curs.execute(
                    sql.SQL(
                        "SELECT 1 FROM {events} WHERE originator_id = ANY(%s) AND topic = ANY(%s) LIMIT 1"
                    ).format(events=events_table),
                    (list(guard.ids), list(guard.topics)),
                )
                if curs.fetchone() is not None:
                    raise GuardFailed(guard.refusal)
                continue
            curs.execute(
                sql.SQL(
                    "SELECT originator_id, originator_version, topic, state FROM {events} "
                    "WHERE notification_id > %s AND topic = ANY(%s) ORDER BY notification_id"
                ).format(events=events_table),
                (guard.position, list(guard.topics)),
                binary=True,
            )
            found = [StoredEvent(i, v, topic, bytes(state)) for i, v, topic, state in curs.fetchall()]
            refusal = guard.refuses(found) if found else None
            if refusal is not None:
                raise GuardFailed(refusal)
