"""The audit trail over HTTP (shared/web/audit_api.py, served by registration and awards): a record's
events with who, when and why, only to auditors of its federation; the chain's state, verified or
where it breaks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import psycopg
import pytest

from services.registration.bootstrap import build_app, runtime
from shared.kernel.ids import stable_id
from shared.kernel.settings import RegistrationSettings
from tests.support import Isolation, bearer, in_process

EVENTS = '"registration"."registration_events"'
AUDITOR = bearer("bac-kan", ["auditor"], sub="kiem-tra-1")
MEMBER = stable_id("member", "bac-kan", "dv-1")


@pytest.fixture
async def client(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given Bắc Kạn and Cao Bằng, a unit and a member moved to another unit with a reason."""
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as c:
        admin = bearer("*", sub="lan")
        for code in ("bac-kan", "cao-bang"):
            r = await c.post("/v1/federations", json={"code": code, "name": code}, headers=admin)
            assert r.status_code == 201, r.text
        base = "/v1/federations/bac-kan"
        for unit in ("cdcs-a", "cdcs-b"):
            r = await c.post(
                f"{base}/units", json={"code": unit, "name": unit, "kind": "grassroots"}, headers=admin
            )
            assert r.status_code == 201, r.text
        r = await c.post(
            f"{base}/members",
            json={"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a"},
            headers=bearer("bac-kan", sub="thu"),
        )
        assert r.status_code == 201, r.text
        why = "Chuyển công tác theo quyết định 12/QĐ".encode()
        r = await c.post(
            f"{base}/members/dv-1:transfer",
            json={"unit": "cdcs-b", "effective_on": "2024-09-01"},
            headers={**bearer("bac-kan", sub="thu"), "X-Reason": why},
        )
        assert r.status_code == 200, r.text
        yield c


async def test_a_records_events_say_who_when_and_why(client: httpx.AsyncClient) -> None:
    r = await client.get(f"/v1/federations/bac-kan/audit/records/{MEMBER}", headers=AUDITOR)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["service"] == "registration" and body["record"] == str(MEMBER)
    events = body["events"]
    assert [e["type"] for e in events] == [
        "tdkt.registration.member-registered.v1",
        "tdkt.registration.member-transferred.v1",
    ]
    assert [e["actor"] for e in events] == ["thu", "thu"]
    assert events[1]["data"]["reason"] == "Chuyển công tác theo quyết định 12/QĐ"
    assert all(e["time"] and e["subject"] == str(MEMBER) for e in events)


async def test_a_record_is_missing_to_another_federation_and_refused_to_a_clerk(
    client: httpx.AsyncClient,
) -> None:
    path = f"/audit/records/{MEMBER}"
    other = await client.get(f"/v1/federations/cao-bang{path}", headers=bearer("cao-bang", ["auditor"]))
    assert other.status_code == 404
    foreign = await client.get(f"/v1/federations/bac-kan{path}", headers=bearer("cao-bang", ["auditor"]))
    assert foreign.status_code == 404
    clerk = await client.get(f"/v1/federations/bac-kan{path}", headers=bearer("bac-kan/cdcs-a", ["clerk"]))
    assert clerk.status_code == 403
    reader = await client.get(f"/v1/federations/bac-kan{path}", headers=bearer("bac-kan", ["reader"]))
    assert reader.status_code == 403


async def test_the_chain_is_verified_then_named_where_it_breaks(
    client: httpx.AsyncClient, isolation: Isolation
) -> None:
    r = await client.get("/v1/audit/chain", headers=AUDITOR)
    assert r.status_code == 200, r.text
    clean = r.json()
    assert clean["state"] == "verified" and clean["problem"] is None
    assert clean["checked_events"] == clean["head"]["sequence"] >= 5
    with psycopg.connect(isolation.database_url, autocommit=True) as conn:
        conn.execute(f"ALTER TABLE {EVENTS} DISABLE TRIGGER USER")
        conn.execute(
            f"UPDATE {EVENTS} SET state = set_byte(state, 0, get_byte(state, 0) # 1) "
            "WHERE notification_id = 3"
        )
    cached = (await client.get("/v1/audit/chain", headers=AUDITOR)).json()
    assert cached["state"] == "verified" and cached["checked_at"] == clean["checked_at"]  # a recent verdict
    broken = (await client.get("/v1/audit/chain", params={"fresh": "true"}, headers=AUDITOR)).json()
    assert broken["state"] == "broken" and broken["broken_at"] == 3 and broken["problem"] == "altered"
    assert broken["checked_events"] == 2 and "detail" not in broken  # a federation's auditor
    national = (
        await client.get("/v1/audit/chain", params={"fresh": "true"}, headers=bearer("*", ["auditor"]))
    ).json()
    assert "does not match its seal" in national["detail"]


async def test_an_anchor_checks_the_log_up_to_a_recorded_head(client: httpx.AsyncClient) -> None:
    head = (await client.get("/v1/audit/chain", headers=AUDITOR)).json()["head"]
    anchor = f"{head['sequence']}:{head['hash']}"
    same = (await client.get("/v1/audit/chain", params={"anchor": anchor}, headers=AUDITOR)).json()
    assert same["state"] == "verified" and same["anchor"] == anchor
    forged = f"{head['sequence']}:{'0' * 64}"
    other = (await client.get("/v1/audit/chain", params={"anchor": forged}, headers=AUDITOR)).json()
    assert other["state"] == "broken" and other["problem"] == "rewritten"
    bad = await client.get("/v1/audit/chain", params={"anchor": "12:abc"}, headers=AUDITOR)
    assert bad.status_code == 422 and "anchor" in bad.text
    clerk = await client.get("/v1/audit/chain", headers=bearer("bac-kan/cdcs-a", ["clerk"]))
    assert clerk.status_code == 403
