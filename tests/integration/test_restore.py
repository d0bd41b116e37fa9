"""Issue 21: a service's database restored from a backup taken before events that were already
published. New events reuse the lost events' aggregate versions; each start begins a new store
epoch, so their ids are new and no consumer drops them as copies; the documented procedure
(README, "Backup and restore": rebuild reporting from the feeds) then brings the read models back
into agreement with the restored store."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from services.registration.bootstrap import build_app as registration_app
from services.registration.bootstrap import runtime as registration_runtime
from services.reporting.application.rebuild import rebuild
from services.reporting.bootstrap import runtime as reporting_runtime
from shared.kernel.settings import RegistrationSettings, ReportingSettings
from shared.ops.runtime import Runtime
from tests.integration.test_reporting_rebuild import ListFeed
from tests.support import Isolation, bearer, eventually, in_process

ADMIN = bearer("*")
BK = "/v1/federations/bac-kan"


@contextlib.asynccontextmanager
async def registration(isolation: Isolation) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    """Registration's API in this process, its relay drained after each step by `publish`."""
    rt = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, registration_app) as http:
        assert rt.relay is not None
        await rt.relay.start()
        try:
            yield rt, http
        finally:
            await rt.relay.stop()


async def publish(rt: Runtime) -> None:
    assert rt.relay is not None
    await rt.relay.drain()


async def member(http: httpx.AsyncClient, code: str, name: str) -> None:
    body = {"code": code, "full_name": name, "unit": "cdcs-a"}
    r = await http.post(f"{BK}/members", json=body, headers=ADMIN)
    assert r.status_code == 201, r.text


async def names(reporting: Runtime) -> dict[str, str]:
    query = "SELECT code, full_name FROM reporting.members WHERE federation = 'bac-kan'"
    rows = await reporting.db.fetch(query)
    return {r["code"]: r["full_name"] for r in rows}


async def test_after_a_restore_no_new_event_is_dropped_and_the_procedure_restores_agreement(
    isolation: Isolation, tmp_path: Path
) -> None:
    backup = tmp_path / "registration.dump"
    url = isolation.database_url
    reporting = reporting_runtime(isolation.settings(ReportingSettings), frozenset({"consumer"}))
    await reporting.start()
    try:
        async with registration(isolation) as (rt, http):
            await http.post("/v1/federations", json={"code": "bac-kan", "name": "Bắc Kạn"}, headers=ADMIN)
            unit = {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots"}
            await http.post(f"{BK}/units", json=unit, headers=ADMIN)
            await publish(rt)
            # Given a backup of registration's store
            dump = ["pg_dump", "--format=custom", "--schema=registration", f"--file={backup}", url]
            subprocess.run(dump, check=True, capture_output=True)
            # And a member registered and published after it
            await member(http, "dv-b", "Lò Văn Mất")
            await publish(rt)
            before = (await http.get("/v1/events", params={"limit": 1000}, headers=ADMIN)).json()["events"]
            [lost] = [e for e in before if e["type"].endswith("member-registered.v1")]
            await eventually(lambda: _has(reporting, {"dv-b": "Lò Văn Mất"}))
        # When registration's store is restored from the backup (dv-b is lost with it)
        drop = ["psql", url, "-q", "-c", "DROP SCHEMA registration CASCADE"]
        subprocess.run(drop, check=True, capture_output=True)
        subprocess.run(["pg_restore", "--dbname", url, str(backup)], check=True, capture_output=True)
        async with registration(isolation) as (rt, http):
            # And the same member is registered again, with another name: the same aggregate and
            # version as the lost event
            await member(http, "dv-b", "Lò Văn Mới")
            await publish(rt)
            events = (await http.get("/v1/events", params={"limit": 1000}, headers=ADMIN)).json()["events"]
        # Then the new event has an id of its own, and reporting applies it (its history line)
        [new] = [e for e in events if e["type"].endswith("member-registered.v1")]
        assert new["id"] != lost["id"] and new["version"] == lost["version"]
        await eventually(lambda: _in_history(reporting, new["id"], "Lò Văn Mới"))
        # And the procedure (rebuild reporting from the feeds) brings it into agreement
        feed = ListFeed("registration", [{**e, "sequence": int(e["sequence"])} for e in events])
        await rebuild(url, "reporting", [feed, ListFeed("awards", [])], swap=True)
        assert await names(reporting) == {"dv-b": "Lò Văn Mới"}
    finally:
        await reporting.stop()


async def _has(reporting: Runtime, expected: dict[str, str]) -> bool:
    assert await names(reporting) == expected
    return True


async def _in_history(reporting: Runtime, event_id: str, name: str) -> Any:
    detail = await reporting.db.fetchval(
        "SELECT detail->>'full_name' FROM reporting.history WHERE event_id = $1::uuid", event_id
    )
    assert detail == name
    return detail
