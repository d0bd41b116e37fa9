"""People and role assignments with product-issued tokens, across the three services (issue 15).

Given the installation's first national admin (TDKT_FIRST_ADMIN_EMAIL), a federation `bac-kan`
with `tp-1` (upper) over `cdcs-a` and `cdcs-b`, and `cao-bang`; the national admin made An the
admin of `bac-kan`; An invited Lan and made her the clerk of `cdcs-a`. Every call carries a token
from registration's token exchange (development mode off: no HS256 token would be accepted)."""

from __future__ import annotations

from typing import Any

import jwt

from tests.integration.access_stack import AUDIENCE, ISSUER, ROOT_EMAIL, Stack, access_stack
from tests.support import Isolation

FED = "/v1/federations/bac-kan"
AN, LAN = "an@bac-kan.test", "lan@bac-kan.test"


async def _post(client: Any, path: str, body: dict, headers: dict, status: int = 201) -> dict:
    r = await client.post(path, json=body, headers=headers)
    assert r.status_code == status, (path, r.text)
    return r.json()  # type: ignore[no-any-return]


async def given_a_clerk_granted_by_a_federation_admin(stack: Stack) -> dict[str, Any]:
    root = await stack.as_person("root", ROOT_EMAIL)
    for code in ("bac-kan", "cao-bang"):
        await _post(stack.reg, "/v1/federations", {"code": code, "name": code}, root)
    for code, kind, parent in (
        ("tp-1", "upper", None),
        ("cdcs-a", "grassroots", "tp-1"),
        ("cdcs-b", "grassroots", "tp-1"),
    ):
        await _post(
            stack.reg, FED + "/units", {"code": code, "name": code, "kind": kind, "parent": parent}, root
        )
    an = await _post(stack.reg, FED + "/access/people", {"name": "An", "email": AN}, root)
    why = "Trưởng ban Tổ chức, quyết định 12/QĐ"
    await _post(
        stack.reg, FED + "/access/assignments", {"person": an["id"], "role": "admin", "reason": why}, root
    )
    an_token = await stack.as_person("an", AN)
    lan = await _post(stack.reg, FED + "/access/people", {"name": "Lan", "email": LAN}, an_token)
    granted = await _post(
        stack.reg,
        FED + "/access/assignments",
        {"person": lan["id"], "role": "clerk", "unit": "cdcs-a", "reason": "cán bộ công đoàn cơ sở"},
        an_token,
    )
    return {"root": root, "an": an_token, "an_id": an["id"], "lan_id": lan["id"], "granted": granted}


async def test_a_federation_admins_grant_gives_exactly_that_subtree_and_those_actions_in_every_service(
    isolation: Isolation,
) -> None:
    async with access_stack(isolation) as stack:
        given = await given_a_clerk_granted_by_a_federation_admin(stack)
        # When Lan signs in under her assignment
        answer = await stack.sign_in("lan", LAN)
        lan = {"Authorization": f"Bearer {answer['access_token']}"}
        # Then the token carries the contract's claims, short-lived, signed with a published key
        claims = jwt.decode(answer["access_token"], options={"verify_signature": False})
        header = jwt.get_unverified_header(answer["access_token"])
        assert (claims["sub"], claims["scope"], claims["roles"]) == (
            given["lan_id"],
            "bac-kan/tp-1/cdcs-a",
            ["clerk"],
        )
        assert (claims["iss"], claims["aud"]) == (ISSUER, AUDIENCE)
        assert claims["assignment"] == given["granted"]["assignment"]["id"]
        assert claims["exp"] - claims["iat"] <= 600 and header["alg"] == "RS256"
        kids = [k["kid"] for k in (await stack.reg.get("/.well-known/jwks.json")).json()["keys"]]
        assert header["kid"] in kids
        # registration: her unit yes, the sibling as if it did not exist, a staff action no
        member = {"code": "dv-1", "full_name": "Nguyễn Văn Một", "unit": "cdcs-a"}
        assert (await stack.reg.post(FED + "/members", json=member, headers=lan)).status_code == 201
        sibling = {"code": "dv-2", "full_name": "Trần Hai", "unit": "cdcs-b"}
        assert (await stack.reg.post(FED + "/members", json=sibling, headers=lan)).status_code == 404
        assert (await stack.reg.get(FED + "/units/cdcs-b", headers=lan)).status_code == 404
        assert (await stack.reg.get(FED + "/units/cdcs-a", headers=lan)).status_code == 200
        assert (await stack.reg.get("/v1/federations/cao-bang", headers=lan)).status_code == 404
        # awards: reads inside, a decision (not a clerk's) refused, another federation unknown
        assert (await stack.awards.get(FED + "/nominations", headers=lan)).status_code == 200
        grants = [{"subject_kind": "member", "subject_code": "dv-1", "award": "bang-khen-ldld"}]
        decision = {
            "number": "1/QĐ",
            "signed_on": "2024-12-01",
            "signer": "X",
            "year": 2024,
            "grants": grants,
        }
        refused = await stack.awards.post(FED + "/decisions", json=decision, headers=lan)
        assert refused.status_code == 403, refused.text
        assert (
            await stack.awards.get("/v1/federations/cao-bang/nominations", headers=lan)
        ).status_code == 404
        # reporting: the federation's reports for her subtree, not another federation's
        report = await stack.reporting.get(FED + "/reports/registrations", params={"year": 2024}, headers=lan)
        assert report.status_code == 200, report.text
        other = "/v1/federations/cao-bang/reports/registrations"
        assert (await stack.reporting.get(other, params={"year": 2024}, headers=lan)).status_code == 404


async def test_a_revoked_assignment_gets_no_new_token(isolation: Isolation) -> None:
    async with access_stack(isolation) as stack:
        given = await given_a_clerk_granted_by_a_federation_admin(stack)
        assignment = given["granted"]["assignment"]["id"]
        id_token = stack.provider.id_token("lan", LAN)
        assert (await stack.exchange(id_token, assignment)).status_code == 200
        # When An revokes it
        await _post(
            stack.reg,
            f"/v1/access/assignments/{assignment}:revoke",
            {"reason": "chuyển công tác"},
            given["an"],
            200,
        )
        # Then the exchange refuses it, and lists nothing left to choose
        refused = await stack.exchange(id_token, assignment)
        assert refused.status_code == 403 and "revoked" in refused.json()["detail"], refused.text
        assert (await stack.exchange(id_token)).json()["assignments"] == []


async def test_an_admin_cannot_grant_or_revoke_beyond_their_own_scope(isolation: Isolation) -> None:
    async with access_stack(isolation) as stack:
        given = await given_a_clerk_granted_by_a_federation_admin(stack)
        an, root = given["an"], given["root"]
        # a unit admin of cdcs-a, granted by An
        tam = await _post(stack.reg, FED + "/access/people", {"name": "Tâm", "email": "tam@x.test"}, an)
        grant = {"person": tam["id"], "role": "admin", "unit": "cdcs-a", "reason": "chủ tịch CĐCS"}
        await _post(stack.reg, FED + "/access/assignments", grant, an)
        tam_token = await stack.as_person("tam", "tam@x.test")
        lan_token = await stack.as_person("lan", LAN)
        before = await stack.heads()
        person = given["lan_id"]
        cases = [
            (an, "/v1/federations/cao-bang/access/assignments", {}, 404),  # another federation
            (an, "/v1/access/assignments", {}, 403),  # national
            (tam_token, FED + "/access/assignments", {}, 403),  # the whole federation, from a unit
            (tam_token, FED + "/access/assignments", {"unit": "cdcs-b"}, 404),  # a sibling unit
            (tam_token, FED + "/access/assignments", {"unit": "tp-1"}, 404),  # the unit above
            (lan_token, FED + "/access/assignments", {"unit": "cdcs-a"}, 403),  # a clerk
        ]
        for headers, path, where, status in cases:
            body = {"person": person, "role": "approver", "reason": "thử", **where}
            r = await stack.reg.post(path, json=body, headers=headers)
            assert r.status_code == status, (path, where, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
        # nor revoke what lies above them: An's own federation-wide admin, from the unit admin
        an_assignment = (await stack.reg.get(f"/v1/access/people/{given['an_id']}", headers=root)).json()
        an_admin = an_assignment["assignments"][0]["id"]
        r = await stack.reg.post(
            f"/v1/access/assignments/{an_admin}:revoke", json={"reason": "x"}, headers=tam_token
        )
        assert r.status_code == 404, r.text
        assert await stack.heads() == before, "a refused grant changed the log"
        # while inside it the unit admin may grant
        inside = {"person": person, "role": "reader", "unit": "cdcs-a", "reason": "xem báo cáo"}
        await _post(stack.reg, FED + "/access/assignments", inside, tam_token)


async def test_every_grant_and_revocation_is_in_the_access_history_with_who_and_why(
    isolation: Isolation,
) -> None:
    async with access_stack(isolation) as stack:
        given = await given_a_clerk_granted_by_a_federation_admin(stack)
        assignment = given["granted"]["assignment"]["id"]
        revoke = f"/v1/access/assignments/{assignment}:revoke"
        await _post(stack.reg, revoke, {"reason": "nghỉ hưu"}, given["an"], 200)
        await stack.exchange(stack.provider.id_token("lan", LAN))  # her first sign-in links her
        # When the national admin reads Lan's history
        r = await stack.reg.get(f"/v1/access/people/{given['lan_id']}/history", headers=given["root"])
        assert r.status_code == 200, r.text
        lines = r.json()["history"]
        # Then each change is there, oldest first, with who, when and why
        assert [line["event"] for line in lines] == [
            "person-invited",
            "access-granted",
            "access-revoked",
            "person-linked",
        ]
        granted, revoked = lines[1], lines[2]
        assert (
            granted["by"] == {"id": given["an_id"], "name": "An"}
            and granted["reason"] == "cán bộ công đoàn cơ sở"
        )
        assert granted["data"]["scope"] == "bac-kan/tp-1/cdcs-a" and granted["data"]["role"] == "clerk"
        assert revoked["by"]["name"] == "An" and revoked["reason"] == "nghỉ hưu" and revoked["at"]
        # and the auditor's question: who could act in cdcs-a today, and who allowed it
        ask = {"action": "pledge.submit", "unit": "cdcs-a"}
        r = await stack.reg.get(FED + "/access/who-could", params=ask, headers=given["root"])
        holders = {(h["person"]["name"], h["granted_by"]["name"]) for h in r.json()["holders"]}
        assert ("Lan", "An") in holders and ("An", ROOT_EMAIL) in holders, r.text
