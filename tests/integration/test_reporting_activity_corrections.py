"""Reporting follows an initiative's and a dedicated work's corrections (issue 18): the corrected
title, field, benefit value, name, value and occasion replace what the registration said, and
the correction is a line in its author's or its unit's history, with its reason."""

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
PATH = ["ldld-bac-kan", "cdcs-a"]


@pytest.fixture
async def reporting(isolation: Isolation) -> AsyncIterator[Any]:
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app):
        yield rt


async def fetch(rt: Any, sql: str, *args: Any) -> list[dict[str, Any]]:
    async with rt.db.acquire() as conn:
        return [dict(r) for r in await conn.fetch(sql.format(s=rt.settings.schema_name), *args)]


async def test_a_corrected_initiative_replaces_its_details_and_is_in_its_authors_history(
    reporting: Any,
) -> None:
    code = f"sk-{uuid.uuid4().hex[:6]}"
    registered = ev.initiative(FED, code, PATH, 2023, recognised_value=80)
    data = {**registered[1]["data"], "title": "Phần mềm hồ sơ", "field": "CNTT", "benefit_value": 95}
    data = {k: v for k, v in data.items() if k not in ("recognised_on", "recognised_by")}
    corrected = ev.envelope(
        "registration",
        "initiative-corrected",
        data | {"corrected": ["title", "benefit_value"], "reason": "gõ sai"},
        subject=f"initiative:{FED}:{code}",
        version=3,
    )
    await feed(reporting, [*registered, corrected])
    [row] = await fetch(
        reporting,
        'SELECT title, field, benefit_value, recognised_on FROM "{s}".initiatives WHERE initiative = $1',
        code,
    )
    assert (row["title"], row["field"], row["benefit_value"]) == ("Phần mềm hồ sơ", "CNTT", 95)
    assert row["recognised_on"] is not None  # the correction leaves the decision as it was
    lines = await fetch(
        reporting,
        'SELECT what, detail FROM "{s}".history WHERE subject_code = $1 ORDER BY occurred_at, what',
        f"author-{code}",
    )
    fixed = [line for line in lines if line["what"] == "initiative-corrected"]
    assert len(fixed) == 1 and json.loads(fixed[0]["detail"])["reason"] == "gõ sai"


async def test_a_corrected_work_replaces_its_value_and_is_in_its_units_history(reporting: Any) -> None:
    code = f"ct-{uuid.uuid4().hex[:6]}"
    registered = ev.work(FED, code, PATH, 1, 2023, plaqued=False)
    data = {**registered[0]["data"], "value": 1250000000, "name": "Nhà văn hoá"}
    data = {k: v for k, v in data.items() if k != "registered_on"}
    corrected = ev.envelope(
        "registration",
        "work-corrected",
        data | {"corrected": ["name", "value"], "reason": "giá trị quyết toán"},
        subject=f"work:{FED}:{code}",
        version=2,
    )
    await feed(reporting, [*registered, corrected])
    [row] = await fetch(reporting, 'SELECT name, value, occasion FROM "{s}".works WHERE work = $1', code)
    assert (row["name"], row["value"]) == ("Nhà văn hoá", 1250000000)
    lines = await fetch(
        reporting,
        'SELECT what, detail FROM "{s}".history WHERE subject_kind = $1 AND subject_code = $2',
        "unit",
        "cdcs-a",
    )
    mine = [line for line in lines if json.loads(line["detail"]).get("work") == code]
    assert [line["what"] for line in mine] == ["work-corrected"]
