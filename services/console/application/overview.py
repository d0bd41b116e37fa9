"""The home page of a federation's year: open movements with their deadlines, pledges by
state, nominations waiting for the council, decisions issued. Read from the three services."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.console.adapters.services import Services
from services.console.application.formatting import as_date
from services.console.application.list_paging import every_row


@dataclass
class Overview:
    year: int
    movements: list[dict[str, Any]] = field(default_factory=list)
    pledged: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    waiting_for_council: int = 0
    nominated: int = 0
    decisions: list[dict[str, Any]] = field(default_factory=list)
    granted: int = 0
    # (what, this year's figure, last year's): reporting's registrations, awards, initiatives
    comparison: list[tuple[str, int, int]] = field(default_factory=list)


async def year_overview(services: Services, token: str, federation: str, year: int, today: date) -> Overview:
    base = f"/v1/federations/{federation}"
    reports = f"{base}/reports"
    # Counts, not lists: awards counts the nominations and each decision's grants itself.
    nominations = f"{base}/nominations"
    movements, report, nominated, waiting, decisions, last, *figures = await asyncio.gather(
        services.registration.get(f"{base}/movements", token, year=year, limit=1000),
        services.reporting.get(f"{reports}/registrations", token, year=year),
        services.awards.get(nominations, token, year=year, state="submitted", limit=1, with_total="true"),
        services.awards.get(
            nominations, token, year=year, state="submitted", outcome="pending", limit=1, with_total="true"
        ),
        services.awards.pages(f"{base}/decisions", token, year=year, limit=1000),
        services.reporting.get(f"{reports}/registrations", token, year=year - 1),
        *(
            services.reporting.get(f"{reports}/{name}", token, year=y)
            for name in ("awards", "initiatives")
            for y in (year, year - 1)
        ),
    )
    overview = Overview(year)
    for m in movements.get("items", []):
        deadline = as_date(m.get("registration_deadline"))
        days_left = (deadline - today).days if deadline else None
        overview.movements.append(
            {
                **m,
                "open": m.get("closed_on") is None,
                "days_left": days_left,
                "deadline_passed": days_left is not None and days_left < 0,
            }
        )
    overview.movements.sort(key=lambda m: (not m["open"], m.get("registration_deadline") or ""))
    overview.pledged = int(report.get("pledged", 0))
    overview.by_state = dict(report.get("by_state", {}))
    overview.nominated = int(nominated.get("total", 0))
    overview.waiting_for_council = int(waiting.get("total", 0))
    by_decision: dict[str, int] = defaultdict(int)
    for d in decisions:
        if d.get("grants"):
            by_decision[d["number"]] += int(d["grants"])
            overview.granted += int(d["grants"])
    overview.decisions = [{"number": k, "grants": v} for k, v in sorted(by_decision.items())]
    awards_now, awards_last, initiatives_now, initiatives_last = figures
    overview.comparison = [
        ("Lượt đăng ký thi đua", overview.pledged, int(last.get("pledged", 0))),
        ("Lượt được khen thưởng", int(awards_now.get("granted", 0)), int(awards_last.get("granted", 0))),
        (
            "Sáng kiến đăng ký",
            int(initiatives_now.get("registered", 0)),
            int(initiatives_last.get("registered", 0)),
        ),
    ]
    return overview


async def federations(services: Services, token: str, year: int) -> list[dict[str, Any]]:
    """National staff: every federation (registration's list, by code, with its name) with its
    pledges of the year (reporting's roll-up)."""
    listed, roll_up = await asyncio.gather(
        every_row(services.registration, "/v1/federations", token, {}, limit=1000),
        services.reporting.get("/v1/reports/roll-up", token, year=year),
    )
    pledged = {r["federation"]: r["registrations"]["pledged"] for r in roll_up.get("by_federation", [])}
    return [
        {"federation": f["code"], "name": f.get("name") or f["code"], "pledged": pledged.get(f["code"], 0)}
        for f in listed[0]
    ]
