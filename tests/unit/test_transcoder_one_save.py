"""The transcoder within one save (`FastJSONTranscoder.one_save`): a nested container shared by
several events is walked once, and what it writes stays the stdlib's, byte for byte."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from tests.unit.test_transcoder import fast, reference

WHEN = datetime(2026, 12, 7, tzinfo=UTC)


def test_given_events_sharing_containers_when_encoded_in_one_save_then_each_is_the_stdlibs() -> None:
    verdict = {"eligible": True, "clauses": [{"clause": "rating", "facts_used": {"year": 2025}}]}
    odd = {"by": UUID(int=7), "on": date(2025, 1, 1)}  # shared, and not for orjson
    meta = {"actor": "clerk", "scope": "bac-kan"}
    states = [
        {"timestamp": WHEN, "row": i, "verdict": verdict, "meta": meta, **({"odd": odd} if i % 2 else {})}
        for i in range(6)
    ]
    ref, transcoder = reference(), fast()
    with transcoder.one_save():
        written = [transcoder.encode(state) for state in states]
    assert written == [ref.encode(state) for state in states]


def test_given_a_proven_container_later_holding_a_uuid_then_a_later_save_writes_the_stdlibs() -> None:
    shared: dict[str, Any] = {"codes": ["a", "b"]}
    transcoder = fast()
    with transcoder.one_save():
        transcoder.encode({"timestamp": WHEN, "shared": shared})
    shared["codes"].append(UUID(int=9))
    with transcoder.one_save():
        written = transcoder.encode({"timestamp": WHEN, "shared": shared})
    assert written == reference().encode({"timestamp": WHEN, "shared": shared})


def test_given_a_save_in_one_thread_when_another_thread_encodes_then_it_walks_its_own_values() -> None:
    shared: dict[str, Any] = {"codes": ["a"]}
    transcoder = fast()
    written: list[bytes] = []

    def other() -> None:
        shared["codes"].append(UUID(int=3))
        written.append(transcoder.encode({"shared": shared}))

    with transcoder.one_save():
        transcoder.encode({"shared": shared})
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert written == [reference().encode({"shared": shared})]
