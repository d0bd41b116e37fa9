"""Under which role assignment someone acted (issue 15): a command under a product token records
the token's `assignment` in its events' meta, and the audit trail says so.

Given the installation's first national admin signed in under their assignment, and a federation
`bac-kan` with a unit `cdcs-a`; development mode off (every call carries a product token)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shared.kernel.ids import stable_id
from tests.integration.access_stack import ROOT_EMAIL, Stack, access_stack
from tests.support import Isolation

FED = "/v1/federations/bac-kan"
MEMBER = stable_id("member", "bac-kan", "dv-1")


async def _post(stack: Stack, path: str, body: dict, headers: dict) -> dict:
    r = await stack.reg.post(path, json=body, headers=headers)
    assert r.status_code == 201, (path, r.text)
    return r.json()  # type: ignore[no-any-return]


async def given_the_national_admin_and_a_unit(stack: Stack) -> dict[str, Any]:
    signed_in = await stack.sign_in("root", ROOT_EMAIL)
    root = {"Authorization": f"Bearer {signed_in['access_token']}"}
    await _post(stack, "/v1/federations", {"code": "bac-kan", "name": "Bắc Kạn"}, root)
    await _post(stack, FED + "/units", {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots"}, root)
    return {"root": root, "assignment": signed_in["assignment"], "id": signed_in["person"]["id"]}


async def test_a_command_under_a_product_token_records_its_assignment_in_the_meta_and_the_records_history(
    isolation: Isolation,
) -> None:
    async with access_stack(isolation) as stack:
        given = await given_the_national_admin_and_a_unit(stack)
        # When the admin registers a member under their assignment
        member = {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a"}
        await _post(stack, FED + "/members", member, {**given["root"], "X-Reason": "kết nạp".encode()})
        # Then the stored event's meta names the assignment beside the actor
        app = stack.runtimes["registration"].application
        meta = [e.meta for e in app.events.get(UUID(str(MEMBER)))]
        assert meta and all(m["assignment"] == given["assignment"] for m in meta), meta
        assert all(m["actor"] == given["id"] for m in meta)
        # and the record's history (the audit trail) shows it with each event
        r = await stack.reg.get(f"{FED}/audit/records/{MEMBER}", headers=given["root"])
        assert r.status_code == 200, r.text
        events = r.json()["events"]
        assert events and all(e["actorassignment"] == given["assignment"] for e in events), events
        assert all(e["actor"] == given["id"] for e in events)


async def test_a_persons_access_history_says_under_which_assignment_each_change_was_made(
    isolation: Isolation,
) -> None:
    async with access_stack(isolation) as stack:
        given = await given_the_national_admin_and_a_unit(stack)
        # When the admin invites Thu and grants her a clerk's role
        thu = await _post(
            stack, FED + "/access/people", {"name": "Thu", "email": "thu@bk.test"}, given["root"]
        )
        grant = {"person": thu["id"], "role": "clerk", "unit": "cdcs-a", "reason": "văn thư"}
        await _post(stack, FED + "/access/assignments", grant, given["root"])
        # Then her history names the admin's assignment beside who did each
        r = await stack.reg.get(f"/v1/access/people/{thu['id']}/history", headers=given["root"])
        assert r.status_code == 200, r.text
        lines = r.json()["history"]
        assert len(lines) == 2, lines
        assert all(
            (line["by"]["id"], line["by_assignment"]) == (given["id"], given["assignment"]) for line in lines
        )
