"""Reporting's lag per source, and the term report over several years."""

from __future__ import annotations

import httpx

from services.registration.bootstrap import build_app as registration_app
from services.registration.bootstrap import runtime as registration_runtime
from services.reporting.application.lag import LagWatcher
from services.reporting.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings, ReportingSettings
from tests import reporting_events as ev
from tests.integration.test_relay import seed
from tests.integration.test_reporting_reports import feed, get
from tests.support import Isolation, bearer, in_process


async def test_lag_counts_published_events_not_yet_processed(isolation: Isolation) -> None:
    registration = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    reporting = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(registration, registration_app) as http, in_process(reporting, build_app):
        await seed(http, pledgers=2)  # federation, unit, movement, 2 members, 2 pledges: 7 published
        watcher = LagWatcher(reporting.settings, reporting.db)
        watcher.sources = {"tdkt/registration": "http://test"}
        await watcher.refresh(http)
        assert watcher.state["tdkt/registration"]["lag"] == 7
        page = (await http.get("/v1/events?limit=3", headers=bearer("*", ["reader"]))).json()
        await feed(reporting, page["events"])
        await watcher.refresh(http)
        assert watcher.state["tdkt/registration"]["lag"] == 4
        rest = (
            await http.get(f"/v1/events?after={page['next_after']}", headers=bearer("*", ["reader"]))
        ).json()
        await feed(reporting, rest["events"])
        await watcher.refresh(http)
        # the log also holds events that are never published (idempotency records …): lag is 0
        assert watcher.state["tdkt/registration"] == {
            "processed": int(rest["events"][-1]["sequence"]),
            "published": int(rest["events"][-1]["sequence"]),
            "lag": 0,
        }
        health = await httpx.AsyncClient(
            transport=httpx.ASGITransport(app=build_app(reporting)), base_url="http://r"
        ).get("/health")
        assert "lag" in health.json()


async def test_term_report_sums_the_years(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    fed, path = "bac-kan", ["tp", "cdcs-a"]
    events = [ev.unit(fed, "tp", ["tp"], "upper"), ev.unit(fed, "cdcs-a", path)]
    for year, n in ((2019, 3), (2020, 5), (2021, 2)):
        events += [
            ev.pledge(fed, "member", f"dv-{year}-{i}", "ldtt", path, year=year, movement=f"td-{year}")
            for i in range(n)
        ]
        events += [ev.grant(fed, "member", f"dv-{year}-{i}", "ldtt", path, year=year) for i in range(n - 1)]
        events += ev.work(fed, f"ct-{year}", path, 1_000_000_000 * n, year, plaqued=True)
    async with in_process(rt, build_app) as http:
        await feed(rt, events)
        term = await get(http, "/v1/federations/bac-kan/reports/term", **{"from": 2019, "to": 2021})
        assert [y["pledged"] for y in term["by_year"]] == [3, 5, 2]
        assert term["totals"]["pledged"] == 10 and term["totals"]["granted"] == 7
        assert term["totals"]["works"] == 3 and term["totals"]["works_value"] == 10_000_000_000
        assert term["grants_by_award"] == [
            {"award": "ldtt", "award_name": "Lao động tiên tiến", "subject_kind": "member", "granted": 7}
        ]


async def test_a_term_ending_before_it_starts_is_refused_naming_to(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        r = await http.get(
            "/v1/federations/bac-kan/reports/term",
            params={"from": 2021, "to": 2019},
            headers=bearer("bac-kan", ["reader"]),
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "to"
