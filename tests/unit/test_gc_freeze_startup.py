"""What a service process's start made is kept out of the collector's full passes
(shared.ops.gc_pause.freeze_startup), and only the process's own entry point asks for it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from shared.kernel.settings import AwardsSettings
from shared.ops import serve as serving
from shared.ops.gc_pause import freeze_startup
from shared.ops.runtime import Runtime


class Node:
    def __init__(self) -> None:
        self.other: Any = None


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # back into the oldest generation: the test process is not a service's


def test_objects_alive_at_the_start_are_left_out_of_the_collectors_passes(unfrozen: None) -> None:
    made_at_start = Node()
    # When the start is over
    freeze_startup()
    # Then the collector no longer walks what the start made
    assert gc.get_freeze_count() > 0
    assert not any(o is made_at_start for o in gc.get_objects())


def test_a_cycle_made_after_the_start_is_still_collected(unfrozen: None) -> None:
    freeze_startup()
    # Given two objects made after the start that refer to each other, then dropped
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    # When the collector passes
    gc.collect()
    # Then they are freed
    assert gone() is None


def test_the_process_entry_point_asks_its_runtime_to_freeze_once_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(serving.uvicorn, "run", lambda *args, **kwargs: None)
    monkeypatch.setattr(serving.logs, "configure", lambda service: None)
    monkeypatch.setattr(serving.tracing, "configure", lambda service: None)
    rt = Runtime(AwardsSettings(), components=frozenset({"api"}))
    # When a service process serves its API
    serving.serve(rt, lambda _rt: object())  # type: ignore[arg-type, return-value]
    # Then its runtime freezes what its start made
    assert rt.freeze_at_start
