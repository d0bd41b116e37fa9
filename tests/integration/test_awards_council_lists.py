"""What the console needs of awards' councils and decisions, over HTTP on the real PostgreSQL,
one behaviour each: the councils list (and a member's own), a member stepping aside from a
nomination, whether a secret ballot's key is still held, the decisions list with its counts and
a decision's grants, and what a unit's clerk sees of them."""

from __future__ import annotations

from pydantic import SecretStr

from services.awards.bootstrap import build_app, runtime
from shared.kernel.settings import AwardsSettings
from tests.integration.awards_http import ADMIN, URL, VOTES, F, awards, granted, nominated, ok
from tests.support import Isolation, bearer, eventually, in_process


async def test_the_councils_list_shows_a_convened_council_and_whether_it_resolved(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)

        async def open_council() -> None:
            page = await ok(await http.get(f"{URL}/councils?year=2025", headers=ADMIN), 200)
            assert [(c["code"], c["resolved"], c["nominations"]) for c in page["items"]] == [
                ("hd-2025", False, [nomination["id"]])
            ]

        await eventually(open_council)
        for user in ("u0", "u1"):
            ballot = {"nomination": nomination["id"], "choice": "yes"}
            await ok(await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub=user)))
        await ok(await http.post(f"{URL}/councils/hd-2025:resolve", headers=ADMIN), 200)

        async def resolved() -> None:
            page = await ok(await http.get(f"{URL}/councils?resolved=true", headers=ADMIN), 200)
            assert [c["code"] for c in page["items"]] == ["hd-2025"]

        await eventually(resolved)


async def test_a_member_finds_only_the_councils_they_sit_on(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        await nominated(http)

        async def listed() -> None:
            mine = await ok(await http.get(f"{URL}/councils?member=u0", headers=ADMIN), 200)
            assert [c["code"] for c in mine["items"]] == ["hd-2025"]

        await eventually(listed)
        other = await ok(await http.get(f"{URL}/councils?member=someone-else", headers=ADMIN), 200)
    assert other["items"] == []


async def test_a_member_who_steps_aside_cannot_vote_and_is_not_counted(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
        council = {
            "code": "hd-b",
            "name": "Hội đồng",
            "year": 2025,
            "meets_on": "2025-12-05",
            "quorum": 1,
            "members": [{"user": f"u{i}", "name": f"U{i}"} for i in range(3)],
            "nominations": [nomination["id"]],
        }
        await ok(await http.post(f"{URL}/councils", json=council, headers=ADMIN))
        votes = f"{URL}/councils/hd-b/votes"
        step_aside = {"nomination": nomination["id"], "reason": "Người thân của người được đề nghị"}
        u1 = bearer(F, ["council"], sub="u1")
        await ok(await http.post(f"{URL}/councils/hd-b/recusals", json=step_aside, headers=u1))
        refused = await http.post(votes, json={"nomination": nomination["id"], "choice": "yes"}, headers=u1)
        council_now = await ok(await http.get(f"{URL}/councils/hd-b", headers=ADMIN), 200)
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        for user in ("u0", "u2"):
            await ok(await http.post(votes, json=ballot, headers=bearer(F, ["council"], sub=user)))
        resolved = await ok(await http.post(f"{URL}/councils/hd-b:resolve", headers=ADMIN), 200)
    assert refused.status_code == 403
    assert council_now["recusals"] == [{"user": "u1", "nomination": nomination["id"]}]
    result = resolved["results"][0]
    assert (result["yes"], result["members"], result["passed"]) == (2, 2, True)


async def test_a_member_cannot_step_aside_after_voting(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
        u0 = bearer(F, ["council"], sub="u0")
        await ok(await http.post(VOTES, json={"nomination": nomination["id"], "choice": "no"}, headers=u0))
        late = await http.post(
            f"{URL}/councils/hd-2025/recusals", json={"nomination": nomination["id"]}, headers=u0
        )
    assert late.status_code == 409


async def test_only_a_council_member_steps_aside_and_staff_cannot_for_them(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
        body = {"nomination": nomination["id"]}
        by_staff = await http.post(f"{URL}/councils/hd-2025/recusals", json=body, headers=ADMIN)
        stranger = await http.post(
            f"{URL}/councils/hd-2025/recusals", json=body, headers=bearer(F, ["council"], sub="nobody")
        )
    assert by_staff.status_code == 403 and stranger.status_code == 403


async def test_a_secret_ballots_key_is_held_after_a_restart_and_missing_under_another_kek(
    isolation: Isolation,
) -> None:
    settings = isolation.settings(AwardsSettings)
    async with awards(isolation) as http:
        nomination = await nominated(http)
        council = {
            "code": "hd-kin",
            "name": "Hội đồng (bỏ phiếu kín)",
            "year": 2025,
            "meets_on": "2025-12-05",
            "quorum": 1,
            "secret_ballot": True,
            "members": [{"user": "u0", "name": "U0"}],
            "nominations": [nomination["id"]],
        }
        await ok(await http.post(f"{URL}/councils", json=council, headers=ADMIN))
        held = await ok(await http.get(f"{URL}/councils/hd-kin", headers=ADMIN), 200)
        assert held["ballot_key_held"] is True
        open_ballot = await ok(await http.get(f"{URL}/councils/hd-2025", headers=ADMIN), 200)
        assert "ballot_key_held" not in open_ballot
    async with in_process(runtime(settings, frozenset({"api"})), build_app) as http:
        after = await ok(await http.get(f"{URL}/councils/hd-kin", headers=ADMIN), 200)
    assert after["ballot_key_held"] is True  # stored wrapped: any instance with the KEK opens it
    other = settings.model_copy(update={"ballot_kek": SecretStr("another deployment's passphrase")})
    async with in_process(runtime(other, frozenset({"api"})), build_app) as http:
        elsewhere = await ok(await http.get(f"{URL}/councils/hd-kin", headers=ADMIN), 200)
    assert elsewhere["ballot_key_held"] is False


async def test_the_decisions_list_counts_grants_and_a_decision_lists_its_grants(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await granted(http)

        async def listed() -> None:
            page = await ok(await http.get(f"{URL}/decisions?year=2025", headers=ADMIN), 200)
            assert [(d["number"], d["grants"], d["revoked"]) for d in page["items"]] == [("45/QĐ-LĐLĐ", 1, 0)]

        await eventually(listed)
        decision = (await ok(await http.get(f"{URL}/decisions", headers=ADMIN), 200))["items"][0]
        assert decision["signed_on"] == "2025-12-10" and decision["signer"] == "Hoàng Thị Thu"
        grants = await ok(await http.get(f"{URL}/grants?decision={decision['id']}", headers=ADMIN), 200)
        assert [(g["nomination"], g["decision"]) for g in grants["items"]] == [
            (nomination["id"], decision["id"])
        ]
        revoke = {"reason": "Khai man thành tích", "reference": "46/QĐ-LĐLĐ"}
        grant_id = grants["items"][0]["grant_id"]
        await ok(await http.post(f"{URL}/grants/{grant_id}:revoke", json=revoke, headers=ADMIN), 200)

        async def counted() -> None:
            page = await ok(await http.get(f"{URL}/decisions", headers=ADMIN), 200)
            assert [(d["grants"], d["revoked"]) for d in page["items"]] == [(1, 1)]

        await eventually(counted)
        bad = await http.get(f"{URL}/grants?decision=not-a-uuid", headers=ADMIN)
    assert bad.status_code == 422


async def test_a_unit_clerk_sees_only_decisions_with_a_grant_in_its_subtree(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        await granted(http)

        async def listed() -> None:
            page = await ok(await http.get(f"{URL}/decisions", headers=ADMIN), 200)
            assert len(page["items"]) == 1

        await eventually(listed)
        own = await ok(await http.get(f"{URL}/decisions", headers=bearer(f"{F}/tp/cdcs-a", ["clerk"])), 200)
        other = await ok(await http.get(f"{URL}/decisions", headers=bearer(f"{F}/tp/cdcs-b", ["clerk"])), 200)
        councils = await ok(
            await http.get(f"{URL}/councils", headers=bearer(f"{F}/tp/cdcs-a", ["clerk"])), 200
        )
    assert [d["grants"] for d in own["items"]] == [1] and other["items"] == []
    assert councils["items"] == []  # two of its members sit in no unit of the subtree
