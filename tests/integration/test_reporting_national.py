"""The national figures by federation (a national report's `by_federation`, and the roll-up
`GET /v1/reports/roll-up`) come from one grouped statement per report: they must equal what each
federation's own report says, and the roll-up's totals what the national reports say."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.reporting.bootstrap import build_app, runtime
from shared.kernel.settings import ReportingSettings
from tests import reporting_events as ev
from tests.integration.test_reporting_reports import NATIONAL, events, feed, get
from tests.support import Isolation, bearer, in_process

REPORTS = ("registrations", "awards", "initiatives", "works")
STANDING_2023 = ("bac-kan", "cao-bang", "thai-nguyen")
CB_TP, CB_A, CB_B = ["cb-tp"], ["cb-tp", "cb-a"], ["cb-huyen"]


def cao_bang() -> list[dict[str, Any]]:
    """A second federation with facts: targets on its top units only (no target of its own),
    a revoked grant, a withdrawn pledge, a recognised initiative and a plaqued work."""
    fed, name = "cao-bang", "Cao Bằng"
    out = [
        ev.envelope("registration", "federation-created", {"federation": fed, "name": name}, subject=fed),
        ev.unit(fed, "cb-tp", CB_TP, "upper"),
        ev.unit(fed, "cb-a", CB_A),
        ev.unit(fed, "cb-huyen", CB_B, "upper"),
    ]
    pledges = [ev.pledge(fed, "member", f"cb-dv-{i}", "bang-khen-ldld", CB_A) for i in range(4)]
    out += [*pledges, ev.pledge_withdrawn(pledges[0])]
    grants = [ev.grant(fed, "member", f"cb-dv-{i}", "bang-khen-ldld", CB_A) for i in range(3)]
    out += [*grants, ev.revoked(grants[0], "2023-12-30", "2023-12-30T09:00:00+07:00")]
    out += ev.initiative(fed, "cb-sk-1", CB_A, 2023, 7_000_000) + ev.initiative(fed, "cb-sk-2", CB_B, 2023)
    out += [ev.target(fed, "cb-tp", CB_TP, "initiatives", 2023, 3)]
    out += [ev.target(fed, "cb-huyen", CB_B, "initiatives", 2023, 5)]
    out += ev.work(fed, "cb-ct-1", CB_A, 2_000_000_000, 2023, plaqued=True)
    return out


def headline(report: dict[str, Any]) -> dict[str, Any]:
    """The numbers a report heads with, as `by_federation` carries them."""
    return {
        k: v
        for k, v in report.items()
        if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "year"
    }


@pytest.fixture
async def nation(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given reporting fed three federations' facts (Bắc Kạn merging into Thái Nguyên in 2025,
    Cao Bằng on its own): its API."""
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await feed(rt, events() + cao_bang())
        yield http


async def own_figures(http: httpx.AsyncClient, report: str, fed: str, **params: Any) -> dict[str, Any]:
    own = await get(http, f"/v1/federations/{fed}/reports/{report}", bearer(fed, ["reader"]), **params)
    return {"federation": fed, **headline(own)}


async def test_a_national_reports_federation_figures_equal_each_federations_own_report(
    nation: httpx.AsyncClient,
) -> None:
    for report in REPORTS:
        # When the national report is asked for
        national = await get(nation, f"/v1/reports/{report}", NATIONAL, year=2023)
        # Then each federation's row is what that federation's own report heads with
        expected = [await own_figures(nation, report, fed, year=2023) for fed in STANDING_2023]
        assert national["by_federation"] == expected, report


async def test_the_roll_up_has_each_federations_figures_of_its_own_reports(nation: httpx.AsyncClient) -> None:
    # When the roll-up is asked for
    roll_up = await get(nation, "/v1/reports/roll-up", NATIONAL, year=2023)
    # Then each federation standing has its name and, per report, its own report's figures
    assert [(r["federation"], r["federation_name"]) for r in roll_up["by_federation"]] == [
        ("bac-kan", "Bắc Kạn"),
        ("cao-bang", "Cao Bằng"),
        ("thai-nguyen", "Thái Nguyên"),
    ]
    for row in roll_up["by_federation"]:
        for report in REPORTS:
            own = await own_figures(nation, report, row["federation"], year=2023)
            assert {"federation": row["federation"], **row[report]} == own, (report, row)
    assert roll_up["by_federation"][1]["initiatives"]["target"] == 8  # its top units' targets


async def test_the_roll_ups_totals_equal_the_national_reports(nation: httpx.AsyncClient) -> None:
    # When the roll-up and the four national reports are asked for
    roll_up = await get(nation, "/v1/reports/roll-up", NATIONAL, year=2023)
    for report in REPORTS:
        national = await get(nation, f"/v1/reports/{report}", NATIONAL, year=2023)
        # Then the totals are the national report's headline figures (a missing target as null)
        totals = {k: v for k, v in roll_up["totals"][report].items() if v is not None}
        assert totals == headline(national), report
    assert roll_up["totals"]["registrations"]["pledged"] == 6 + 3


async def test_after_a_merge_the_receiving_federation_carries_the_merged_ones_figures(
    nation: httpx.AsyncClient,
) -> None:
    # Given Bắc Kạn merged into Thái Nguyên on 1 July 2025
    # When the roll-up is asked for as of the end of 2025
    roll_up = await get(nation, "/v1/reports/roll-up", NATIONAL, year=2023, as_of="2025-12-31")
    # Then Bắc Kạn is not listed and Thái Nguyên's figures are its own reports' on that date
    assert [r["federation"] for r in roll_up["by_federation"]] == ["cao-bang", "thai-nguyen"]
    thai_nguyen = roll_up["by_federation"][1]
    for report in REPORTS:
        own = await own_figures(nation, report, "thai-nguyen", year=2023, as_of="2025-12-31")
        assert {"federation": "thai-nguyen", **thai_nguyen[report]} == own, report
    assert thai_nguyen["registrations"]["pledged"] == 6


async def test_a_national_reports_federations_after_a_merge_are_the_roll_ups(
    nation: httpx.AsyncClient,
) -> None:
    # Given Bắc Kạn merged into Thái Nguyên on 1 July 2025
    roll_up = await get(nation, "/v1/reports/roll-up", NATIONAL, year=2023, as_of="2025-12-31")
    for report in REPORTS:
        # When a national report is asked for on the same date (its figures by federation read
        # from its own facts, not by the roll-up's grouped statement)
        national = await get(nation, f"/v1/reports/{report}", NATIONAL, year=2023, as_of="2025-12-31")
        # Then they are the roll-up's: Thái Nguyên carries Bắc Kạn's, which is not listed
        expected = [{"federation": r["federation"], **r[report]} for r in roll_up["by_federation"]]
        assert national["by_federation"] == expected, report
        assert [r["federation"] for r in national["by_federation"]] == ["cao-bang", "thai-nguyen"]


async def test_the_roll_up_is_refused_to_a_federations_token(nation: httpx.AsyncClient) -> None:
    # When a federation's token asks for the roll-up
    r = await nation.get("/v1/reports/roll-up", params={"year": 2023}, headers=bearer("bac-kan", ["reader"]))
    # Then it is refused
    assert r.status_code == 403, r.text
