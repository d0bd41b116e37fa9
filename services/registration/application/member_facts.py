"""A member's facts (MemberFacts) folded straight from its stored events, for commands that only
read the member: cheaper than rebuilding the aggregate, which is used wherever the fold steps
aside (the caller falls back when `get` answers None)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from services.registration.adapters.aggregate_cache import ByVersion
from services.registration.domain.members import MemberFacts


class KeptMemberFacts:
    """Kept by (id, version) between commands, as the tree keeps rebuilt aggregates."""

    def __init__(self, mapper: Mapper[UUID], limit: int) -> None:
        self.mapper = mapper
        self.kept: ByVersion[MemberFacts] = ByVersion(limit)

    def get(self, stored: list[StoredEvent]) -> MemberFacts | None:
        last = stored[-1]
        if last.originator_version != len(stored):  # not the whole history: the fold refuses it
            return None
        return self.kept.get(last.originator_id, last.originator_version, lambda: self.fold(stored))

    def fold(self, stored: list[StoredEvent]) -> MemberFacts | None:
        events = []
        for record in stored:
            state = record.state
            # Escapes could spell a tag's key otherwise than counted here.
            if b"\\u" in state:
                return None
            try:
                parsed = orjson.loads(state)
            except orjson.JSONDecodeError:
                return None
            if type(parsed) is not dict:
                return None
            events.append((record.topic, record.originator_version, parsed, state.count(b'"_type_"')))
        return MemberFacts.fold(events, self.tagged)

    def tagged(self, raw: Any, kind: type) -> Any:
        """A `{"_type_", "_data_"}` value as the transcoder decodes it, if it gives a `kind`."""
        if type(raw) is not dict or len(raw) != 2:
            return None
        name, data = raw.get("_type_"), raw.get("_data_")
        transcoder = self.mapper.transcoder
        if type(name) is not str or type(data) is not str or not isinstance(transcoder, JSONTranscoder):
            return None
        transcoding = transcoder.names.get(name)
        if transcoding is None or transcoding.type is not kind:
            return None
        try:
            value = transcoding.decode(data)
        except Exception:
            return None
        return value if type(value) is kind else None
