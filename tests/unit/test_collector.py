"""Pausing the cyclic garbage collector: nested pauses hold until the last ends, then it resumes
as it was (and stays off if it was off)."""

from __future__ import annotations

import gc

from shared.ops.gc_pause import collector_paused


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
