"""Histories' facts (HistoryFacts) for the rules, without rebuilding each History: a list of
nominations reads thousands, and decoding their events and rebuilding the aggregates took most
of reading them (py-spy). The facts are folded straight from the stored events (the History is
rebuilt wherever the fold steps aside), and kept by the history's last version between commands,
as the histories a list of ratings has just saved are kept."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from itertools import groupby
from typing import Any
from uuid import UUID

import orjson

from services.awards.domain.history import History, HistoryFacts
from shared.store.audit.recorder import ChainedRecorder

KEPT = 50_000  # histories' facts kept (some hundred bytes each); emptied when full


class KeptFacts:
    """Facts by (history id, version). A history's events up to a version never change (the
    store refuses UPDATE and DELETE), so neither do its facts at that version: a read asks the
    store for each history's last version, whoever wrote it (another copy of the service), and
    uses what is kept only for that version. Only facts of a committed state are kept."""

    def __init__(self, limit: int = KEPT) -> None:
        self.limit = limit
        self._kept: dict[UUID, tuple[int, HistoryFacts]] = {}
        self._lock = threading.Lock()  # commands run in several threads

    def has(self, ident: UUID) -> bool:
        return ident in self._kept

    def get(self, ident: UUID, version: int) -> HistoryFacts | None:
        entry = self._kept.get(ident)
        return entry[1] if entry is not None and entry[0] == version else None

    def keep(self, ident: UUID, version: int, facts: HistoryFacts) -> None:
        with self._lock:
            if len(self._kept) >= self.limit:
                self._kept.clear()
            self._kept[ident] = (version, facts)

    def saved(self, histories: Iterable[History]) -> None:
        """Histories whose save has committed: their facts as they now stand."""
        for history in histories:
            self.keep(history.id, history.version, history.facts())


def read_facts(app: Any, ids: Iterable[UUID], kept: KeptFacts | None = None) -> dict[UUID, HistoryFacts]:
    """The facts of each of `ids` that is a stored History; `app`: the service's application."""
    wanted = list(dict.fromkeys(ids))
    mapper = app.mapper
    if not isinstance(app.recorder, ChainedRecorder) or mapper.cipher or mapper.compressor:
        return _rebuilt(app, wanted)
    out: dict[UUID, HistoryFacts] = {}
    known = [i for i in wanted if kept.has(i)] if kept is not None else []
    if kept is not None and known:  # one more round trip, only where it may spare reading events
        versions = app.recorder.select_versions(known)
        for ident, version in versions.items():
            if (found := kept.get(ident, version)) is not None:
                out[ident] = found
        wanted = [i for i in wanted if i not in out]
    rebuild: list[UUID] = []
    for ident, group in groupby(app.recorder.select_events_of(wanted), key=lambda e: e.originator_id):
        stored = list(group)
        ident = ident if isinstance(ident, UUID) else UUID(str(ident))
        found = _fold(stored)
        if found is None:
            rebuild.append(ident)
            continue
        out[ident] = found
        if kept is not None:
            kept.keep(ident, stored[-1].originator_version, found)
    if rebuild:
        out.update(_rebuilt(app, rebuild))
    return out


def _rebuilt(app: Any, ids: list[UUID]) -> dict[UUID, HistoryFacts]:
    """The facts of the histories rebuilt as aggregates (the in-memory store, or a fold that
    stepped aside)."""
    return {i: h.facts() for i, h in app.find_many(History, ids).items()}


def _fold(stored: list[Any]) -> HistoryFacts | None:
    events = []
    for record in stored:
        try:
            state = orjson.loads(record.state)
        except orjson.JSONDecodeError:
            return None
        if type(state) is not dict:
            return None
        events.append((record.topic, record.originator_version, state))
    return HistoryFacts.fold(events)
