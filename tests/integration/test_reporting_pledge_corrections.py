"""Reporting follows a returned pledge's corrections (issue 18): a resubmission that corrects
the phase or where the subject sat replaces what the registration said; one sent as it was, or
arriving late, changes nothing of it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.reporting.bootstrap import build_app, runtime
from shared.kernel.settings import ReportingSettings
from tests import reporting_events as ev
from tests.integration.test_reporting_reports import feed
from tests.support import Isolation, in_process

FED = "bac-kan"
PATH = ["ldld-bac-kan", "cdcs-a"]
MOVED = ["ldld-bac-kan", "cdcs-b"]


def registered() -> dict[str, Any]:
    return ev.pledge(FED, "member", f"dv-{uuid.uuid4().hex[:6]}", "ldtt", PATH, phase="Đợt 1")


def then(first: dict[str, Any], name: str, version: int, **data: Any) -> dict[str, Any]:
    d = first["data"]
    key = f"pledge:{FED}:{d['movement']}:member:{d['subject_code']}:ldtt"
    return ev.envelope("registration", name, {**d, **data}, subject=key, version=version)


def corrected(first: dict[str, Any]) -> dict[str, Any]:
    """Resubmitted with its phase and unit corrected, as registration publishes it."""
    values = {"phase": "Đợt 2", "unit": "cdcs-b", "unit_path": MOVED, "subject_name": "Lò Văn Sửa"}
    fixed = ["phase", "submitted_by"]
    return then(first, "pledge-resubmitted", 3, reason="sai đợt", corrected=fixed, **values)


@pytest.fixture
async def reporting(isolation: Isolation) -> AsyncIterator[Any]:
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app):
        yield rt


async def row(rt: Any, first: dict[str, Any]) -> dict[str, Any]:
    s = rt.settings.schema_name
    async with rt.db.acquire() as conn:
        found = await conn.fetchrow(
            f'SELECT phase, unit, unit_path, subject_name, state FROM "{s}".pledges WHERE pledge_id = $1',
            first["subject"],
        )
    return dict(found)


async def test_a_corrected_resubmission_replaces_the_phase_and_the_unit(reporting: Any) -> None:
    first = registered()
    await feed(reporting, [first, then(first, "pledge-returned", 2, reason="sai đợt"), corrected(first)])
    assert await row(reporting, first) == {
        "phase": "Đợt 2",
        "unit": "cdcs-b",
        "unit_path": MOVED,
        "subject_name": "Lò Văn Sửa",
        "state": "submitted",
    }


async def test_a_resubmission_as_it_was_keeps_the_registered_phase(reporting: Any) -> None:
    first = registered()
    await feed(reporting, [first, then(first, "pledge-returned", 2), then(first, "pledge-resubmitted", 3)])
    found = await row(reporting, first)
    assert (found["phase"], found["unit"], found["state"]) == ("Đợt 1", "cdcs-a", "submitted")


async def test_a_correction_overtaken_by_nothing_older_survives_a_late_registration(reporting: Any) -> None:
    first = registered()
    await feed(reporting, [corrected(first), first])
    found = await row(reporting, first)
    assert (found["phase"], found["unit"]) == ("Đợt 2", "cdcs-b")
