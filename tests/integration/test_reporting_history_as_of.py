"""A history "as of" a date by when things happened (the decision's, the revocation's, the
rating's date), not by when they were keyed in; each line shows both (issue 18)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.reporting.adapters.readmodels import SCHEMA_SQL
from services.reporting.bootstrap import build_app, runtime
from shared.kernel.settings import ReportingSettings
from tests import reporting_events as ev
from tests.integration.test_reporting_reports import A, events, feed, get
from tests.support import Isolation, in_process

FED = "bac-kan"
HISTORY = f"/v1/federations/{FED}/history/member"
RECORDED_2024 = "2024-05-10T14:30:00+07:00"
RECORDED_2020 = "2020-03-02T08:00:00+07:00"


def old_grant() -> dict[str, Any]:
    """dv-7's Bằng khen decided on 22/12/2015, keyed in from the paper archive in May 2024."""
    return ev.grant(
        FED, "member", "dv-7", "bang-khen-ldld", A, year=2015, number="9/QĐ-2015", time=RECORDED_2024
    )


def early_keyed_grant() -> dict[str, Any]:
    """dv-8's Bằng khen decided on 22/12/2022, its line recorded in 2020 (keyed in ahead)."""
    return ev.grant(
        FED,
        "member",
        "dv-8",
        "bang-khen-ldld",
        A,
        year=2022,
        number="7/QĐ-2022",
        time="2020-03-02T08:00:00+07:00",
    )


@pytest.fixture
async def reporting(isolation: Isolation) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    """Given reporting fed the known event set (test_reporting_reports.events): its runtime and API."""
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await feed(rt, events())
        yield rt, http


async def test_a_grant_decided_in_2015_and_recorded_in_2024_is_in_the_history_as_of_2020(
    reporting: tuple[Any, httpx.AsyncClient],
) -> None:
    rt, http = reporting
    # Given a grant decided on 22/12/2015 and recorded in May 2024
    await feed(rt, [old_grant()])
    # When dv-7's history is read as of 31/12/2020
    history = await get(http, f"{HISTORY}/dv-7", as_of="2020-12-31")
    # Then the grant is a line, with the day it was decided and the moment it was recorded
    [line] = history["entries"]
    assert line["what"] == "award-granted"
    assert (line["happened_on"], line["decision_date"]) == ("2015-12-22", "2015-12-22")
    assert line["recorded_at"] == "2024-05-10T07:30:00+00:00"
    # And the award was held then, its line recorded in 2024
    [held] = history["awards_held"]
    assert (held["year"], held["decision_date"], held["recorded_at"]) == (
        2015,
        "2015-12-22",
        line["recorded_at"],
    )


async def test_a_grant_decided_in_2022_is_not_in_the_history_as_of_2020_though_recorded_in_2020(
    reporting: tuple[Any, httpx.AsyncClient],
) -> None:
    rt, http = reporting
    # Given a grant decided on 22/12/2022 whose line was recorded in March 2020
    await feed(rt, [early_keyed_grant()])
    # When dv-8's history is read as of 31/12/2020, and as of 31/12/2022
    before = await get(http, f"{HISTORY}/dv-8", as_of="2020-12-31")
    after = await get(http, f"{HISTORY}/dv-8", as_of="2022-12-31")
    # Then the grant had not happened by 2020, and had by the end of 2022
    assert (before["entries"], before["awards_held"]) == ([], [])
    assert [(e["what"], e["happened_on"]) for e in after["entries"]] == [("award-granted", "2022-12-22")]


async def test_a_revocation_recorded_later_counts_from_the_day_it_took_effect(
    reporting: tuple[Any, httpx.AsyncClient],
) -> None:
    rt, http = reporting
    # Given the 2015 grant, revoked with effect from 01/06/2020 by a revocation recorded in 2025
    grant = old_grant()
    await feed(rt, [grant, ev.revoked(grant, "2020-06-01", "2025-01-15T09:00:00+07:00")])
    # When dv-7's history is read as of 31/12/2020
    history = await get(http, f"{HISTORY}/dv-7", as_of="2020-12-31")
    # Then the revocation is a line dated 01/06/2020, recorded in 2025, and the award no longer held
    revocation = history["entries"][-1]
    assert (revocation["what"], revocation["happened_on"]) == ("award-revoked", "2020-06-01")
    assert revocation["recorded_at"] == "2025-01-15T02:00:00+00:00"
    assert history["awards_held"] == []


async def test_before_a_later_recorded_revocation_took_effect_the_award_was_held(
    reporting: tuple[Any, httpx.AsyncClient],
) -> None:
    rt, http = reporting
    # Given the 2015 grant, revoked with effect from 01/06/2020 by a revocation recorded in 2025
    grant = old_grant()
    await feed(rt, [grant, ev.revoked(grant, "2020-06-01", "2025-01-15T09:00:00+07:00")])
    # When dv-7's history is read as of 31/12/2019
    history = await get(http, f"{HISTORY}/dv-7", as_of="2019-12-31")
    # Then only the grant is a line, and the award was held
    assert [e["what"] for e in history["entries"]] == ["award-granted"]
    assert [h["decision_number"] for h in history["awards_held"]] == ["9/QĐ-2015"]


async def test_a_history_lists_its_lines_in_the_order_they_happened(
    reporting: tuple[Any, httpx.AsyncClient],
) -> None:
    rt, http = reporting
    # Given dv-7's 2023 pledge recorded first, then its 2015 grant recorded in 2024
    await feed(rt, [ev.pledge(FED, "member", "dv-7", "bang-khen-ldld", A), old_grant()])
    # When its whole history is read
    history = await get(http, f"{HISTORY}/dv-7")
    # Then the 2015 grant comes before the 2023 pledge
    assert [(e["what"], e["happened_on"]) for e in history["entries"]] == [
        ("award-granted", "2015-12-22"),
        ("pledge-registered", "2023-02-01"),
    ]


async def test_a_history_table_from_before_happened_on_gets_it_filled_at_startup(
    reporting: tuple[Any, httpx.AsyncClient],
) -> None:
    rt, http = reporting
    # Given the 2015 grant's line in a history table as it was before `happened_on`
    await feed(rt, [old_grant()])
    schema = rt.settings.schema_name
    await rt.db.execute(f'ALTER TABLE "{schema}".history DROP COLUMN happened_on')
    # When reporting's read models are set up again, as at startup
    await rt.db.execute(SCHEMA_SQL.format(s=schema))
    # Then the line has the day it happened, from its decision, in the history as of 2020
    history = await get(http, f"{HISTORY}/dv-7", as_of="2020-12-31")
    assert [(e["what"], e["happened_on"]) for e in history["entries"]] == [("award-granted", "2015-12-22")]
