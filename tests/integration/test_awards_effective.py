"""Registration's departures and moves take effect in awards on their effective date: a member
who leaves on 2025-07-01 still counts for 2024, and a move dated in the future waits for it.
Each test one behaviour."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from services.awards.adapters.registration_facts import RegistrationFacts
from services.awards.bootstrap import build_app, parts_of, runtime
from shared.kernel import clock
from shared.kernel.settings import AwardsSettings
from shared.ops.runtime import Runtime
from tests.integration.awards_http import URL, registration
from tests.support import Isolation, bearer, in_process

ADMIN = bearer("bac-kan")
LATER = (clock.today() + timedelta(days=60)).isoformat()


def unit(code: str, ancestry: list[str]) -> dict[str, Any]:
    return registration(
        "unit-registered", {"code": code, "name": code, "kind": "grassroots", "ancestry": ancestry}
    )


def member(code: str, unit: str, path: list[str]) -> dict[str, Any]:
    data = {"code": code, "full_name": code, "unit": unit, "unit_path": path}
    return registration("member-registered", data)


@dataclass
class Awards:
    """Given awards over HTTP, knowing units tp, cdcs-a, cdcs-b and members dv-0 to dv-3 of cdcs-a."""

    http: httpx.AsyncClient
    facts: RegistrationFacts
    rt: Runtime

    async def handle(self, *events: dict[str, Any]) -> None:
        async with self.rt.db.acquire() as conn, conn.transaction():
            for e in events:
                await self.facts.handle(conn, e)

    async def members(self, year: int, on: str) -> int:
        """How many members cdcs-a's verdict for `year` on `on` counts."""
        query = f"subject_kind=unit&subject_code=cdcs-a&award=ttldtt&year={year}&on={on}"
        r = await self.http.get(f"{URL}/eligibility?{query}", headers=ADMIN)
        assert r.status_code == 200, r.text
        clause = next(c for c in r.json()["clauses"] if "members" in c["facts_used"])
        return int(clause["facts_used"]["members"])

    async def rate_dv_1(self, clerk: dict[str, str]) -> int:
        """The status of a clerk's rating of dv-1: 201, or 422 for a member outside their unit."""
        rating = {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "rating": "good"}
        return (await self.http.post(f"{URL}/ratings", json=rating, headers=clerk)).status_code


@contextlib.asynccontextmanager
async def awards(isolation: Isolation) -> AsyncIterator[Awards]:
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        given = Awards(http, parts_of(rt).facts, rt)
        await given.handle(
            registration(
                "unit-registered", {"code": "tp", "name": "TP", "kind": "upper", "ancestry": ["tp"]}
            ),
            unit("cdcs-a", ["tp", "cdcs-a"]),
            unit("cdcs-b", ["tp", "cdcs-b"]),
            *(member(f"dv-{i}", "cdcs-a", ["tp", "cdcs-a"]) for i in range(4)),
        )
        yield given


LEFT = {"full_name": "x", "unit": "cdcs-a"}
CLERK_A, CLERK_B = bearer("bac-kan/tp/cdcs-a", ["clerk"]), bearer("bac-kan/tp/cdcs-b", ["clerk"])
TRANSFER = {"full_name": "dv-1", "from_unit": "cdcs-a", "unit": "cdcs-b", "unit_path": ["tp", "cdcs-b"]}
MOVED = {
    "code": "cdcs-a",
    "name": "cdcs-a",
    "kind": "grassroots",
    "from_parent": "tp",
    "to_parent": "cdcs-b",
    "previous_ancestry": ["tp", "cdcs-a"],
    "ancestry": ["tp", "cdcs-b", "cdcs-a"],
    "effective_on": LATER,
}


async def test_a_member_who_left_still_counts_for_the_years_before_they_left(isolation: Isolation) -> None:
    async with awards(isolation) as given:
        await given.handle(
            registration("member-left", {"code": "dv-3", **LEFT, "effective_on": "2025-07-01"}, 2)
        )
        assert await given.members(2024, "2025-12-01") == 4  # dv-3 left in 2025: still a member of 2024
        assert await given.members(2025, "2025-12-01") == 3


async def test_a_departure_dated_later_counts_only_from_its_date(isolation: Isolation) -> None:
    async with awards(isolation) as given:
        await given.handle(registration("member-left", {"code": "dv-2", **LEFT, "effective_on": LATER}, 2))
        assert await given.members(clock.today().year, clock.today().isoformat()) == 4  # not yet gone
        assert await given.members(clock.today().year + 1, LATER) == 3


async def test_a_transfer_dated_later_leaves_the_member_in_its_unit_until_then(isolation: Isolation) -> None:
    async with awards(isolation) as given:
        await given.handle(
            registration("member-transferred", {"code": "dv-1", **TRANSFER, "effective_on": LATER}, 3)
        )
        assert await given.rate_dv_1(CLERK_A) == 201
        # not (yet) clerk_b's member: answered as one awards never heard of (I5)
        assert await given.rate_dv_1(CLERK_B) == 422


async def test_a_unit_move_dated_later_leaves_its_members_where_they_were_until_then(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as given:
        await given.handle(registration("unit-moved", MOVED, 2))
        assert await given.rate_dv_1(CLERK_B) == 422
        outside = await given.facts.outsides("bac-kan", [("member", "dv-0")])
        assert outside[("member", "dv-0")].unit_path == ["tp", "cdcs-a"]


async def test_a_transfer_and_a_move_dated_later_both_apply_on_their_day(isolation: Isolation) -> None:
    async with awards(isolation) as given:
        await given.handle(
            registration("member-transferred", {"code": "dv-1", **TRANSFER, "effective_on": LATER}, 3)
        )
        await given.handle(registration("unit-moved", MOVED, 2))
        given.facts.today = lambda: date.fromisoformat(LATER)  # the day comes
        assert await given.rate_dv_1(CLERK_A) == 422
        assert await given.rate_dv_1(CLERK_B) == 201
        outside = await given.facts.outsides("bac-kan", [("unit", "cdcs-a"), ("member", "dv-0")])
        assert outside[("unit", "cdcs-a")].unit_path == ["tp", "cdcs-b", "cdcs-a"]
        assert outside[("member", "dv-0")].unit_path == ["tp", "cdcs-b", "cdcs-a"]
