"""A unit that moves takes its whole subtree with it (issue 18): registration tells reporting of
the moved unit alone (and, for a code change, of the units directly under it), so the units
further down must be placed under the unit's new place by reporting itself, from the day of the
move, and stay where they were before it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.reporting.bootstrap import build_app, runtime
from shared.kernel.settings import ReportingSettings
from tests import reporting_events as ev
from tests.integration.test_reporting_reports import feed
from tests.support import Isolation, bearer, in_process

FED = "subtree"
TOP, A, B, X, Y, Z = "ld-top", "ld-a", "ld-b", "ld-x", "cd-y", "to-z"
TREE = f"/v1/federations/{FED}/reports/tree"
READER = bearer(FED, ["reader"])


def counted(unit: str, path: list[str], members: int) -> dict[str, Any]:
    data = {"federation": FED, "unit": unit, "unit_path": path, "counted_on": "2023-12-31"}
    data |= {"workers": members, "members": members, "reason": None}
    return ev.envelope("registration", "unit-headcount-recorded", data, subject=f"headcount:{FED}:{unit}")


def moved(code: str, kind: str, frm: list[str], to: list[str], on: str, version: int = 2) -> dict[str, Any]:
    event = ev.unit_moved(FED, code, frm, to, on, version=version)
    event["data"]["kind"] = kind
    return event


def tree() -> list[dict[str, Any]]:
    """ld-top > ld-a > ld-x > cd-y > to-z, and ld-b beside ld-a; 7 members counted in cd-y, 5 in
    to-z."""
    out = [ev.unit(FED, TOP, [TOP], kind="upper", effective_on="2019-01-01")]
    out += [ev.unit(FED, u, [TOP, u], kind="upper", effective_on="2019-01-01") for u in (A, B)]
    out.append(ev.unit(FED, X, [TOP, A, X], kind="upper", effective_on="2019-01-01"))
    out.append(ev.unit(FED, Y, [TOP, A, X, Y], kind="grassroots", effective_on="2019-01-01"))
    out.append(ev.unit(FED, Z, [TOP, A, X, Y, Z], kind="grassroots", effective_on="2019-01-01"))
    return [*out, counted(Y, [TOP, A, X, Y], 7), counted(Z, [TOP, A, X, Y, Z], 5)]


@pytest.fixture
async def reporting(isolation: Isolation) -> AsyncIterator[Any]:
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        yield rt, http


async def members_under(http: httpx.AsyncClient, unit: str, as_of: str) -> int:
    r = await http.get(TREE, params={"unit": unit, "as_of": as_of}, headers=READER)
    assert r.status_code == 200, r.text
    return int(r.json()["members"])


async def test_a_moved_unit_takes_its_grandchildren_from_the_day_of_the_move(reporting: Any) -> None:
    rt, http = reporting
    await feed(rt, [*tree(), moved(X, "upper", [TOP, A, X], [TOP, B, X], "2024-01-01")])
    assert await members_under(http, B, "2024-06-30") == 12
    assert await members_under(http, A, "2024-06-30") == 0


async def test_before_the_move_the_subtree_stays_where_it_was(reporting: Any) -> None:
    rt, http = reporting
    await feed(rt, [*tree(), moved(X, "upper", [TOP, A, X], [TOP, B, X], "2024-01-01")])
    assert await members_under(http, A, "2023-12-31") == 12
    assert await members_under(http, B, "2023-12-31") == 0


async def test_a_recoded_unit_keeps_the_units_below_its_subunits(reporting: Any) -> None:
    """Given ld-x recoded ld-x2 (registration moves cd-y, directly under it), then to-z, below
    cd-y, is counted under ld-x2 too."""
    rt, http = reporting
    x2 = "ld-x2"
    recoded = {"federation": FED, "code": X, "to_code": x2, "effective_on": "2024-01-01"}
    await feed(
        rt,
        [
            *tree(),
            ev.unit(FED, x2, [TOP, A, x2], kind="upper", effective_on="2024-01-01"),
            moved(Y, "grassroots", [TOP, A, X, Y], [TOP, A, x2, Y], "2024-01-01"),
            ev.envelope("registration", "unit-recoded", recoded, subject=f"unit:{FED}:{X}", version=2),
        ],
    )
    assert await members_under(http, x2, "2024-06-30") == 12


async def test_a_subunit_that_moved_away_before_is_not_taken_along(reporting: Any) -> None:
    """Given to-z moved under ld-b in 2020, when ld-x moves in 2024, to-z stays under ld-b."""
    rt, http = reporting
    await feed(
        rt,
        [
            *tree(),
            moved(Z, "grassroots", [TOP, A, X, Y, Z], [TOP, B, Z], "2020-01-01"),
            moved(X, "upper", [TOP, A, X], [TOP, B, X], "2024-01-01"),
        ],
    )
    assert await members_under(http, X, "2024-06-30") == 7
    assert await members_under(http, B, "2024-06-30") == 12


async def test_a_unit_moved_out_before_its_parents_move_stays_where_it_went(reporting: Any) -> None:
    """Given ld-x moved under ld-b in 2024 and then cd-y, its subunit, moved under ld-a from
    2023 (a back-dated move told after), then cd-y and to-z, below it, stay under ld-a."""
    rt, http = reporting
    await feed(
        rt,
        [
            *tree(),
            moved(X, "upper", [TOP, A, X], [TOP, B, X], "2024-01-01"),
            moved(Y, "grassroots", [TOP, A, X, Y], [TOP, A, Y], "2023-06-01"),
        ],
    )
    assert await members_under(http, A, "2024-06-30") == 12
    assert await members_under(http, B, "2024-06-30") == 0


N = "ld-n"  # a unit beside ld-a and ld-b, that ld-b moves under


async def test_a_unit_moved_back_dated_under_a_unit_that_moved_later_follows_its_new_parent(
    reporting: Any,
) -> None:
    """Given ld-b moved under ld-n from 2024, when ld-x (12 members below it) is moved under
    ld-b from 2023-06 (a back-dated move told after), then from 2024 ld-x and its subtree are
    counted under ld-n, and before 2024 under ld-b alone."""
    rt, http = reporting
    await feed(
        rt,
        [
            *tree(),
            ev.unit(FED, N, [TOP, N], kind="upper", effective_on="2019-01-01"),
            moved(B, "upper", [TOP, B], [TOP, N, B], "2024-01-01"),
            moved(X, "upper", [TOP, A, X], [TOP, B, X], "2023-06-01"),
        ],
    )
    assert await members_under(http, N, "2024-06-30") == 12
    assert await members_under(http, N, "2023-12-31") == 0
    assert await members_under(http, B, "2023-12-31") == 12


async def test_a_unit_registered_back_dated_under_a_unit_that_moved_later_follows_it(
    reporting: Any,
) -> None:
    """Given ld-b moved under ld-n from 2024, when cd-q is registered under ld-b from 2022 (told
    after the move), then from 2024 its members are counted under ld-n."""
    rt, http = reporting
    q = "cd-q"
    await feed(
        rt,
        [
            *tree(),
            ev.unit(FED, N, [TOP, N], kind="upper", effective_on="2019-01-01"),
            moved(B, "upper", [TOP, B], [TOP, N, B], "2024-01-01"),
            ev.unit(FED, q, [TOP, B, q], kind="grassroots", effective_on="2022-01-01"),
            counted(q, [TOP, B, q], 4),
        ],
    )
    assert await members_under(http, N, "2024-06-30") == 4
    assert await members_under(http, N, "2023-12-31") == 0
