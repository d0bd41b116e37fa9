"""I1 and the HTTP command conventions: concurrent writers, Idempotency-Key, If-Match."""

from __future__ import annotations

import asyncio

from services.registration.bootstrap import build_app as registration_app
from services.registration.bootstrap import runtime as registration_runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_relay import seed
from tests.support import Isolation, bearer, in_process

ADMIN = bearer("*")
PLEDGE = {
    "movement": "td-2023",
    "award": "ldtt",
    "subject_kind": "member",
    "subject_code": "dv-9",
    "pledged_on": "2023-01-12",
}


async def test_concurrent_commands_on_one_aggregate_each_succeed_or_conflict(isolation: Isolation) -> None:
    rt = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, registration_app) as http:
        await seed(http, pledgers=1)
        pledge = (await http.get("/v1/federations/bac-kan/events?limit=1000", headers=ADMIN)).json()
        pledge_id = next(e["subject"] for e in pledge["events"] if e["type"].endswith("pledge-registered.v1"))
        url = f"/v1/federations/bac-kan/pledges/{pledge_id}:accept"
        answers = await asyncio.gather(*(http.post(url, headers=ADMIN) for _ in range(20)))
        codes = sorted(r.status_code for r in answers)
        assert codes.count(200) == 1 and codes.count(409) == 19, codes
        versions = [
            r["originator_version"]
            for r in await rt.db.fetch(
                "SELECT originator_version FROM registration.registration_events "
                "WHERE originator_id = $1 ORDER BY 1",
                pledge_id,
            )
        ]
        assert versions == [1, 2]


async def test_idempotency_key_replays_the_first_answer_and_never_a_second_effect(
    isolation: Isolation,
) -> None:
    rt = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, registration_app) as http:
        await seed(http, pledgers=0)
        await http.post(
            "/v1/federations/bac-kan/members",
            headers=ADMIN,
            json={"code": "dv-9", "full_name": "Lê Thị Hoa", "unit": "cdcs-a"},
        )
        keyed = {**ADMIN, "Idempotency-Key": "excel-row-17"}
        first = await http.post("/v1/federations/bac-kan/pledges", json=PLEDGE, headers=keyed)
        head = await rt.eventlog.head()  # type: ignore[union-attr]
        again = await asyncio.gather(
            *(http.post("/v1/federations/bac-kan/pledges", json=PLEDGE, headers=keyed) for _ in range(5))
        )
        assert first.status_code == 201
        assert all(r.status_code == 201 and r.json() == first.json() for r in again)
        assert all(r.headers["idempotent-replayed"] == "true" for r in again)
        assert await rt.eventlog.head() == head
        other = await http.post(
            "/v1/federations/bac-kan/pledges", headers=keyed, json={**PLEDGE, "award": "cstd-co-so"}
        )
        assert other.status_code == 422
        assert other.json()["type"].endswith("idempotency-key-reused")
        assert await rt.eventlog.head() == head


async def test_if_match_with_a_stale_version_is_refused(isolation: Isolation) -> None:
    rt = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, registration_app) as http:
        await seed(http, pledgers=1)
        feed = (await http.get("/v1/federations/bac-kan/events?limit=1000", headers=ADMIN)).json()
        pledge_id = next(e["subject"] for e in feed["events"] if e["type"].endswith("pledge-registered.v1"))
        read = await http.get(f"/v1/federations/bac-kan/pledges/{pledge_id}", headers=ADMIN)
        etag = read.headers["etag"]
        returned = await http.post(
            f"/v1/federations/bac-kan/pledges/{pledge_id}:return",
            json={"reason": "thiếu chữ ký"},
            headers={**ADMIN, "If-Match": etag},
        )
        assert returned.status_code == 200 and returned.headers["etag"] == '"2"'
        stale = await http.post(
            f"/v1/federations/bac-kan/pledges/{pledge_id}:withdraw", headers={**ADMIN, "If-Match": etag}
        )
        assert stale.status_code == 412
        state = (await http.get(f"/v1/federations/bac-kan/pledges/{pledge_id}", headers=ADMIN)).json()
        assert state["state"] == "returned" and state["version"] == 2
