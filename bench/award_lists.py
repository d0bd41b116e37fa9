"""Awards' bulk lists beside registration's `pledges:batch`: `ratings:batch` and
`nominations:batch` of 5,000 rows each (one JSON list per request), through awards' HTTP API in its
own process as `make run` starts it, in rows/s. Awards learns 5,000 members (50 grassroots
unions) a round as registration's consumer would; in each round the ratings of that round's
members come first, so each LĐTT nomination is judged on a year rated (its verdict computed, as
every nomination's is). Each list is sent once awards' own lists have read the log to its head, as
registration's lists wait for its read model. The rounds go beside registration's
(bench/quick_lists.py), each kind's figure its best round; `--award-lists-only` runs them alone."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import httpx

from bench.awards_setup import learn, users
from bench.commands import log_caught_up
from bench.measure import ROUNDS, best, rate
from shared.kernel.settings import AwardsSettings

if TYPE_CHECKING:
    from bench.env import Isolation, Service
    from bench.run import Run

F, YEAR, UNITS, PER_UNIT = "bench-ds", 2025, 50, 100


class AwardLists:
    """Awards started as its own process for the lists, its members learnt; `send(kind, r)` sends
    round `r`'s list of `kind` over that round's members."""

    KINDS = ("ratings", "nominations")

    def __init__(self, run: Run, iso: Isolation, svc: Service, people: list[list[str]]) -> None:
        self.run, self.iso, self.svc, self.people = run, iso, svc, people
        self.staff = users(iso, F)("bench-staff", ["admin"])

    @classmethod
    async def start(cls, run: Run, iso: Isolation) -> AwardLists:
        svc = run.start("awards", iso, "api")
        try:
            return cls(run, iso, svc, await _learn(iso))
        except BaseException:
            run.stop(svc)
            raise

    def stop(self) -> None:
        self.run.stop(self.svc)

    async def caught_up(self) -> None:
        """Until awards' own lists (adapters/index.py) have read its log to the head: each list
        is sent on a quiet service (the round loops wait before `send`)."""
        schema = self.iso.settings(AwardsSettings).schema_name
        position = f'SELECT sequence FROM "{schema}".index_position WHERE id = 1'
        await log_caught_up(self.iso.database_url, position, f'"{schema}".awards_events')

    async def send(self, kind: str, r: int) -> dict[str, Any]:
        if kind == "ratings":
            rows = [
                {"subject_kind": "member", "subject_code": code, "year": YEAR, "rating": "excellent"}
                for code in self.people[r]
            ]
        else:
            rows = [
                {"subject_kind": "member", "subject_code": code, "award": "ldtt", "year": YEAR}
                for code in self.people[r]
            ]
        name = kind if r == 0 else f"{kind}{r}"  # a profile a round (--py-spy)
        async with httpx.AsyncClient(base_url=f"{self.svc.url}/v1/federations/{F}", timeout=600) as http:
            return await self.run.profiler.around(
                f"bulk_{name}", [self.svc.pid], _send(http, self.staff, kind, rows)
            )


async def award_lists(run: Run, iso: Isolation) -> dict[str, Any] | None:
    """`--award-lists-only`: the rounds of awards' two lists alone, each kind's best round."""

    async def rounds() -> dict[str, Any]:
        lists = await AwardLists.start(run, iso)
        try:
            found: dict[str, list[dict[str, Any] | None]] = {kind: [] for kind in AwardLists.KINDS}
            for r in range(ROUNDS):
                for kind in AwardLists.KINDS:
                    await lists.caught_up()
                    found[kind].append(await lists.send(kind, r))
            return {kind: best(rounds) for kind, rounds in found.items()}
        finally:
            lists.stop()

    return await run.step("award lists", rounds)


async def _send(
    http: httpx.AsyncClient, staff: dict[str, str], kind: str, rows: list[dict]
) -> dict[str, Any]:
    content = json.dumps({kind: rows}, ensure_ascii=False).encode()
    started = time.perf_counter()
    r = await http.post(
        f"/{kind}:batch", content=content, headers={**staff, "content-type": "application/json"}
    )
    seconds = time.perf_counter() - started
    if r.status_code != 201:
        raise RuntimeError(f"{kind}:batch answered {r.status_code}: {r.text[:500]}")
    stored = len(rows)  # all-or-nothing: a 201 stored every row
    return {"rows_per_s": rate(stored, seconds), "rows": stored, "seconds": round(seconds, 2)}


async def _learn(iso: Isolation) -> list[list[str]]:
    """Each round's 5,000 members, in 50 grassroots unions of its own."""
    facts: list[tuple[str, dict[str, Any]]] = []
    people: list[list[str]] = []
    for r in range(ROUNDS):
        codes: list[str] = []
        for u in range(UNITS):
            unit = f"cd-ds{r}-{u:02d}"
            registered = {"code": unit, "name": f"CĐCS {u}", "kind": "grassroots", "ancestry": [unit]}
            facts.append(("unit-registered", registered))
            for i in range(PER_UNIT):
                code = f"ds{r}-{u:02d}-{i:03d}"
                codes.append(code)
                member = {"code": code, "full_name": f"Đoàn viên {code}", "unit": unit, "unit_path": [unit]}
                facts.append(("member-registered", member))
        people.append(codes)
    await learn(iso, F, facts)
    return people
