"""Histories' facts (HistoryFacts) for the rules, folded straight from their stored events: a list
of nominations reads thousands, and decoding their events and rebuilding each History took most
of reading them (py-spy). Wherever the fold steps aside, the History is rebuilt as ever."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any
from uuid import UUID

import orjson

from services.awards.domain.history import History, HistoryFacts
from shared.store.audit.recorder import ChainedRecorder


def read_facts(app: Any, ids: Iterable[UUID]) -> dict[UUID, HistoryFacts]:
    """The facts of each of `ids` that is a stored History; `app`: the service's application."""
    wanted = list(dict.fromkeys(ids))
    mapper = app.mapper
    if not isinstance(app.recorder, ChainedRecorder) or mapper.cipher or mapper.compressor:
        return {i: h.facts() for i, h in app.find_many(History, wanted).items()}
    out: dict[UUID, HistoryFacts] = {}
    rebuild: list[UUID] = []
    for ident, group in groupby(app.recorder.select_events_of(wanted), key=lambda e: e.originator_id):
        stored = list(group)
        ident = ident if isinstance(ident, UUID) else UUID(str(ident))
        found = _fold(stored)
        if found is None:
            rebuild.append(ident)
        else:
            out[ident] = found
    if rebuild:
        out.update({i: h.facts() for i, h in app.find_many(History, rebuild).items()})
    return out


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
