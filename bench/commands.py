"""Commands through the HTTP API: single pledges (4 clients), lists through pledges:batch
(JSON and .xlsx), and the end-to-end latency from a command's 2xx to reporting showing it."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from typing import Any
from uuid import UUID

import aiohttp
import asyncpg
import httpx
from openpyxl import Workbook

from bench.generate import Member
from bench.measure import latency, rate
from bench.seed import MOVEMENT
from services.registration.adapters.pledge_sheet import COLUMNS, SHEET

log = logging.getLogger(__name__)

# The load generator for the single-command and end-to-end paths: its per-request CPU is a
# sixth of httpx's here (120 vs 717 µs), so the two cores go to the product, not the client.
JSON_BODY = {"content-type": "application/json"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pledge(member: Member, award: str) -> dict[str, Any]:
    return {"movement": MOVEMENT, "award": award, "subject_kind": "member", "subject_code": member.code}


async def single_command(
    url: str, federation: str, token: str, members: list[Member], award: str, clients: int = 4
) -> dict[str, Any]:
    """One pledge per request, `clients` clients each sending its next one after the answer."""
    path = f"/v1/federations/{federation}/pledges"
    headers = {"Authorization": f"Bearer {token}"}
    times: list[float] = []
    failures: list[str] = []

    async def client(mine: list[Member]) -> None:
        async with aiohttp.ClientSession(url, headers=headers | JSON_BODY) as http:
            for m in mine:
                body = json.dumps(pledge(m, award)).encode()
                t = time.perf_counter()
                async with http.post(path, data=body) as r:
                    text = await r.text()
                times.append(time.perf_counter() - t)
                if r.status != 201:
                    failures.append(f"{r.status} {text[:200]}")

    started = time.perf_counter()
    await asyncio.gather(*(client(members[i::clients]) for i in range(clients)))
    seconds = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} pledges failed, e.g. {failures[0]}")
    return {
        "pledges_per_s": rate(len(members), seconds),
        "pledges": len(members),
        "clients": clients,
        **latency(times),
    }


async def read_model_caught_up(database_url: str, events_table: str, timeout: float = 120) -> None:
    """Until registration's read model (rm_position) has projected its log up to the head."""
    position = 'SELECT position FROM "registration".rm_position WHERE id = 1'
    await log_caught_up(database_url, position, events_table, timeout)


async def log_caught_up(
    database_url: str, position_sql: str, events_table: str, timeout: float = 120
) -> None:
    """Until the position `position_sql` reads (none yet: 0, as the readers count it) has reached
    the head of `events_table`'s log, or `timeout` s have passed: then a warning says the next
    figure is not of a quiet service, and the run goes on."""
    conn = await asyncpg.connect(database_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            position = await conn.fetchval(f"SELECT coalesce(({position_sql}), 0)")
            head = await conn.fetchval(f"SELECT coalesce(max(notification_id), 0) FROM {events_table}")
            if position >= head:
                return
            await asyncio.sleep(0.05)
        log.warning("the reader of %s did not reach its head in %s s", events_table, timeout)
    finally:
        await conn.close()


def workbook(members: list[Member], award: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append([heading for _, heading in COLUMNS])
    for i, m in enumerate(members, start=1):
        sheet.append([i, MOVEMENT, award, "Cá nhân", m.code, m.full_name, None, None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def bulk_import(
    url: str,
    federation: str,
    token: str,
    members: list[Member],
    award: str,
    kind: str,
    mode: str = "all-or-nothing",
    timeout: float = 600,
) -> dict[str, Any]:
    """One list of len(members) rows through pledges:batch, as JSON or as an .xlsx file."""
    if kind == "json":
        rows = [pledge(m, award) | {"subject_name": m.full_name} for m in members]
        content, media = json.dumps(rows, ensure_ascii=False).encode(), "application/json"
    else:
        content, media = workbook(members, award), XLSX
    headers = {"Authorization": f"Bearer {token}", "content-type": media}
    async with httpx.AsyncClient(base_url=url, timeout=timeout) as http:
        started = time.perf_counter()
        r = await http.post(
            f"/v1/federations/{federation}/pledges:batch",
            params={"mode": mode},
            content=content,
            headers=headers,
        )
        seconds = time.perf_counter() - started
    if r.status_code == 404 or r.status_code == 405:
        return {"missing": True, "status": r.status_code}
    if r.status_code != 201:
        raise RuntimeError(f"pledges:batch ({kind}) answered {r.status_code}: {r.text[:500]}")
    accepted = int(r.json()["accepted"])
    return {
        "rows_per_s": rate(accepted, seconds),
        "rows": accepted,
        "seconds": round(seconds, 2),
        "bytes": len(content),
        "mode": mode,
    }


async def end_to_end(
    url: str,
    federation: str,
    token: str,
    members: list[Member],
    award: str,
    reporting_db: str,
    schema: str = "reporting",
    per_second: float = 100,
    timeout: float = 120,
) -> dict[str, Any]:
    """Commands sent at a fixed rate (open loop); each one's latency runs from its 2xx until its
    event is in reporting's read models (its pledge's row, committed with its processed event)."""
    path = f"/v1/federations/{federation}/pledges"
    sent_ok: dict[UUID, float] = {}
    seen: dict[UUID, float] = {}
    failures: list[str] = []
    done_sending = asyncio.Event()

    async def watch() -> None:
        conn = await asyncpg.connect(reporting_db)
        try:
            deadline = None
            while True:
                pending = [i for i in sent_ok if i not in seen]
                if pending:
                    # The pledge's row commits with its processed event (one transaction).
                    found = await conn.fetch(
                        f'SELECT pledge_id FROM "{schema}".pledges WHERE pledge_id = ANY($1::uuid[])',
                        pending,
                    )
                    now = time.perf_counter()
                    for row in found:
                        seen[row["pledge_id"]] = now
                if done_sending.is_set():
                    deadline = deadline or time.monotonic() + timeout
                    if len(seen) == len(sent_ok) or time.monotonic() > deadline:
                        return
                await asyncio.sleep(0.005)
        finally:
            await conn.close()

    async with aiohttp.ClientSession(
        url,
        headers={"Authorization": f"Bearer {token}"} | JSON_BODY,
        connector=aiohttp.TCPConnector(limit=64),
    ) as http:

        async def one(m: Member) -> None:
            async with http.post(path, data=json.dumps(pledge(m, award)).encode()) as r:
                text = await r.text()
            if r.status == 201:
                sent_ok[UUID(json.loads(text)["id"])] = time.perf_counter()
            else:
                failures.append(f"{r.status} {text[:200]}")

        watcher = asyncio.create_task(watch())
        started = time.perf_counter()
        tasks = []
        for i, m in enumerate(members):
            delay = started + i / per_second - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(m)))
        await asyncio.gather(*tasks)
        achieved = len(members) / (time.perf_counter() - started)
        done_sending.set()
        await watcher
    lat = [seen[i] - t for i, t in sent_ok.items() if i in seen]
    return {
        "commands": len(members),
        "ok": len(sent_ok),
        "failed": len(failures),
        "shown": len(lat),
        "offered_per_s": per_second,
        "achieved_per_s": round(achieved, 1),
        **latency(lat),
    }
