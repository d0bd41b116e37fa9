"""Registration's departures and moves take effect in awards on their effective date: a member
who leaves on 2025-07-01 still counts for 2024, and a move dated in the future waits for it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.awards.bootstrap import build_app, parts_of, runtime
from shared import clock
from shared.settings import AwardsSettings
from tests.integration.test_awards_api import URL, registration
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


async def test_departures_and_moves_wait_for_their_effective_date(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        directory = parts_of(rt).facts

        async def handle(*events: dict[str, Any]) -> None:
            async with rt.db.acquire() as conn, conn.transaction():
                for e in events:
                    await directory.handle(conn, e)

        async def members(year: int, on: str) -> int:
            query = f"subject_kind=unit&subject_code=cdcs-a&award=ttldtt&year={year}&on={on}"
            r = await http.get(f"{URL}/eligibility?{query}", headers=ADMIN)
            assert r.status_code == 200, r.text
            clause = next(c for c in r.json()["clauses"] if "members" in c["facts_used"])
            return int(clause["facts_used"]["members"])

        await handle(
            registration(
                "unit-registered", {"code": "tp", "name": "TP", "kind": "upper", "ancestry": ["tp"]}
            ),
            unit("cdcs-a", ["tp", "cdcs-a"]),
            unit("cdcs-b", ["tp", "cdcs-b"]),
            *(member(f"dv-{i}", "cdcs-a", ["tp", "cdcs-a"]) for i in range(4)),
        )
        left = {"full_name": "x", "unit": "cdcs-a"}
        await handle(
            registration("member-left", {"code": "dv-3", **left, "effective_on": "2025-07-01"}, 2),
            registration("member-left", {"code": "dv-2", **left, "effective_on": LATER}, 2),
        )
        assert await members(2024, "2025-12-01") == 4  # dv-3 left in 2025: still a member of 2024
        assert await members(2025, "2025-12-01") == 3
        assert await members(clock.today().year, clock.today().isoformat()) == 3  # dv-2 not yet gone
        assert await members(clock.today().year + 1, LATER) == 2

        transfer = {
            "full_name": "dv-1",
            "from_unit": "cdcs-a",
            "unit": "cdcs-b",
            "unit_path": ["tp", "cdcs-b"],
        }
        await handle(
            registration("member-transferred", {"code": "dv-1", **transfer, "effective_on": LATER}, 3)
        )
        clerk_a, clerk_b = bearer("bac-kan/tp/cdcs-a", ["clerk"]), bearer("bac-kan/tp/cdcs-b", ["clerk"])
        rating = {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "rating": "good"}
        assert (await http.post(f"{URL}/ratings", json=rating, headers=clerk_a)).status_code == 201
        # not (yet) clerk_b's member: answered as one awards never heard of (I5)
        assert (await http.post(f"{URL}/ratings", json=rating, headers=clerk_b)).status_code == 422

        moved = {
            "code": "cdcs-a",
            "name": "cdcs-a",
            "kind": "grassroots",
            "from_parent": "tp",
            "to_parent": "cdcs-b",
            "previous_ancestry": ["tp", "cdcs-a"],
            "ancestry": ["tp", "cdcs-b", "cdcs-a"],
            "effective_on": LATER,
        }
        await handle(registration("unit-moved", moved, 2))
        assert (await http.post(f"{URL}/ratings", json=rating, headers=clerk_b)).status_code == 422

        # The day comes: both apply.
        directory.today = lambda: date.fromisoformat(LATER)
        assert (await http.post(f"{URL}/ratings", json=rating, headers=clerk_a)).status_code == 422
        assert (await http.post(f"{URL}/ratings", json=rating, headers=clerk_b)).status_code == 201
        outside = await directory.outsides("bac-kan", [("unit", "cdcs-a"), ("member", "dv-0")])
        assert outside[("unit", "cdcs-a")].unit_path == ["tp", "cdcs-b", "cdcs-a"]
        assert outside[("member", "dv-0")].unit_path == ["tp", "cdcs-b", "cdcs-a"]
