"""Reporting follows a movement's amendments (issue 18): `movement-amended` replaces its name,
phases, awards and registration deadline, whichever of it and the launch arrives first; an older
amendment arriving after a newer one changes nothing."""

from __future__ import annotations

import json
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
PHASES = [{"name": "Đợt 1", "starts": "2023-01-01", "ends": "2023-03-31"}]


@pytest.fixture
async def reporting(isolation: Isolation) -> AsyncIterator[Any]:
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app):
        yield rt


def launched(code: str) -> dict[str, Any]:
    data = {"federation": FED, "code": code, "name": "TĐ 2023", "theme": "", "year": 2023, "kind": "annual"}
    data |= {"phases": PHASES, "awards": ["ldtt"], "registration_deadline": "2023-03-31", "launched_by": None}
    return ev.envelope("registration", "movement-launched", data, subject=f"movement:{code}")


def amended(code: str, version: int, deadline: str, name: str = "TĐ 2023 (gia hạn)") -> dict[str, Any]:
    data = {"federation": FED, "code": code, "name": name, "theme": "", "phases": []}
    data |= {"awards": ["ldtt", "cstdcs"], "registration_deadline": deadline}
    data |= {"amended": ["name", "phases", "awards", "registration_deadline"], "reason": "gia hạn"}
    return ev.envelope("registration", "movement-amended", data, subject=f"movement:{code}", version=version)


async def row(rt: Any, code: str) -> dict[str, Any]:
    s = rt.settings.schema_name
    async with rt.db.acquire() as conn:
        found = await conn.fetchrow(
            f"SELECT name, year, kind, phases, awards, registration_deadline::text AS deadline "
            f'FROM "{s}".movements WHERE federation = $1 AND code = $2',
            FED,
            code,
        )
    out = dict(found)
    out["phases"] = json.loads(out["phases"]) if isinstance(out["phases"], str) else out["phases"]
    return out


AFTER = {
    "name": "TĐ 2023 (gia hạn)",
    "year": 2023,
    "kind": "annual",
    "phases": [],
    "awards": ["ldtt", "cstdcs"],
}


async def test_an_amendment_after_the_launch_replaces_what_it_changed(reporting: Any) -> None:
    code = f"td-{uuid.uuid4().hex[:6]}"
    await feed(reporting, [launched(code), amended(code, 2, "2023-04-30")])
    assert await row(reporting, code) == AFTER | {"deadline": "2023-04-30"}


async def test_an_amendment_overtaking_the_launch_survives_it(reporting: Any) -> None:
    code = f"td-{uuid.uuid4().hex[:6]}"
    await feed(reporting, [amended(code, 2, "2023-04-30"), launched(code)])
    assert await row(reporting, code) == AFTER | {"deadline": "2023-04-30"}


async def test_an_older_amendment_after_a_newer_one_changes_nothing(reporting: Any) -> None:
    code = f"td-{uuid.uuid4().hex[:6]}"
    await feed(
        reporting, [launched(code), amended(code, 3, "2023-05-31"), amended(code, 2, "2023-04-30", "cũ")]
    )
    assert await row(reporting, code) == AFTER | {"deadline": "2023-05-31"}
