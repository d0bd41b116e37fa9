"""A runtime asked to (a service process's own, shared.ops.serve) keeps what its start made out
of the collector's full passes once started; any other runtime leaves the collector as it was."""

from __future__ import annotations

import gc

from services.awards.bootstrap import runtime
from shared.kernel.settings import AwardsSettings
from tests.support import Isolation


async def test_a_service_process_runtime_freezes_what_its_start_made(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    rt.freeze_at_start = True
    gc.unfreeze()
    try:
        # When it starts
        await rt.start()
        # Then what the start made is out of the collector's passes
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        await rt.stop()


async def test_a_runtime_started_elsewhere_freezes_nothing(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    gc.unfreeze()
    try:
        await rt.start()
        assert gc.get_freeze_count() == 0
    finally:
        await rt.stop()
