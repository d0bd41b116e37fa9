"""Council voting at scale: what one vote costs on a council of 10 nominations and on one of
1,000 (at its start and after some 14,000 votes), one member casting a whole 1,000-nomination
agenda in one request, and 15 members doing so; each through awards' HTTP API, the service in
its own process as `make run` starts it. Awards learns its 1,010 members as registration's
consumer would (bench/seed.py is registration's side; here its facts are written directly)."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import TYPE_CHECKING, Any

import httpx

from bench.awards_setup import AsUser, learn, on_awards, post, users

if TYPE_CHECKING:
    from bench.env import Isolation, Service
    from bench.run import Run

F, YEAR, SMALL, LARGE, MEMBERS = "bench-hd", 2025, 10, 1_000, 15


async def council_votes(run: Run, iso: Isolation) -> dict[str, Any] | None:
    return await on_awards(run, iso, "council votes", lambda svc: _measure(svc, iso))


async def _measure(svc: Service, iso: Isolation) -> dict[str, Any]:
    as_user = users(iso, F)
    staff, members = as_user("bench-staff", ["admin"]), [f"uv-{i:02d}" for i in range(MEMBERS)]
    await _learn_members(iso, SMALL + LARGE)
    base = f"{svc.url}/v1/federations/{F}"
    async with httpx.AsyncClient(base_url=base, timeout=300) as http:
        nominations = await _nominate(http, staff, SMALL + LARGE)
        small, large = nominations[:SMALL], nominations[SMALL:]
        councils = (("hd-10", small), ("hd-10-b", small), ("hd-1000", large), ("hd-1000-b", large))
        for code, agenda in councils:
            await post(http, "/councils", _council(code, agenda, members), staff)
        out: dict[str, Any] = {"members": MEMBERS, "nominations": [SMALL, LARGE]}
        # single votes: every member on each of the 10, then on the first 10 of the 1,000
        out["vote_ms_at_10"] = await _singles(http, "hd-10", small, members, as_user)
        out["vote_ms_at_1000_start"] = await _singles(http, "hd-1000", large[:SMALL], members, as_user)
        # whole agendas: one member's, then the 14 others'
        first = await _batch(http, "hd-1000-b", large, members[0], as_user)
        rest = [await _batch(http, "hd-1000-b", large, m, as_user) for m in members[1:]]
        out["agenda_1000_one_member_ms"] = first
        out["agenda_1000_each_of_15_members_ms"] = _summary([first, *rest])
        out["agenda_1000_per_vote_ms"] = round(statistics.mean([first, *rest]) / LARGE, 3)
        # after 14 members' agendas on the same council, the last member votes one at a time
        for m in members[:-1]:
            await _batch(http, "hd-1000", large[SMALL:], m, as_user)
        # side by side, at the same moment and on the same store: the last member on the 1,000
        # (after some 14,000 votes on that council) and every member on a second council of 10
        out["vote_ms_at_1000_after"] = await _singles(
            http, "hd-1000", large[SMALL : SMALL + 150], members[-1:], as_user
        )
        out["vote_ms_at_10_after"] = await _singles(http, "hd-10-b", small, members, as_user)
        started = time.perf_counter()
        await post(http, "/councils/hd-1000-b:resolve", {}, staff, 200)
        out["resolve_1000_ms"] = round((time.perf_counter() - started) * 1000, 1)
    out["votes_stored"] = MEMBERS * SMALL + 2 * MEMBERS * LARGE
    out["votes_stored"] += MEMBERS * SMALL
    out["ratio_1000_to_10"] = round(
        out["vote_ms_at_1000_after"]["p50"] / out["vote_ms_at_10_after"]["p50"], 2
    )
    out["ratio_1000_to_10_at_start"] = round(
        out["vote_ms_at_1000_start"]["p50"] / out["vote_ms_at_10"]["p50"], 2
    )
    return out


async def _learn_members(iso: Isolation, n: int) -> None:
    unit = {"code": "cd-hd", "name": "CĐCS Hội đồng", "kind": "grassroots", "ancestry": ["cd-hd"]}
    members = [
        {"code": f"hd-{i:04d}", "full_name": f"Đoàn viên {i}", "unit": "cd-hd", "unit_path": ["cd-hd"]}
        for i in range(n)
    ]
    await learn(iso, F, [("unit-registered", unit), *(("member-registered", m) for m in members)])


async def _nominate(http: httpx.AsyncClient, staff: dict[str, str], n: int) -> list[str]:
    bodies = [
        {"subject_kind": "member", "subject_code": f"hd-{i:04d}", "award": "ldtt", "year": YEAR}
        for i in range(n)
    ]
    ids: list[str] = []
    for i in range(0, n, 8):
        done = await asyncio.gather(*(post(http, "/nominations", b, staff) for b in bodies[i : i + 8]))
        ids += [d["id"] for d in done]
    return ids


def _council(code: str, agenda: list[str], members: list[str]) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Hội đồng {code}",
        "year": YEAR,
        "meets_on": f"{YEAR}-12-20",
        "quorum": 8,
        "members": [{"user": m, "name": f"Ủy viên {m}"} for m in members],
        "nominations": agenda,
    }


async def _singles(
    http: httpx.AsyncClient, code: str, agenda: list[str], members: list[str], as_user: AsUser
) -> dict:
    """Each member's vote on each nomination, one request at a time: each request's ms."""
    times = []
    for m in members:
        headers = as_user(m, ["council"])
        for n in agenda:
            started = time.perf_counter()
            await post(http, f"/councils/{code}/votes", {"nomination": n, "choice": "yes"}, headers)
            times.append((time.perf_counter() - started) * 1000)
    return _summary(times)


async def _batch(
    http: httpx.AsyncClient, code: str, agenda: list[str], member: str, as_user: AsUser
) -> float:
    body = {"votes": [{"nomination": n, "choice": "yes"} for n in agenda]}
    started = time.perf_counter()
    await post(http, f"/councils/{code}/votes:batch", body, as_user(member, ["council"]))
    return round((time.perf_counter() - started) * 1000, 1)


def _summary(times: list[float]) -> dict[str, Any]:
    ordered = sorted(times)
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "mean": round(statistics.mean(ordered), 2),
    }
