"""Pausing Python's cyclic garbage collector around bulk work (a list of pledges, a rebuild's
load). Such work allocates hundreds of thousands of objects that reference counting frees; the
collector's passes over them cost a quarter of a 10,000-row list and a fifth of a rebuild's load
(py-spy). The pause is process-wide: nested or concurrent pauses (lists in worker threads) keep
it until the last one ends, and the collector then resumes as it was.

And keeping what a service process's start made out of the collector's full passes
(`freeze_startup`)."""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_depth = 0
_restore = False
_depth_lock = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _restore
    with _depth_lock:
        if _depth == 0:
            _restore = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _depth_lock:
            _depth -= 1
            if _depth == 0 and _restore:
                gc.enable()


def paused_throughout(endpoint: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """A list's endpoint run with the collector paused from its first line until it has
    returned, its awaits included. Resuming starts a pass over every object made during the pause
    and still alive: at the end of a pause inside the endpoint, that was the whole list (its rows,
    staging, results: some 6 % of a 5,000-row nominations list, measured in one process); once
    the endpoint has returned, they are freed. Hazard: the pause spans the endpoint's awaits, so
    the requests the process serves meanwhile run with the collector paused too, for as long as
    the list takes (cyclic garbage waits for the next pass; reference counting frees the rest)."""

    @functools.wraps(endpoint)
    async def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        with collector_paused():
            return await endpoint(*args, **kwargs)

    return paused


def freeze_startup() -> None:
    """Once a service process has started: what its start made (modules, classes, functions, its
    app; some 230,000 objects, living as long as the process) is moved where the collector's
    passes no longer walk it. Every full pass walked it all again: 130–190 ms a pass, landing in
    whatever request was running (a list's), against some 6 ms without it. Objects made later are
    collected as before; what is frozen is never freed, so only a process's own start calls this
    (`shared.ops.serve`), never code that runs many times in one process (tests)."""
    gc.collect()
    gc.freeze()
