"""The nomination → council → decision path over HTTP, each test one behaviour: the verdict a
nomination carries, the council's votes (recusal, a second vote, votes at once), the decision's
grant and its events in order, the lists, and what a unit's clerk sees of it."""

from __future__ import annotations

import asyncio

import httpx

from tests.integration.awards_http import ADMIN, URL, VOTES, F, awards, granted, nominated, ok
from tests.support import Isolation, bearer, eventually


async def test_a_nomination_carries_its_verdict_and_its_subjects_place(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
    assert nomination["eligible"] and nomination["unit_path"] == ["tp", "cdcs-a"]


async def test_a_member_cannot_vote_on_their_own_nomination(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        recused = await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub="an"))
    assert recused.status_code == 403


async def test_a_second_vote_by_the_same_member_is_refused(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        await ok(await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub="u0")))
        twice = await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub="u0"))
    assert twice.status_code == 409


async def test_a_council_resolves_with_the_members_who_voted(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        for user in ("u0", "u1"):
            await ok(await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub=user)))
        resolved = await ok(await http.post(f"{URL}/councils/hd-2025:resolve", headers=ADMIN), 200)
    assert resolved["results"][0]["passed"] and resolved["results"][0]["members"] == 2


async def test_a_decision_grants_the_passed_nomination_and_publishes_the_path_in_order(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await granted(http)
        feed = await ok(await http.get(f"{URL}/events?limit=100", headers=ADMIN), 200)
    kinds = [e["type"].split(".")[2] for e in feed["events"]]
    assert kinds == [
        "rating-recorded",
        "nomination-submitted",
        "council-resolved",
        "decision-issued",
        "award-granted",
    ]
    granted_data = feed["events"][-1]["data"]
    assert granted_data["nomination"] == nomination["id"] and granted_data["bonus_coefficient"] == 0.3
    assert granted_data["subject_name"] == "Nguyễn Văn An" and granted_data["occasion"] == "regular"


async def test_the_lists_show_the_passed_nomination_and_its_grant(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await granted(http)

        async def listed() -> None:
            page = await ok(await http.get(f"{URL}/nominations?year=2025", headers=ADMIN), 200)
            assert [(n["nomination"], n["passed"]) for n in page["items"]] == [(nomination["id"], True)]
            grants = await ok(await http.get(f"{URL}/grants?subject_code=dv-1", headers=ADMIN), 200)
            assert [(g["award"], g["nomination"]) for g in grants["items"]] == [("ldtt", nomination["id"])]

        await eventually(listed)


async def test_a_unit_clerk_sees_only_its_own_subtrees_verdicts_nominations_and_grants(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await granted(http)
        await eventually(lambda: _listed_once(http))
        other_unit = bearer(f"{F}/tp/cdcs-b", ["clerk"])
        own_unit = bearer(f"{F}/tp/cdcs-a", ["clerk"])
        query = "subject_kind=member&subject_code=dv-1&award=ldtt&year=2025"
        assert (await http.get(f"{URL}/eligibility?{query}", headers=other_unit)).status_code == 422
        assert (await http.get(f"{URL}/eligibility?{query}", headers=own_unit)).status_code == 200
        assert (
            await http.get(f"{URL}/nominations/{nomination['id']}", headers=other_unit)
        ).status_code == 404
        assert (await http.get(f"{URL}/nominations/{nomination['id']}", headers=own_unit)).status_code == 200
        assert (await ok(await http.get(f"{URL}/grants", headers=other_unit), 200))["items"] == []
        assert len((await ok(await http.get(f"{URL}/grants", headers=own_unit), 200))["items"]) == 1
        assert (await ok(await http.get(f"{URL}/nominations", headers=other_unit), 200))["items"] == []


async def _listed_once(http: httpx.AsyncClient) -> None:
    """The grant has reached the lists (they are projected a moment after the store)."""
    grants = await ok(await http.get(f"{URL}/grants?subject_code=dv-1", headers=ADMIN), 200)
    assert len(grants["items"]) == 1


async def test_members_voting_at_once_are_all_counted_and_a_second_vote_is_refused(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await ok(
            await http.post(
                f"{URL}/nominations",
                json={"subject_kind": "member", "subject_code": "dv-2", "award": "ldtt", "year": 2025},
                headers=ADMIN,
            )
        )
        council = {
            "code": "hd",
            "name": "Hội đồng",
            "year": 2025,
            "meets_on": "2025-12-05",
            "quorum": 8,
            "secret_ballot": True,
            "members": [{"user": f"u{i}", "name": f"U{i}"} for i in range(8)],
            "nominations": [nomination["id"]],
        }
        await ok(await http.post(f"{URL}/councils", json=council, headers=ADMIN))
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        voters = [f"u{i}" for i in range(8)] + ["u0", "u0"]
        answers = await asyncio.gather(
            *(
                http.post(f"{URL}/councils/hd/votes", json=ballot, headers=bearer(F, ["council"], sub=u))
                for u in voters
            )
        )
        codes = sorted(r.status_code for r in answers)
        assert codes == [201] * 8 + [409] * 2, [r.text for r in answers]
        resolved = await ok(await http.post(f"{URL}/councils/hd:resolve", headers=ADMIN), 200)
        assert resolved["results"][0]["yes"] == 8 and resolved["results"][0]["passed"] is True
