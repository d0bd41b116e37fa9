"""Pausing the cyclic garbage collector: nested pauses hold until the last ends, then it resumes
as it was (and stays off if it was off)."""

from __future__ import annotations

import asyncio
import gc
import inspect

import pytest

from shared.ops.gc_pause import collector_paused, paused_throughout


def test_nested_pauses_resume_after_the_last() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_resumes_after_an_error() -> None:
    try:
        with collector_paused():
            raise RuntimeError("a list failed")
    except RuntimeError:
        pass
    assert gc.isenabled()


async def test_an_endpoint_paused_throughout_keeps_the_collector_paused_across_its_awaits() -> None:
    seen: list[bool] = []

    @paused_throughout
    async def endpoint(rows: int) -> int:
        seen.append(gc.isenabled())
        await asyncio.sleep(0)  # another request may run here: the pause holds
        seen.append(gc.isenabled())
        return rows

    assert await endpoint(5000) == 5000
    assert seen == [False, False]
    assert gc.isenabled()


async def test_an_endpoint_paused_throughout_resumes_the_collector_when_it_raises() -> None:
    @paused_throughout
    async def endpoint() -> None:
        raise RuntimeError("a list was refused")

    with pytest.raises(RuntimeError):
        await endpoint()
    assert gc.isenabled()


def test_an_endpoint_paused_throughout_keeps_its_signature_for_the_framework() -> None:
    async def endpoint(federation: str, mode: str = "all-or-nothing") -> str:
        return federation

    assert inspect.signature(paused_throughout(endpoint)) == inspect.signature(endpoint)
    assert inspect.iscoroutinefunction(paused_throughout(endpoint))
