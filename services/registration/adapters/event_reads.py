"""Reading stored events for the application's commands: many aggregates' events in one query,
the long-lived ones through the cache checked against the log (`adapters.aggregate_cache`), and
the aggregates rebuilt from them (federations, units and movements once per version)."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper, StoredEvent
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from services.registration.adapters.aggregate_cache import KEPT, AggregateCache, ByVersion

MAX_REBUILT = 20_000
REGISTERED = "services.registration.domain.pledges:Pledge.Registered"
RESUBMITTED = "services.registration.domain.pledges:Pledge.Resubmitted"
# Each pledge of a movement, its phase as last registered or corrected (rare: an amendment's
# check). Reads the stored JSON, so only without a cipher or compression.
PHASES_NAMED = """
SELECT DISTINCT ON (e.originator_id) convert_from(e.state, 'UTF8')::jsonb ->> 'phase'
FROM {schema}.{table} e
JOIN (SELECT originator_id FROM {schema}.{table}
      WHERE topic = %(registered)s AND convert_from(state, 'UTF8')::jsonb @> %(key)s::jsonb) p
  USING (originator_id)
WHERE e.topic = %(registered)s
   OR (e.topic = %(resubmitted)s
       AND jsonb_typeof(convert_from(e.state, 'UTF8')::jsonb -> 'corrected') = 'array')
ORDER BY e.originator_id, e.originator_version DESC
"""


class EventReads:
    """The store's events as commands read them; `recorder` is the application's (PostgreSQL, or
    the in-memory one of unit tests, which has no datastore and no cache)."""

    def __init__(self, recorder: Any, mapper: Mapper[UUID]) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.rebuilt: ByVersion[Aggregate] = ByVersion(MAX_REBUILT)
        datastore = getattr(recorder, "datastore", None)
        self.datastore = datastore
        self.cache: AggregateCache | None = None
        if datastore is not None:
            self.cache = AggregateCache(datastore.schema, recorder.events_table_name)

    def select(self, wanted: list[UUID]) -> dict[UUID, list[StoredEvent]]:
        """The stored events of `wanted` (an empty list: none), in one query."""
        found: dict[UUID, list[StoredEvent]] = {i: [] for i in wanted}
        if self.datastore is None:  # the in-memory store of unit tests
            for ident in wanted:
                found[ident] = list(self.recorder.select_events(ident))
            return found
        for event in self.recorder.select_events_of(wanted):  # the store's ChainedRecorder
            found[event.originator_id].append(event)
        return found

    def phases_named(self, federation: str, movement: str) -> set[str]:
        """The phases the movement's pledges name (withdrawn ones too: they may come back)."""
        if self.datastore is None or self.mapper.cipher or self.mapper.compressor:
            return self._phases_decoded(federation, movement)
        query = SQL(PHASES_NAMED).format(
            schema=Identifier(self.datastore.schema), table=Identifier(self.recorder.events_table_name)
        )
        key = json.dumps({"federation": federation, "movement": movement})
        args = {"registered": REGISTERED, "resubmitted": RESUBMITTED, "key": key}
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cursor:
            cursor.execute(query, args)
            return {phase for (phase,) in cursor.fetchall() if phase}

    def _phases_decoded(self, federation: str, movement: str) -> set[str]:
        """`phases_named` event by event (the in-memory store of unit tests, or an encrypted one)."""
        last: dict[UUID, str | None] = {}
        notes = self.recorder.select_notifications(1, 10**9, topics=[REGISTERED, RESUBMITTED])
        for note in notes:
            e: Any = self.mapper.to_domain_event(note)
            ours = note.topic == REGISTERED and (e.federation, e.movement) == (federation, movement)
            if ours or (note.originator_id in last and e.corrected):
                last[note.originator_id] = e.phase
        return {phase for phase in last.values() if phase}

    def prefetch(self, stored: dict[UUID, list[StoredEvent]], ids: list[UUID]) -> None:
        """Read the events of those of `ids` not in `stored` yet into it, in one query."""
        wanted = [i for i in dict.fromkeys(ids) if i not in stored]
        if wanted:
            stored.update(self.select(wanted))

    def read_current(self, stored: dict[UUID, list[StoredEvent]], ids: list[UUID], checked: bool) -> None:
        """As `prefetch`, with the long-lived aggregates kept between commands: one statement
        checks the log for changes since and loads the rest. `checked`: a check has been made
        since this command (or group) began, so kept entries are used as they are."""
        cache = self.cache
        if cache is None:
            self.prefetch(stored, ids)
            return
        wanted = [i for i in dict.fromkeys(ids) if i not in stored]
        if checked:
            stored.update(cache.kept(wanted))
            wanted = [i for i in wanted if i not in stored]
        if wanted:
            with self.datastore.get_connection() as conn:  # type: ignore[union-attr]
                stored.update(cache.read(conn, wanted))

    def rebuild(self, stored: list[StoredEvent]) -> Aggregate | None:
        aggregate = None
        for record in stored:
            aggregate = self.mapper.to_domain_event(record).mutate(aggregate)  # type: ignore[attr-defined]
        return aggregate  # type: ignore[return-value]

    def rebuild_kept(self, aggregate_id: UUID, stored: list[StoredEvent]) -> Aggregate | None:
        """A federation, unit or movement rebuilt once per version and shared: for commands that
        never change one (`Reads.read_only_kept`); it is current as long as its version is the
        last one read. Any other aggregate is rebuilt afresh for each command."""
        if not stored or not stored[0].topic.startswith(KEPT):
            return self.rebuild(stored)
        return self.rebuilt.get(aggregate_id, stored[-1].originator_version, lambda: self.rebuild(stored))
