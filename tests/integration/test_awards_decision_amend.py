"""A decision amended (lines added, removed, a name corrected) and cancelled (issue 18): removed
and cancelled grants count as never granted for the rules, apart from revocations; a cancelled
decision refuses amendment; only who issues the decision's authority changes it; bad input names
its field and changes nothing."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.awards_http import (
    ADMIN,
    DECISION,
    URL,
    VOTES,
    awards,
    eligibility,
    nominated,
    ok,
    rated,
)
from tests.integration.test_awards_documents import code_on_certificate, verified
from tests.integration.test_awards_documents import issued as printed
from tests.support import Isolation, bearer, eventually

WHY = {"reason": "Bổ sung theo Tờ trình số 45/TTr-LĐLĐ"}


def direct(code: str) -> dict[str, Any]:
    return {"subject_kind": "member", "subject_code": code, "award": "bang-khen-ldld"}


async def issued(http: httpx.AsyncClient, body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The decision as issued, and its ETag."""
    decision = await ok(await http.post(f"{URL}/decisions", json=body, headers=ADMIN))
    r = await http.get(f"{URL}/decisions/{decision['id']}", headers=ADMIN)
    return decision, r.headers["etag"]


async def passed(http: httpx.AsyncClient) -> dict[str, Any]:
    """dv-1's ldtt nomination for 2025, passed by its council."""
    nomination = await nominated(http)
    for user in ("u0", "u1"):
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        await ok(await http.post(VOTES, json=ballot, headers=bearer("bac-kan", ["council"], sub=user)))
    await ok(await http.post(f"{URL}/councils/hd-2025:resolve", headers=ADMIN), 200)
    return nomination


async def grant(http: httpx.AsyncClient, grant_id: str) -> dict[str, Any]:
    return await ok(await http.get(f"{URL}/grants/{grant_id}", headers=ADMIN), 200)  # type: ignore[no-any-return]


async def test_given_a_decision_when_amended_then_a_passed_nomination_is_added_and_a_removed_one_cancelled(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await passed(http)
        decision, etag = await issued(http, {**DECISION, "grants": [direct("dv-2")]})
        removed = decision["grants"][0]["grant_id"]
        amendment = {"add": [{"nomination": nomination["id"]}], "remove": [removed], **WHY}
        r = await http.post(
            f"{URL}/decisions/{decision['id']}:amend", json=amendment, headers={**ADMIN, "If-Match": etag}
        )
        amended = await ok(r, 200)
        gone = await grant(http, removed)
        added = await grant(http, amended["grants"][0]["grant_id"])
        later = await ok(
            await http.get(
                f"{URL}/eligibility?subject_kind=member&subject_code=dv-2&award=bang-khen-tld&year=2026",
                headers=ADMIN,
            ),
            200,
        )
        feed = await ok(await http.get(f"{URL}/events?limit=100", headers=ADMIN), 200)
    assert [line["nomination"] for line in amended["grants"]] == [nomination["id"]]
    assert [line["grant_id"] for line in amended["removed"]] == [removed]
    assert gone["cancelled"]["by"] == "amendment" and gone["revoked"] is None
    assert added["subject_code"] == "dv-1" and added["award"] == "ldtt" and added["cancelled"] is None
    not_counted = [
        c["facts_used"].get("not_counted") for c in later["clauses"] if "not_counted" in c["facts_used"]
    ]
    assert not_counted == [[{"award": "bang-khen-ldld", "year": 2025, "why": "cancelled"}]]
    kinds = [e["type"].split(".")[2] for e in feed["events"]][-3:]
    assert sorted(kinds) == ["award-granted", "decision-amended", "grant-cancelled"]


async def test_given_a_misspelt_name_when_corrected_by_amendment_then_the_grant_keeps_its_id(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        decision, _ = await issued(http, {**DECISION, "grants": [direct("dv-2")]})
        grant_id = decision["grants"][0]["grant_id"]
        fix = {"correct": [{"grant": grant_id, "subject_name": "Lê Thị Hoà"}]}
        r = await http.post(
            f"{URL}/decisions/{decision['id']}:amend", json=fix, headers={**ADMIN, "X-Reason": "dinh chinh"}
        )
        amended = await ok(r, 200)
        corrected = await grant(http, grant_id)
    assert amended["grants"][0]["grant_id"] == grant_id
    assert corrected["id"] == grant_id and corrected["subject_name"] == "Lê Thị Hoà"
    assert corrected["cancelled"] is None and corrected["version"] == 2


async def test_given_a_cancelled_decision_then_its_grants_count_as_never_granted_and_it_refuses_amendment(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        await rated(http)
        body = {**DECISION, "year": 2024, "signed_on": "2024-12-20", "grants": [direct("dv-1")]}
        decision, _ = await issued(http, body)
        before = await eligibility(http, "bang-khen-tld")
        cancel = {"reason": "Ban hành sai thẩm quyền"}
        cancelled = await ok(
            await http.post(f"{URL}/decisions/{decision['id']}:cancel", json=cancel, headers=ADMIN), 200
        )
        after = await eligibility(http, "bang-khen-tld")
        held = await grant(http, decision["grants"][0]["grant_id"])
        amend = await http.post(
            f"{URL}/decisions/{decision['id']}:amend", json={"remove": [held["id"]], **WHY}, headers=ADMIN
        )
        again = await http.post(f"{URL}/decisions", json=body, headers=ADMIN)
    assert before["eligible"] is True and after["eligible"] is False
    failed = [c for c in after["clauses"] if not c["passed"]]
    assert failed[0]["facts_used"]["not_counted"] == [
        {"award": "bang-khen-ldld", "year": 2024, "why": "cancelled"}
    ]
    assert cancelled["cancelled"]["reason"] == cancel["reason"]
    assert held["cancelled"]["by"] == "cancellation" and held["revoked"] is None
    assert amend.status_code == 409
    assert again.status_code == 409  # its number stays taken


async def test_given_the_federations_decision_then_a_unit_scoped_approver_cannot_amend_or_cancel_it(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        decision, _ = await issued(http, {**DECISION, "grants": [direct("dv-1")]})
        approver = bearer("bac-kan/tp/cdcs-a", ["approver"])
        line = decision["grants"][0]["grant_id"]
        amend = await http.post(
            f"{URL}/decisions/{decision['id']}:amend", json={"remove": [line], **WHY}, headers=approver
        )
        cancel = await http.post(f"{URL}/decisions/{decision['id']}:cancel", json=WHY, headers=approver)
        sibling = bearer("bac-kan/tp/cdcs-b", ["approver"])
        unseen = await http.post(f"{URL}/decisions/{decision['id']}:cancel", json=WHY, headers=sibling)
        still = await grant(http, line)
    assert amend.status_code == 403 and cancel.status_code == 403
    assert unseen.status_code == 404  # no line in its subtree: as if it did not exist
    assert still["cancelled"] is None


async def test_given_bad_amendments_then_each_names_its_field_and_nothing_changes(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        decision, etag = await issued(http, {**DECISION, "grants": [direct("dv-1")]})
        line = decision["grants"][0]["grant_id"]
        path = f"{URL}/decisions/{decision['id']}:amend"
        cases = {
            "reason": {"remove": [line]},
            "remove.1": {"remove": [line, "00000000-0000-0000-0000-000000000000"], **WHY},
            "add": WHY,
            "add.0.nomination": {
                "add": [{"subject_kind": "member", "subject_code": "dv-2", "award": "ldtt"}],
                **WHY,
            },
        }
        fields = {}
        for field, body in cases.items():
            r = await http.post(path, json=body, headers=ADMIN)
            assert r.status_code == 422, (field, r.text)
            fields[field] = [e["field"] for e in r.json()["errors"]]
        stale = await http.post(path, json={"remove": [line], **WHY}, headers={**ADMIN, "If-Match": '"99"'})
        cancel = await http.post(f"{URL}/decisions/{decision['id']}:cancel", json={}, headers=ADMIN)
        after = await http.get(f"{URL}/decisions/{decision['id']}", headers=ADMIN)
        still = await grant(http, line)
    assert all(field in named for field, named in fields.items()), fields
    assert stale.status_code in (409, 412)
    assert cancel.status_code == 422 and cancel.json()["errors"][0]["field"] == "reason"
    assert after.headers["etag"] == etag and still["cancelled"] is None and still["version"] == 1


async def test_given_a_cancelled_decision_then_its_certificates_verify_as_cancelled_and_print_no_more(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        decision = await printed(http)
        grant_id = decision["grants"][0]["grant_id"]
        code = await code_on_certificate(http, grant_id)
        await eventually(lambda: verified(http, code))
        body = {"reason": "Ban hành sai thẩm quyền", "cancelled_on": "2025-12-20"}
        await ok(await http.post(f"{URL}/decisions/{decision['id']}:cancel", json=body, headers=ADMIN), 200)
        answer = await verified(http, code)
        again = await http.get(f"{URL}/grants/{grant_id}/certificate.pdf", headers=ADMIN)
    assert answer["status"] == "cancelled" and answer["cancelled_on"] == "2025-12-20"
    assert "revoked_on" not in answer
    assert again.status_code == 409
