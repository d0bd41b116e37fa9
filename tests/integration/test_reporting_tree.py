"""The tree report (issue 18): seed 001's first sentence — Bắc Kạn city's 1,530 workers, of whom
1,498 union members, in 65 grassroots unions — from units' headcounts, as the tree stood on a
date; a unit merged away by then and figures counted after it do not count."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from services.reporting.bootstrap import build_app, runtime
from shared.kernel.settings import ReportingSettings
from tests import reporting_events as ev
from tests.integration.test_reporting_reports import feed
from tests.support import Isolation, bearer, in_process

FED = "bac-kan"
CITY = "ldld-tp-bac-kan"
TREE = f"/v1/federations/{FED}/reports/tree"
READER = bearer(FED, ["reader"])
UNITS = [f"cdcs-{i:02d}" for i in range(65)]


def headcount(unit: str, on: str, workers: int, members: int, version: int = 1) -> dict[str, Any]:
    data = {"federation": FED, "unit": unit, "unit_path": [CITY, unit], "counted_on": on}
    data |= {"workers": workers, "members": members, "reason": None}
    return ev.envelope(
        "registration", "unit-headcount-recorded", data, subject=f"headcount:{FED}:{unit}", version=version
    )


def city_2023() -> list[dict[str, Any]]:
    """65 grassroots unions under the city's federation, 1,530 workers and 1,498 members in all
    as counted on 31/12/2023; one more union merged away in 2023; a count of 2024 for one unit."""
    out = [ev.unit(FED, CITY, [CITY], kind="upper", name="LĐLĐ thành phố Bắc Kạn", effective_on="2019-01-01")]
    for i, code in enumerate(UNITS):
        out.append(ev.unit(FED, code, [CITY, code], effective_on="2019-01-01"))
        workers = 24 if i < 35 else 23  # 35 × 24 + 30 × 23 = 1,530
        members = workers - (1 if i < 32 else 0)  # 1,530 − 32 = 1,498
        out.append(headcount(code, "2023-12-31", workers, members))
    out.append(headcount(UNITS[0], "2024-06-30", 99, 99, version=2))
    out.append(ev.unit(FED, "cdcs-cu", [CITY, "cdcs-cu"], effective_on="2019-01-01"))
    out.append(headcount("cdcs-cu", "2022-12-31", 40, 40))
    merged = {"federation": FED, "code": "cdcs-cu", "into": UNITS[0], "effective_on": "2023-07-01"}
    out.append(ev.envelope("registration", "unit-merged", merged, subject=f"unit:{FED}:cdcs-cu", version=2))
    return out


@pytest.fixture
async def reporting(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await feed(rt, city_2023())
        yield http


async def report(http: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    r = await http.get(TREE, params=params, headers=READER)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_seed_001_city_has_1530_workers_1498_members_in_65_grassroots_unions(
    reporting: httpx.AsyncClient,
) -> None:
    found = await report(reporting, unit=CITY, as_of="2023-12-31")
    assert (found["workers"], found["members"]) == (1530, 1498)
    assert found["units_by_kind"] == {"grassroots": 65, "upper": 1}
    city = next(u for u in found["units"] if u["code"] == CITY)
    assert city["subtree"]["workers"] == 1530 and city["subtree"]["units_by_kind"]["grassroots"] == 65
    assert city["name"] == "LĐLĐ thành phố Bắc Kạn" and city["counted_on"] is None


async def test_the_tree_before_the_merge_counts_the_merged_union_and_its_earlier_figures(
    reporting: httpx.AsyncClient,
) -> None:
    found = await report(reporting, unit=CITY, as_of="2023-01-01")
    assert found["units_by_kind"]["grassroots"] == 66
    assert found["workers"] == 40  # only cdcs-cu had been counted by then
    assert found["units_not_counted"] == 66  # the city and the 65 counted on 31/12/2023


async def test_a_later_count_is_in_force_from_its_day(reporting: httpx.AsyncClient) -> None:
    found = await report(reporting, unit=CITY, as_of="2024-12-31")
    first = next(u for u in found["units"] if u["code"] == UNITS[0])
    assert (first["workers"], first["counted_on"]) == (99, "2024-06-30")


async def test_the_tree_workbook_has_vietnamese_headings_and_no_json(reporting: httpx.AsyncClient) -> None:
    asked = {"unit": CITY, "as_of": "2023-12-31", "format": "xlsx"}
    r = await reporting.get(TREE, params=asked, headers=READER)
    assert r.status_code == 200, r.text
    book = load_workbook(io.BytesIO(r.content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    texts = [str(c.value) for c in cells if c.value is not None]
    assert "Báo cáo tổ chức: đơn vị, CNVCLĐ và đoàn viên" in texts
    assert "Số CNVCLĐ" in texts and "Số đoàn viên" in texts
    assert not any(t.startswith(("{", "[")) for t in texts)
    assert "Các đơn vị" in book.sheetnames


async def test_a_unit_clerk_cannot_read_another_units_tree(reporting: httpx.AsyncClient) -> None:
    clerk = bearer(f"{FED}/{CITY}/{UNITS[1]}", ["reader"])
    r = await reporting.get(TREE, params={"unit": UNITS[2], "as_of": "2023-12-31"}, headers=clerk)
    assert r.status_code == 404
