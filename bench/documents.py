"""Printing a big decision (issue 19): one decision granting 500 members (and 20 collectives) a
Giấy khen, its .docx, its PDF and the PDF of its 520 certificates, each through awards' HTTP API
with the service in its own process as `make run` starts it (rendering in its document process).
While the certificates render, a light read (the federation's policy) is timed beside them:
rendering must not hold up other requests. Targets: .docx < 3 s, certificates < 30 s."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import TYPE_CHECKING, Any

import httpx

from bench.awards_setup import learn, on_awards, post, users

if TYPE_CHECKING:
    from bench.env import Isolation, Service
    from bench.run import Run

F, YEAR, MEMBERS, UNITS = "bench-in", 2025, 500, 20
FIRST = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
GIVEN = ("Văn An", "Thị Bích", "Minh Châu", "Đức Dũng", "Thị Hằng", "Quốc Khánh", "Thị Lụa", "Hữu Nghĩa")


async def printing(run: Run, iso: Isolation) -> dict[str, Any] | None:
    return await on_awards(run, iso, "documents (500-grant decision)", lambda svc: _measure(svc, iso))


async def _measure(svc: Service, iso: Isolation) -> dict[str, Any]:
    staff = users(iso, F)("bench-staff", ["admin"])
    await _learn_subjects(iso)
    lines = [
        {"subject_kind": "member", "subject_code": f"in-{i:04d}", "award": "giay-khen"}
        for i in range(MEMBERS)
    ] + [
        {"subject_kind": "unit", "subject_code": f"cd-in-{i:02d}", "award": "giay-khen"} for i in range(UNITS)
    ]
    decision = {
        "number": "500/QĐ-LĐLĐ",
        "signed_on": f"{YEAR}-12-20",
        "signer": "Lý Văn Hùng",
        "year": YEAR,
        "title": "Khen thưởng thành tích năm 2025",
        "grants": lines,
    }
    base = f"{svc.url}/v1/federations/{F}"
    async with httpx.AsyncClient(base_url=base, timeout=600, headers=staff) as http:
        path = f"/decisions/{(await post(http, '/decisions', decision))['id']}"
        await _timed(http, f"{path}/document.docx")  # the document process started and warm
        out: dict[str, Any] = {"grants": MEMBERS + UNITS}
        out["docx_s"], out["docx_bytes"] = await _timed(http, f"{path}/document.docx")
        out["pdf_s"], out["pdf_bytes"] = await _timed(http, f"{path}/document.pdf")
        out["read_ms_idle"] = await _reads(http, 40)
        certificates = asyncio.create_task(_timed(http, f"{path}/certificates.pdf"))
        await asyncio.sleep(0.3)
        out["read_ms_while_rendering"] = await _reads(http, 40)
        out["certificates_s"], out["certificates_bytes"] = await certificates
        out["certificates_per_s"] = round(out["grants"] / out["certificates_s"], 1)
    return out


async def _timed(http: httpx.AsyncClient, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    r = await http.get(path)
    if r.status_code != 200:
        raise RuntimeError(f"GET {path} -> {r.status_code}: {r.text[:300]}")
    return round(time.perf_counter() - started, 2), len(r.content)


async def _reads(http: httpx.AsyncClient, n: int) -> dict[str, float]:
    took = []
    for _ in range(n):
        started = time.perf_counter()
        r = await http.get("/policy")
        r.raise_for_status()
        took.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.02)
    took.sort()
    return {"p50": round(statistics.median(took), 1), "max": round(took[-1], 1)}


async def _learn_subjects(iso: Isolation) -> None:
    """Awards learns the units and members as registration's consumer would tell it."""
    top = {"code": "ldld-in", "name": "LĐLĐ thành phố", "kind": "upper", "ancestry": ["ldld-in"]}
    facts: list[tuple[str, dict[str, Any]]] = [("unit-registered", top)]
    for i in range(UNITS):
        code = f"cd-in-{i:02d}"
        unit = {"code": code, "name": f"Công đoàn cơ sở Trường số {i + 1}", "kind": "grassroots"}
        facts.append(("unit-registered", {**unit, "ancestry": ["ldld-in", code]}))
    for i in range(MEMBERS):
        at = f"cd-in-{i % UNITS:02d}"
        name = f"{FIRST[i % len(FIRST)]} {GIVEN[i % len(GIVEN)]} {i}"
        member = {"code": f"in-{i:04d}", "full_name": name, "unit": at, "unit_path": ["ldld-in", at]}
        facts.append(("member-registered", member))
    await learn(iso, F, facts)
