"""Issue 18: the registrations report counts participation pledges (no award) as `participating`,
in all, by movement and by unit, not by award nor as pledged; withdrawn ones are not counted; its
workbook shows the same figures under a Vietnamese heading."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import openpyxl
import pytest

from services.reporting.bootstrap import build_app, runtime
from shared.kernel.settings import ReportingSettings
from tests import reporting_events as ev
from tests.integration.test_reporting_reports import BAC_KAN, feed
from tests.integration.test_reporting_workbooks import table
from tests.support import Isolation, in_process

FED = "bac-kan"
A, B = ["cdcs-a"], ["cdcs-b"]
PATH = "/v1/federations/bac-kan/reports/registrations"
HEADING = "Số đăng ký tham gia phong trào (không đăng ký danh hiệu)"


def events() -> list[dict[str, Any]]:
    """Two award pledges of cdcs-a in td-2023; four participation pledges in the campaign
    vnn-2023 (three of cdcs-a, one of cdcs-b) and a fifth withdrawn."""
    created = ev.envelope(
        "registration", "federation-created", {"federation": FED, "name": "Bắc Kạn"}, subject=FED
    )
    out = [created, ev.unit(FED, "cdcs-a", A), ev.unit(FED, "cdcs-b", B)]
    out += [ev.pledge(FED, "member", f"dv-{i}", "bang-khen-ldld", A) for i in range(2)]
    joining = [("dv-a1", A), ("dv-a2", A), ("dv-a3", A), ("dv-b1", B), ("dv-b2", B)]
    taking_part = [ev.pledge(FED, "member", code, None, path, movement="vnn-2023") for code, path in joining]  # type: ignore[arg-type]
    return out + taking_part + [ev.pledge_withdrawn(taking_part[-1])]


@pytest.fixture
async def reporting(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await feed(rt, events())
        yield http


async def test_participation_pledges_are_counted_as_participating_not_by_award(
    reporting: httpx.AsyncClient,
) -> None:
    # When the year's registrations are asked for
    r = await reporting.get(PATH, params={"year": 2023}, headers=BAC_KAN)
    assert r.status_code == 200, r.text
    report = r.json()
    # Then the four standing participation pledges are participating, apart from the two pledged
    assert (report["pledged"], report["participating"]) == (2, 4)
    assert [g["award"] for g in report["by_award"]] == ["bang-khen-ldld"]
    by_unit = {u["unit"]: (u["pledged"], u["participating"]) for u in report["by_unit"]}
    assert by_unit == {"cdcs-a": (2, 3), "cdcs-b": (0, 1)}
    by_movement = {m["movement"]: (m["pledged"], m["participating"]) for m in report["by_movement"]}
    assert by_movement == {"td-2023": (2, 0), "vnn-2023": (0, 4)}


async def test_the_workbook_shows_participating_in_all_and_by_unit(reporting: httpx.AsyncClient) -> None:
    # When the registrations report is asked for as .xlsx
    r = await reporting.get(PATH, params={"year": 2023, "format": "xlsx"}, headers=BAC_KAN)
    assert r.status_code == 200, r.text
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    # Then its summary and its sheet by unit name the participating under their Vietnamese heading
    summary = {row["Nội dung"]: row["Số liệu"] for row in table(book.worksheets[0])}
    assert summary[HEADING] == 4
    units = {row["Đơn vị"]: row[HEADING] for row in table(book["Theo đơn vị"])}
    assert units == {"cdcs-a": 3, "cdcs-b": 1}
