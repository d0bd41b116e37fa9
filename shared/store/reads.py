"""Reads of the write side beyond one aggregate at a time: many aggregates in one round trip, and
a cache of aggregates that are read, never changed, by the use case that asks (a council's roll
while its members vote). Both follow the store: a cached aggregate is brought up to date with
the events stored after it on every read."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate

from shared.store import fast_replay
from shared.store.audit.recorder import ChainedRecorder

A = TypeVar("A", bound=Aggregate)
CACHED = 256  # aggregates kept by each application's read-only cache


def find_many(app: Any, cls: type[A], ids: Iterable[UUID]) -> dict[UUID, A]:
    """Each id's aggregate of `cls` that exists; one query on PostgreSQL."""
    wanted = list(dict.fromkeys(ids))
    if not isinstance(app.recorder, ChainedRecorder):
        found = {i: app.find(cls, i) for i in wanted}
        return {i: a for i, a in found.items() if a is not None}
    out: dict[UUID, A] = {}
    stored = app.recorder.select_events_of(wanted)
    for oid, group in groupby(stored, key=lambda e: e.originator_id):
        aggregate: Aggregate | None = fast_replay.fold(app.mapper.to_domain_event(s) for s in group)
        if isinstance(aggregate, cls):
            out[UUID(str(oid))] = aggregate
    return out


def read_only_repository(app: Any) -> Repository:
    # Not copied out of the cache: whoever reads through it must never change what it returns.
    return Repository(app.events, cache_maxsize=CACHED, deepcopy_from_cache=False)


def find_unchanged(repository: Repository, cls: type[A], aggregate_id: UUID) -> A | None:
    """The aggregate as stored now, shared with other readers: to be read, never changed."""
    try:
        aggregate: Aggregate = repository.get(aggregate_id)
    except AggregateNotFoundError:
        return None
    return aggregate if isinstance(aggregate, cls) else None
