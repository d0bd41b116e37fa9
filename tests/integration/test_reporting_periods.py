"""The awards report by period (issue 17): grants for a school year, a phase and a calendar year
counted apart and filtered, thematic and ad-hoc grants apart from regular ones, in JSON and in
the workbook."""

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
from tests.integration.test_reporting_reports import BAC_KAN, NATIONAL, feed, get
from tests.support import Isolation, in_process

F = "bac-kan"
A, B = ["tp", "cdcs-a"], ["tp", "cdcs-b"]
SCHOOL_YEAR = {"kind": "school-year", "from": 2022, "to": 2023}
PHASE = {"kind": "phase", "from": 2021, "to": 2023}
REPORT = f"/v1/federations/{F}/reports/awards"


def granted(
    kind: str, code: str, award: str, path: list[str], period: dict | None = None, occasion: str = "regular"
) -> dict[str, Any]:
    """A grant for 2023 of `period` (none stated: an event of before periods, the calendar year)."""
    data = ev.grant(F, kind, code, award, path)["data"] | {"occasion": occasion}
    key = "2023"
    if period is not None:
        data["period"] = period
        key = f"{period['kind']}:{period['from']}-{period['to']}"
    return ev.envelope("awards", "award-granted", data, subject=f"grant:{kind}:{code}:{award}:{key}")


def events() -> list[dict[str, Any]]:
    out = [ev.envelope("registration", "federation-created", {"federation": F, "name": "Bắc Kạn"}, subject=F)]
    out += [ev.unit(F, "tp", ["tp"], "upper"), ev.unit(F, "cdcs-a", A), ev.unit(F, "cdcs-b", B)]
    return [
        *out,
        granted("member", "dv-1", "bang-khen-ldld", A, SCHOOL_YEAR),
        granted("member", "dv-2", "bang-khen-ldld", A, SCHOOL_YEAR),
        granted("unit", "cdcs-b", "bang-khen-ubnd-tinh", B, PHASE),
        granted("member", "dv-1", "bang-khen-ldld", A, PHASE),  # the same award, another period
        granted("member", "dv-3", "bang-khen-tld", B, occasion="thematic"),
        granted("member", "dv-4", "bang-khen-ldld", B, {"kind": "year", "from": 2023, "to": 2023}, "ad-hoc"),
    ]


@pytest.fixture
async def known(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given reporting fed grants of 2023 for a school year, a phase and the calendar year."""
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await feed(rt, events())
        yield http


def periods_of(report: dict[str, Any]) -> dict[tuple[str, str, str], tuple[int, int, int, int]]:
    return {
        (r["period_name"], r["award"], r["subject_kind"]): (
            r["granted"],
            r["regular"],
            r["thematic"],
            r["ad_hoc"],
        )
        for r in report["by_period"]
    }


async def test_given_grants_of_three_periods_when_the_years_awards_are_reported_then_each_period_is_grouped(
    known: httpx.AsyncClient,
) -> None:
    report = await get(known, REPORT, year=2023)
    assert periods_of(report) == {
        ("Năm học 2022–2023", "bang-khen-ldld", "member"): (2, 2, 0, 0),
        ("Giai đoạn 2021–2023", "bang-khen-ldld", "member"): (1, 1, 0, 0),
        ("Giai đoạn 2021–2023", "bang-khen-ubnd-tinh", "unit"): (1, 1, 0, 0),
        ("Năm 2023", "bang-khen-ldld", "member"): (1, 0, 0, 1),
        ("Năm 2023", "bang-khen-tld", "member"): (1, 0, 1, 0),
    }
    assert [r["period"] for r in report["by_period"]][:3] == ["2023", "2023", "school-year:2022-2023"]


async def test_given_thematic_and_ad_hoc_grants_when_reported_then_they_are_counted_apart_from_regular_ones(
    known: httpx.AsyncClient,
) -> None:
    report = await get(known, REPORT, year=2023)
    assert (report["granted"], report["regular"], report["thematic"], report["ad_hoc"]) == (6, 4, 1, 1)
    by_award = {(g["award"], g["subject_kind"]): (g["regular"], g["thematic"]) for g in report["by_award"]}
    assert by_award[("bang-khen-tld", "member")] == (0, 1)
    assert by_award[("bang-khen-ldld", "member")] == (3, 0)


@pytest.mark.parametrize("period", ["phase:2021-2023", "Giai đoạn 2021–2023"])
async def test_given_a_phase_filter_when_reported_then_only_that_phases_grants_are_listed(
    known: httpx.AsyncClient, period: str
) -> None:
    report = await get(known, REPORT, year=2023, period=period)
    assert (report["period"], report["period_name"]) == ("phase:2021-2023", "Giai đoạn 2021–2023")
    assert report["granted"] == 2
    assert {r["period"] for r in report["by_period"]} == {"phase:2021-2023"}
    assert {g["award"] for g in report["by_award"]} == {"bang-khen-ldld", "bang-khen-ubnd-tinh"}


async def test_given_a_kind_of_period_filter_when_reported_then_only_school_years_are_counted(
    known: httpx.AsyncClient,
) -> None:
    report = await get(known, REPORT, year=2023, period_kind="school-year")
    assert (report["period_kind"], report["granted"]) == ("school-year", 2)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "phase:2021-2022"}, "period"),  # counts for 2022, not for the report's 2023
        ({"period": "school-year:2020-2023"}, "period"),
        ({"period": "phase:2021-2023", "period_kind": "year"}, "period_kind"),
    ],
)
async def test_given_a_period_that_cannot_be_the_years_when_reported_then_422_naming_it(
    known: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    r = await known.get(REPORT, params={"year": 2023, **params}, headers=BAC_KAN)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]


async def test_given_thematic_grants_when_the_workbook_is_made_then_it_counts_them_apart_and_by_period(
    known: httpx.AsyncClient,
) -> None:
    r = await known.get(REPORT, params={"year": 2023, "format": "xlsx"}, headers=BAC_KAN)
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=7, values_only=True)}
    assert (summary["Khen thưởng thường xuyên"], summary["Khen thưởng chuyên đề"]) == (4, 1)
    assert summary["Khen thưởng đột xuất"] == 1
    rows = list(book["Theo thời kỳ"].iter_rows(min_row=7, values_only=True))
    heads = rows[0]
    assert heads[0] == "Thời kỳ" and "Khen thưởng chuyên đề" in heads
    named = {(row[0], row[1]): row[heads.index("Số được khen")] for row in rows[1:]}
    assert named[("Năm học 2022–2023", "Bằng khen của LĐLĐ tỉnh")] == 2
    assert named[("Giai đoạn 2021–2023", "Bằng khen của UBND tỉnh")] == 1


async def test_given_a_phase_filter_when_the_national_report_is_asked_then_each_federation_counts_that_phase(
    known: httpx.AsyncClient,
) -> None:
    report = await get(known, "/v1/reports/awards", NATIONAL, year=2023, period="phase:2021-2023")
    assert (report["granted"], report["period_name"]) == (2, "Giai đoạn 2021–2023")
    [bac_kan] = [f for f in report["by_federation"] if f["federation"] == F]
    assert (bac_kan["granted"], bac_kan["regular"], bac_kan["thematic"]) == (2, 2, 0)
