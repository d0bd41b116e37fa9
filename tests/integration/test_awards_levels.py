"""Decisions at every level over HTTP, each test one behaviour: a unit's approver issues its
unit's decision (`unit:<code>`) for the unit's titles to its own subtree, and nothing else; the
federation's `ldld:<federation>` authority is accepted; the national union's council over
nominations forwarded by two federations passes them and its `tld` decision grants them; only
national staff reach the national union's inbox, councils and decisions."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from services.awards.bootstrap import build_app, parts_of, runtime
from shared.kernel.settings import AwardsSettings
from tests.integration.awards_http import ADMIN, URL, awards, nominated, ok, registration, seed
from tests.support import Isolation, bearer, eventually, in_process

CDCS_A_APPROVER = bearer("bac-kan/tp/cdcs-a", ["approver"])
DECISION = {"number": "7/QĐ-CĐCS", "signed_on": "2025-12-10", "signer": "Trần Văn Bình", "year": 2025}
NATIONAL = bearer("*")
FIELDS = lambda refused: [e["field"] for e in refused.json()["errors"]]  # noqa: E731


def direct(subject: str, award: str) -> dict[str, str]:
    return {"subject_kind": "member", "subject_code": subject, "award": award}


async def passed(http: httpx.AsyncClient) -> dict[str, Any]:
    """dv-1 (of cdcs-a) nominated for ldtt and passed by the federation's council."""
    nomination = await nominated(http)
    ballot = {"nomination": nomination["id"], "choice": "yes"}
    for user in ("u0", "u1"):
        votes = f"{URL}/councils/hd-2025/votes"
        await ok(await http.post(votes, json=ballot, headers=bearer("bac-kan", ["council"], sub=user)))
    await ok(await http.post(f"{URL}/councils/hd-2025:resolve", headers=ADMIN), 200)
    return nomination


async def test_a_unit_approver_issues_its_units_decision_granting_ldtt_to_a_member_of_its_unit(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await passed(http)
        decision = {**DECISION, "authority": "unit:cdcs-a", "grants": [{"nomination": nomination["id"]}]}
        issued = await ok(await http.post(f"{URL}/decisions", json=decision, headers=CDCS_A_APPROVER))
        grant_id = issued["grants"][0]["grant_id"]
        grant = await ok(await http.get(f"{URL}/grants/{grant_id}", headers=CDCS_A_APPROVER), 200)
    assert issued["authority"] == "unit:cdcs-a"
    assert (grant["subject_code"], grant["award"], grant["authority"]) == ("dv-1", "ldtt", "unit:cdcs-a")


async def test_a_unit_decision_without_authority_is_the_callers_unit(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        decision = {**DECISION, "grants": [direct("dv-1", "giay-khen")]}
        issued = await ok(await http.post(f"{URL}/decisions", json=decision, headers=CDCS_A_APPROVER))
    assert issued["authority"] == "unit:cdcs-a"


async def test_a_unit_approver_cannot_grant_the_federations_bang_khen(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        decision = {**DECISION, "authority": "unit:cdcs-a", "grants": [direct("dv-1", "bang-khen-ldld")]}
        refused = await http.post(f"{URL}/decisions", json=decision, headers=CDCS_A_APPROVER)
        decisions = await ok(await http.get(f"{URL}/decisions", headers=ADMIN), 200)
    assert refused.status_code == 422 and FIELDS(refused) == ["grants.0.award"]
    assert decisions["items"] == []


async def test_a_unit_approver_cannot_grant_to_another_units_member(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        other_member = {**DECISION, "authority": "unit:cdcs-a", "grants": [direct("dv-2", "giay-khen")]}
        as_member = await http.post(f"{URL}/decisions", json=other_member, headers=CDCS_A_APPROVER)
        other_unit = {**other_member, "authority": "unit:cdcs-b"}
        as_unit = await http.post(f"{URL}/decisions", json=other_unit, headers=CDCS_A_APPROVER)
    assert as_member.status_code == 422 and FIELDS(as_member) == ["grants.0.subject_code"]
    assert as_unit.status_code == 422 and FIELDS(as_unit) == ["authority"]


async def test_an_upper_unions_approver_grants_to_its_subtree_but_not_to_itself(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        upper = bearer("bac-kan/tp", ["approver"])
        below = {**DECISION, "authority": "unit:tp", "grants": [direct("dv-2", "giay-khen")]}
        issued = await ok(await http.post(f"{URL}/decisions", json=below, headers=upper))
        itself = {
            **below,
            "number": "8/QĐ-CĐCS",
            "grants": [{"subject_kind": "unit", "subject_code": "tp", "award": "giay-khen"}],
        }
        refused = await http.post(f"{URL}/decisions", json=itself, headers=upper)
    assert issued["grants"][0]["subject_code"] == "dv-2"
    assert refused.status_code == 422 and FIELDS(refused) == ["grants.0.subject_code"]


async def test_a_unit_approver_cannot_issue_the_federations_decision(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        decision = {**DECISION, "authority": "ldld:bac-kan", "grants": [direct("dv-1", "giay-khen")]}
        refused = await http.post(f"{URL}/decisions", json=decision, headers=CDCS_A_APPROVER)
    assert refused.status_code == 403 and FIELDS(refused) == ["authority"]


async def test_the_federation_authority_ldld_is_accepted_and_another_federations_refused(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        decision = {**DECISION, "authority": "ldld:bac-kan", "grants": [direct("dv-1", "bang-khen-ldld")]}
        issued = await ok(await http.post(f"{URL}/decisions", json=decision, headers=ADMIN))
        foreign = {**decision, "number": "9/QĐ-LĐLĐ", "authority": "ldld:cao-bang"}
        refused = await http.post(f"{URL}/decisions", json=foreign, headers=ADMIN)
    assert issued["authority"] == "ldld:bac-kan"
    assert refused.status_code == 422 and FIELDS(refused) == ["authority"]


async def test_the_federation_cannot_grant_the_national_unions_bang_khen(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        decision = {**DECISION, "grants": [direct("dv-1", "bang-khen-tld")]}
        refused = await http.post(f"{URL}/decisions", json=decision, headers=ADMIN)
    assert refused.status_code == 422 and FIELDS(refused) == ["grants.0.award"]


async def unit_nomination(http: httpx.AsyncClient, member: str) -> dict[str, Any]:
    """`member`, rated good for 2025, nominated for ldtt."""
    rating = {"subject_kind": "member", "subject_code": member, "year": 2025, "rating": "good"}
    await ok(await http.post(f"{URL}/ratings", json=rating, headers=ADMIN))
    body = {"subject_kind": "member", "subject_code": member, "award": "ldtt", "year": 2025}
    return await ok(await http.post(f"{URL}/nominations", json=body, headers=ADMIN))  # type: ignore[no-any-return]


UNIT_COUNCIL = {
    "code": "hd-cdcs-a-2025",
    "name": "Hội đồng TĐKT CĐCS A 2025",
    "year": 2025,
    "meets_on": "2025-12-05",
    "quorum": 2,
    "members": [{"user": f"m{i}", "name": f"M{i}", "unit_path": ["tp", "cdcs-a"]} for i in range(2)],
}


async def test_a_units_council_passes_its_subtrees_nomination_and_the_unit_grants_it(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await unit_nomination(http, "dv-1")
        unit_admin = bearer("bac-kan/tp/cdcs-a")
        council = {**UNIT_COUNCIL, "nominations": [nomination["id"]]}
        await ok(await http.post(f"{URL}/councils", json=council, headers=unit_admin))
        for user in ("m0", "m1"):
            ballot = {"nomination": nomination["id"], "choice": "yes"}
            votes = f"{URL}/councils/hd-cdcs-a-2025/votes"
            await ok(
                await http.post(
                    votes, json=ballot, headers=bearer("bac-kan/tp/cdcs-a", ["council"], sub=user)
                )
            )
        resolved = await ok(
            await http.post(f"{URL}/councils/hd-cdcs-a-2025:resolve", headers=unit_admin), 200
        )
        decision = {**DECISION, "grants": [{"nomination": nomination["id"]}]}
        issued = await ok(await http.post(f"{URL}/decisions", json=decision, headers=CDCS_A_APPROVER))
    assert resolved["results"][0]["passed"] is True
    assert (issued["authority"], issued["grants"][0]["award"]) == ("unit:cdcs-a", "ldtt")


async def test_a_units_council_takes_neither_another_units_nomination_nor_outside_members(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        theirs = await unit_nomination(http, "dv-2")
        ours = await unit_nomination(http, "dv-1")
        unit_admin = bearer("bac-kan/tp/cdcs-a")
        other_unit = {**UNIT_COUNCIL, "nominations": [theirs["id"]]}
        as_nomination = await http.post(f"{URL}/councils", json=other_unit, headers=unit_admin)
        outsider = {
            **UNIT_COUNCIL,
            "members": [{"user": "x", "name": "X"}],
            "quorum": 1,
            "nominations": [ours["id"]],
        }
        as_member = await http.post(f"{URL}/councils", json=outsider, headers=unit_admin)
    assert as_nomination.status_code == 404 and FIELDS(as_nomination) == ["nominations.0"]
    assert as_member.status_code == 403 and FIELDS(as_member) == ["members"]


# -- the national union ------------------------------------------------------------------------

OTHER = "cao-bang"
RULE = {
    "award": "bang-khen-tld",
    "rule_version": "test-2025",
    "effective_from": "2025-01-01",
    "clauses": [{"clause": "excellent", "rating": {"at_least": "excellent"}}],
}


@contextlib.asynccontextmanager
async def two_federations(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given awards over HTTP knowing Bắc Kạn's seeded units and members and Cao Bằng's."""
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(parts_of(rt).facts, rt.db)
        await seed_other(rt.db, parts_of(rt).facts)
        yield http


async def seed_other(pool: Any, facts: Any) -> None:
    """Cao Bằng's unit and member, as registration published them."""
    events = [
        registration(
            "unit-registered",
            {
                "federation": OTHER,
                "code": "cb-a",
                "name": "CĐCS CB",
                "kind": "grassroots",
                "ancestry": ["cb-a"],
            },
        ),
        registration(
            "member-registered",
            {
                "federation": OTHER,
                "code": "cb-1",
                "full_name": "Hoàng Văn Cường",
                "unit": "cb-a",
                "unit_path": ["cb-a"],
            },
        ),
    ]
    async with pool.acquire() as conn, conn.transaction():
        for envelope in events:
            await facts.handle(conn, envelope)


async def forwarded(http: httpx.AsyncClient, federation: str, member: str) -> dict[str, Any]:
    """`member`, rated excellent for 2025, nominated for the national union's Bằng khen, passed
    by its federation's council and forwarded to the national union."""
    url, admin = f"/v1/federations/{federation}", bearer(federation)
    await ok(await http.post(f"{url}/rules", json=RULE, headers=admin))
    rating = {"subject_kind": "member", "subject_code": member, "year": 2025, "rating": "excellent"}
    await ok(await http.post(f"{url}/ratings", json=rating, headers=admin))
    nomination = await ok(
        await http.post(
            f"{url}/nominations",
            json={"subject_kind": "member", "subject_code": member, "award": "bang-khen-tld", "year": 2025},
            headers=admin,
        )
    )
    council = {
        "code": "hd-2025",
        "name": "Hội đồng TĐKT 2025",
        "year": 2025,
        "meets_on": "2025-12-05",
        "quorum": 2,
        "members": [{"user": f"u{i}", "name": f"U{i}"} for i in range(2)],
        "nominations": [nomination["id"]],
    }
    await ok(await http.post(f"{url}/councils", json=council, headers=admin))
    for user in ("u0", "u1"):
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        votes = f"{url}/councils/hd-2025/votes"
        await ok(await http.post(votes, json=ballot, headers=bearer(federation, ["council"], sub=user)))
    await ok(await http.post(f"{url}/councils/hd-2025:resolve", headers=admin), 200)
    forward = f"{url}/nominations/{nomination['id']}:forward"
    await ok(await http.post(forward, json={"to": "national"}, headers=admin), 200)
    return nomination  # type: ignore[no-any-return]


async def national_council(http: httpx.AsyncClient, nominations: list[str], choice: str = "yes") -> dict:
    """The national union's council over `nominations`, each voted `choice` by n0 and n1, resolved."""
    council = {
        "code": "hd-tld-2025",
        "name": "Hội đồng TĐKT Tổng Liên đoàn 2025",
        "year": 2025,
        "meets_on": "2025-12-15",
        "quorum": 2,
        "members": [{"user": f"n{i}", "name": f"N{i}"} for i in range(2)],
        "nominations": nominations,
    }
    await ok(await http.post("/v1/national/councils", json=council, headers=NATIONAL))
    for user in ("n0", "n1"):
        votes = {"votes": [{"nomination": n, "choice": choice} for n in nominations]}
        member = bearer("*", ["council"], sub=user)
        await ok(await http.post("/v1/national/councils/hd-tld-2025/votes:batch", json=votes, headers=member))
    return await ok(await http.post("/v1/national/councils/hd-tld-2025:resolve", headers=NATIONAL), 200)  # type: ignore[no-any-return]


async def test_a_national_council_passes_two_federations_nominations_and_a_tld_decision_grants_them(
    isolation: Isolation,
) -> None:
    async with two_federations(isolation) as http:
        ours, theirs = await forwarded(http, "bac-kan", "dv-1"), await forwarded(http, OTHER, "cb-1")
        resolved = await national_council(http, [ours["id"], theirs["id"]])
        decision = {
            "number": "1500/QĐ-TLĐ",
            "signed_on": "2025-12-20",
            "signer": "Nguyễn Đình Khang",
            "year": 2025,
            "grants": [{"nomination": ours["id"]}, {"nomination": theirs["id"]}],
        }
        issued = await ok(await http.post("/v1/national/decisions", json=decision, headers=NATIONAL))
        grants = [
            await ok(
                await http.get(f"/v1/federations/{g['federation']}/grants/{g['grant_id']}", headers=NATIONAL),
                200,
            )
            for g in issued["grants"]
        ]
    assert [r["passed"] for r in resolved["results"]] == [True, True]
    assert [a["federation"] for a in resolved["agenda"]] == ["bac-kan", OTHER]
    assert issued["authority"] == "tld"
    assert [(g["federation"], g["subject_code"], g["award"], g["authority"]) for g in grants] == [
        ("bac-kan", "dv-1", "bang-khen-tld", "tld"),
        (OTHER, "cb-1", "bang-khen-tld", "tld"),
    ]


async def test_a_nomination_the_national_council_refused_is_not_granted(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        ours = await forwarded(http, "bac-kan", "dv-1")
        await national_council(http, [ours["id"]], choice="no")
        decision = {
            "number": "1501/QĐ-TLĐ",
            "signed_on": "2025-12-20",
            "signer": "Nguyễn Đình Khang",
            "year": 2025,
            "grants": [{"nomination": ours["id"]}],
        }
        refused = await http.post("/v1/national/decisions", json=decision, headers=NATIONAL)
    assert refused.status_code == 422 and FIELDS(refused) == ["grants.0.nomination"]


async def test_a_federation_clerk_reaches_neither_the_national_inbox_nor_its_councils(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        clerk, staff = bearer("bac-kan", ["clerk"]), bearer("bac-kan")
        inbox = await http.get("/v1/nominations/forwarded", headers=clerk)
        council = await http.get("/v1/national/councils/hd-tld-2025", headers=staff)
        decision = {**DECISION, "grants": [{"nomination": "00000000-0000-0000-0000-000000000000"}]}
        issued = await http.post("/v1/national/decisions", json=decision, headers=staff)
    assert (inbox.status_code, council.status_code, issued.status_code) == (403, 403, 403)


async def test_the_national_inbox_filters_by_federation_and_state(isolation: Isolation) -> None:
    async with two_federations(isolation) as http:
        await forwarded(http, "bac-kan", "dv-1")
        theirs = await forwarded(http, OTHER, "cb-1")

        async def both_listed() -> None:
            page = await ok(await http.get("/v1/nominations/forwarded", headers=NATIONAL), 200)
            assert len(page["items"]) == 2

        await eventually(both_listed)
        inbox = "/v1/nominations/forwarded"
        other = await ok(await http.get(inbox, params={"federation": OTHER}, headers=NATIONAL), 200)
        withdrawn = await ok(await http.get(inbox, params={"state": "withdrawn"}, headers=NATIONAL), 200)
    assert [n["nomination"] for n in other["items"]] == [theirs["id"]] and withdrawn["items"] == []
