"""The console stage's data: the nation's organisation in registration's store, and one big
federation's year in awards (ratings, last year's grants, this year's nominations, a council
that resolved, one still voting, a decision), so the console's pages read the services the way
they do at year end. Reporting's read models are the nation data set's (bench/rebuild.py).

The trees are the nation generator's (same seed, same codes as reporting's read models), stored
through registration's own aggregates (bench/seed.py); awards learns of them from registration's
relay over the bus, as in production; awards' share goes through its public API."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from bench.generate import Federation, Member
from bench.seed import META, aggregates
from services.registration.application.service import RegistrationApplication
from shared.auth.tokens import mint
from shared.kernel.settings import RegistrationSettings, ServiceSettings

COUNCIL = [f"hd-{i}" for i in range(1, 6)]
# The development sign-in's council member (services/console/application/identities.py) sits on
# both councils, so its agenda, ballot and tally pages are there to measure; it does not vote.
DEV_COUNCIL_MEMBER = "dev-council"
AWARD = "ldtt"


def store_organisation(settings: RegistrationSettings, feds: list[Federation], per_save: int = 500) -> dict:
    """Every federation's tree, members and this year's movement, a few hundred per transaction."""
    app = RegistrationApplication(settings)
    try:
        started, events = time.perf_counter(), 0
        for fed in feds:
            todo = aggregates(fed)
            events += len(todo)
            for i in range(0, len(todo), per_save):
                app.save(*todo[i : i + per_save])
        return {
            "aggregates": events,
            "seconds": round(time.perf_counter() - started, 1),
            "table": app.recorder.events_table_name,  # type: ignore[attr-defined]
            "actor": META["actor"],
        }
    finally:
        app.close()


def deepest_unit(fed: Federation) -> str:
    """A grassroots unit with the most members: a clerk's unit with a long list."""
    counts: dict[str, int] = {}
    for m in fed.members:
        counts[m.unit.code] = counts.get(m.unit.code, 0) + 1
    return max(counts, key=lambda c: (counts[c], c))


@dataclass
class AwardsYear:
    """What the awards seed left, for the pages' parameters."""

    nominations: list[str] = field(default_factory=list)
    resolved_council: str = "hd-bench-1"
    open_council: str = "hd-bench-2"
    decision: str = ""
    grants: list[str] = field(default_factory=list)
    member_with_history: str = ""
    counts: dict[str, int] = field(default_factory=dict)


class AwardsSeed:
    def __init__(self, url: str, secret: str, fed: Federation, year: int, today: date) -> None:
        self.base = f"{url}/v1/federations/{fed.code}"
        self.fed, self.year, self.today = fed, year, today
        settings = ServiceSettings(jwt_secret=secret)
        self.settings = settings
        self.staff = self.header(fed.code, ["admin", "approver"], "bench-staff")
        self.http = httpx.AsyncClient(timeout=120)

    def header(self, scope: str, roles: list[str], sub: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint(self.settings, sub, scope, roles, 3600)}"}

    async def post(
        self, path: str, body: Any, headers: dict[str, str] | None = None, wait: bool = False
    ) -> Any:
        """POST, expecting success; with `wait`, until awards has learnt the subjects (404/422)."""
        deadline = time.monotonic() + 300
        while True:
            r = await self.http.post(self.base + path, json=body, headers=headers or self.staff)
            if r.status_code < 300:
                return r.json()
            if not wait or r.status_code not in (404, 422) or time.monotonic() > deadline:
                raise RuntimeError(f"POST {path} -> {r.status_code}: {r.text[:800]}")
            await asyncio.sleep(1)

    async def many(self, path: str, bodies: list[Any], width: int = 8, **kw: Any) -> list[Any]:
        out: list[Any] = []
        for i in range(0, len(bodies), width):
            out += await asyncio.gather(*(self.post(path, b, **kw) for b in bodies[i : i + width]))
        return out

    async def load(
        self, rated: list[Member], nominated: int, past_grants: list[dict[str, Any]]
    ) -> AwardsYear:
        try:
            return await self._load(rated, nominated, past_grants)
        finally:
            await self.http.aclose()

    async def _load(
        self, rated: list[Member], nominated: int, past_grants: list[dict[str, Any]]
    ) -> AwardsYear:
        y, out = self.year, AwardsYear()
        # the last member waits until awards has every member from registration's relay
        await self.post("/ratings", _rating(rated[-1], y), wait=True)
        for i in range(0, len(rated), 2000):
            await self.post("/ratings:batch", {"ratings": [_rating(m, y) for m in rated[i : i + 2000]]})
        for i in range(0, len(past_grants), 5000):
            await self.post("/grants:import", {"grants": past_grants[i : i + 5000]})
        bodies = [
            {
                "subject_kind": "member",
                "subject_code": m.code,
                "award": AWARD,
                "year": y,
                "grounds": "Hoàn thành tốt",
            }
            for m in rated[:nominated]
        ]
        out.nominations = [n["id"] for n in await self.many("/nominations", bodies)]
        resolved, voting = out.nominations[:60], out.nominations[60:160]
        await self.council(out.resolved_council, resolved)
        for user in COUNCIL:
            member = self.header(self.fed.code, ["council"], user)
            votes = [{"nomination": n, "choice": "yes"} for n in resolved]
            await self.many(f"/councils/{out.resolved_council}/votes", votes, width=8, headers=member)
        await self.post(f"/councils/{out.resolved_council}:resolve", {})
        await self.council(out.open_council, voting)
        decision = await self.post(
            "/decisions",
            {
                "number": f"999/QĐ-LĐLĐ-{y}",
                "signed_on": self.today.isoformat(),
                "signer": "Hoàng Thị Thu",
                "year": y,
                "title": f"Tặng danh hiệu Lao động tiên tiến năm {y}",
                "grants": [{"nomination": n} for n in resolved[:30]],
            },
        )
        out.decision = str(decision.get("id") or decision.get("decision") or "")
        out.grants = [str(g.get("grant_id") or g.get("id")) for g in decision.get("grants", [])]
        out.member_with_history = past_grants[0]["subject_code"] if past_grants else rated[0].code
        out.counts = {"ratings": len(rated), "past_grants": len(past_grants), "nominations": len(bodies)}
        return out

    async def council(self, code: str, nominations: list[str]) -> None:
        await self.post(
            "/councils",
            {
                "code": code,
                "name": "Hội đồng Thi đua – Khen thưởng LĐLĐ tỉnh",
                "year": self.year,
                "meets_on": self.today.isoformat(),
                "quorum": 3,
                "secret_ballot": False,
                "nominations": nominations,
                "members": [{"user": u, "name": f"Ủy viên {u}"} for u in [*COUNCIL, DEV_COUNCIL_MEMBER]],
            },
        )


def _rating(m: Member, year: int) -> dict[str, Any]:
    return {"subject_kind": "member", "subject_code": m.code, "year": year, "rating": "excellent"}


def past_grants(envelopes: list[dict[str, Any]], year: int) -> list[dict[str, Any]]:
    """Last year's grants of the nation data set's history, as grants:import rows."""
    rows = []
    for e in envelopes:
        d = e["data"]
        if e["type"] == "tdkt.awards.award-granted.v1" and d["year"] == year:
            rows.append(
                {
                    "subject_kind": d["subject_kind"],
                    "subject_code": d["subject_code"],
                    "award": d["award"],
                    "year": year,
                    "decision_number": d["decision_number"],
                    "decision_date": d["decision_date"],
                    "signer": d["signer"],
                    "authority": d["authority"],
                }
            )
    return rows
