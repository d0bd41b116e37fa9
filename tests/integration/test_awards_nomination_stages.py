"""The nominations list narrowed to where each nomination stands (what the console's council and
approver pages and its home page ask for, instead of reading the whole year): waiting for a
council, on a council still voting, passed and not yet granted; over HTTP on real PostgreSQL."""

from __future__ import annotations

import httpx

from tests.integration.awards_http import ADMIN, URL, VOTES, F, awards, nominated, ok
from tests.support import Isolation, bearer, eventually

WAITING = "state=submitted&outcome=pending&on_open_council=false"
ON_COUNCIL = "state=submitted&outcome=pending&on_open_council=true"
TO_GRANT = "state=submitted&outcome=passed&granted=false"
GRANTED = "outcome=passed&granted=true"


async def ids(http: httpx.AsyncClient, query: str, headers: dict[str, str] = ADMIN) -> list[str]:
    page = await ok(await http.get(f"{URL}/nominations?year=2025&{query}", headers=headers), 200)
    return [n["nomination"] for n in page["items"]]


async def test_a_nomination_on_a_council_still_voting_is_not_waiting_and_one_on_none_is(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        on_council = (await nominated(http))["id"]
        rating = {"subject_kind": "member", "subject_code": "dv-2", "year": 2025, "rating": "good"}
        await ok(await http.post(f"{URL}/ratings", json=rating, headers=ADMIN))
        body = {"subject_kind": "member", "subject_code": "dv-2", "award": "ldtt", "year": 2025}
        alone = (await ok(await http.post(f"{URL}/nominations", json=body, headers=ADMIN)))["id"]

        async def listed() -> None:
            assert await ids(http, WAITING) == [alone]
            assert await ids(http, ON_COUNCIL) == [on_council]
            assert await ids(http, "outcome=pending") == [on_council, alone]

        await eventually(listed)
        assert await ids(http, TO_GRANT) == []


async def test_passed_and_not_yet_granted_until_a_decision_grants_it_and_again_once_revoked(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = (await nominated(http))["id"]
        for user in ("u0", "u1"):
            ballot = {"nomination": nomination, "choice": "yes"}
            await ok(await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub=user)))
        await ok(await http.post(f"{URL}/councils/hd-2025:resolve", headers=ADMIN), 200)

        async def passed() -> None:
            assert await ids(http, TO_GRANT) == [nomination]
            assert await ids(http, WAITING) == [] and await ids(http, ON_COUNCIL) == []
            assert await ids(http, "outcome=failed") == []

        await eventually(passed)
        decision = {
            "number": "45/QĐ-LĐLĐ",
            "signed_on": "2025-12-10",
            "signer": "Hoàng Thị Thu",
            "year": 2025,
            "grants": [{"nomination": nomination}],
        }
        issued = await ok(await http.post(f"{URL}/decisions", json=decision, headers=ADMIN))

        async def granted() -> None:
            assert await ids(http, TO_GRANT) == [] and await ids(http, GRANTED) == [nomination]

        await eventually(granted)
        grant_id = issued["grants"][0]["grant_id"] if "grants" in issued else None
        if grant_id is None:
            page = await ok(await http.get(f"{URL}/grants?year=2025", headers=ADMIN), 200)
            grant_id = page["items"][0]["grant_id"]
        revoke = {"reason": "Khai man thành tích", "reference": "46/QĐ-LĐLĐ"}
        await ok(await http.post(f"{URL}/grants/{grant_id}:revoke", json=revoke, headers=ADMIN), 200)

        async def revoked() -> None:
            assert await ids(http, TO_GRANT) == [nomination]

        await eventually(revoked)


async def test_the_filters_keep_to_the_callers_subtree_and_refuse_a_bad_value(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        await nominated(http)

        async def listed() -> None:
            assert len(await ids(http, ON_COUNCIL)) == 1

        await eventually(listed)
        other = await ids(http, ON_COUNCIL, bearer(f"{F}/tp/cdcs-b", ["clerk"]))
        own = await ids(http, ON_COUNCIL, bearer(f"{F}/tp/cdcs-a", ["clerk"]))
        bad = await http.get(f"{URL}/nominations?outcome=maybe", headers=ADMIN)
        foreign = await http.get(f"/v1/federations/ha-noi/nominations?{WAITING}", headers=ADMIN)
    assert other == [] and len(own) == 1
    assert bad.status_code == 422 and foreign.status_code in (403, 404)


async def test_with_total_counts_every_page_of_the_filtered_list(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        await nominated(http)
        rating = {"subject_kind": "member", "subject_code": "dv-2", "year": 2025, "rating": "good"}
        await ok(await http.post(f"{URL}/ratings", json=rating, headers=ADMIN))
        body = {"subject_kind": "member", "subject_code": "dv-2", "award": "ldtt", "year": 2025}
        await ok(await http.post(f"{URL}/nominations", json=body, headers=ADMIN))

        async def counted() -> None:
            query = f"{URL}/nominations?year=2025&state=submitted&limit=1&with_total=true"
            first = await ok(await http.get(query, headers=ADMIN), 200)
            assert first["total"] == 2 and len(first["items"]) == 1
            second = await ok(await http.get(f"{query}&after={first['next_after']}", headers=ADMIN), 200)
            assert second["total"] == 2  # every page's, not what is left
            waiting = await ok(await http.get(f"{query}&on_open_council=false", headers=ADMIN), 200)
            assert waiting["total"] == 1

        await eventually(counted)
        plain = await ok(await http.get(f"{URL}/nominations?year=2025", headers=ADMIN), 200)
        clerk = await ok(
            await http.get(f"{URL}/nominations?with_total=true", headers=bearer(f"{F}/tp/cdcs-a", ["clerk"])),
            200,
        )
    assert "total" not in plain
    assert clerk["total"] == 1  # dv-1 only: dv-2 is in another unit
