"""Every GET page of the console, asked N times each as the person who would open it, with the
time the console itself reports (`Server-Timing: app;dur=`, services/console/timing.py): p50
and p95 per page against the targets of issue 14 (300 ms; home and reports 150 ms)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import httpx

from bench.measure import percentile

TARGET_MS = 300.0
FAST_TARGET_MS = 150.0  # the home page and every report page
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
TIMING = re.compile(r"app;dur=([0-9.]+)")


@dataclass(frozen=True)
class Page:
    who: str  # a development identity (services/console/application/identities.py)
    name: str  # what the table shows
    path: str
    fast: bool = False  # home and reports: 150 ms

    @property
    def target_ms(self) -> float:
        return FAST_TARGET_MS if self.fast else TARGET_MS


@dataclass(frozen=True)
class Params:
    federation: str  # the big federation, the development sign-in's
    upper: str  # an upper unit with many grassroots units below
    unit: str  # the grassroots unit with the most members (the clerk's)
    member: str  # a member with last year's grants
    nomination: str
    voting_nomination: str  # one on the council still voting
    resolved_council: str
    open_council: str
    decision: str
    grant: str
    this_year: int
    last_year: int


YEARLY = ("registrations", "awards", "initiatives", "works", "targets")


def pages(p: Params) -> list[Page]:
    f, y, ly = f"/f/{p.federation}", p.this_year, p.last_year
    staff = [
        Page("federation-staff", "home, this year", f"{f}", True),
        Page("federation-staff", "home, last year", f"{f}?year={ly}", True),
        Page("federation-staff", "tree", f"{f}/units"),
        Page("federation-staff", "tree, search 'nguyen'", f"{f}/units?q=nguyen"),
        Page("federation-staff", "upper unit", f"{f}/units/{p.upper}"),
        Page("federation-staff", "grassroots unit (largest)", f"{f}/units/{p.unit}"),
        Page("federation-staff", "unit as of 01/01 last year", f"{f}/units/{p.unit}?as_of=01/01/{ly}"),
        Page("federation-staff", "unit move form", f"{f}/units/{p.unit}/move"),
        Page("federation-staff", "member with history", f"{f}/members/{p.member}"),
        Page("federation-staff", "member form", f"{f}/members/new?unit={p.unit}"),
        Page("federation-staff", "pledges", f"{f}/pledges"),
        Page("federation-staff", "pledges, last year", f"{f}/pledges?year={ly}"),
        Page("federation-staff", "pledges, returned", f"{f}/pledges?state=returned"),
        Page("federation-staff", "pledges of the largest unit", f"{f}/pledges?unit={p.unit}"),
        Page("federation-staff", "pledge form", f"{f}/pledges/new"),
        Page("federation-staff", "pledge upload", f"{f}/pledges/upload"),
        Page("federation-staff", "movement form", f"{f}/movements/new"),
        Page("federation-staff", "nominations", f"{f}/nominations"),
        Page("federation-staff", "nominations, last year", f"{f}/nominations?year={ly}"),
        Page("federation-staff", "nomination", f"{f}/nominations/{p.nomination}"),
        Page(
            "federation-staff",
            "nomination form with verdict",
            f"{f}/nominations/new?subject_kind=member&subject_code={p.member}&award=ldtt&year={y}",
        ),
        Page("federation-staff", "councils", f"{f}/councils"),
        Page("federation-staff", "council convening (waiting)", f"{f}/councils/new"),
        Page("federation-staff", "council, resolved", f"{f}/councils/{p.resolved_council}"),
        Page("federation-staff", "council, voting", f"{f}/councils/{p.open_council}"),
        Page("federation-staff", "council resolve check", f"{f}/councils/{p.open_council}/resolve"),
        Page("federation-staff", "initiatives", f"{f}/initiatives"),
        Page("federation-staff", "initiative form", f"{f}/initiatives/new"),
        Page("federation-staff", "works", f"{f}/works"),
        Page("federation-staff", "work form", f"{f}/works/new"),
        Page("federation-staff", "targets", f"{f}/targets"),
        Page("federation-staff", "target form", f"{f}/targets/new"),
        Page("federation-staff", "reports", f"{f}/reports", True),
    ]
    for name in YEARLY:
        staff.append(Page("federation-staff", f"report {name}", f"{f}/reports/{name}?year={y}", True))
        staff.append(
            Page("federation-staff", f"report {name}, last year", f"{f}/reports/{name}?year={ly}", True)
        )
    staff += [
        Page("federation-staff", "report term", f"{f}/reports/term?from={ly - 4}&to={ly}", True),
        Page("federation-staff", "report rotation", f"{f}/reports/rotation?from={ly - 9}&to={ly}", True),
        Page(
            "federation-staff",
            "report awards of a unit",
            f"{f}/reports/awards?year={ly}&unit={p.upper}",
            True,
        ),
    ]
    return staff + others(p)


def others(p: Params) -> list[Page]:
    f, y, ly = f"/f/{p.federation}", p.this_year, p.last_year
    return [
        Page("national-admin", "national home", "/quoc-gia", True),
        Page("national-admin", "national roll-up", f"/quoc-gia/tong-hop?year={ly}"),
        Page("national-admin", "nominations forwarded", "/quoc-gia/de-nghi"),
        Page("national-admin", "national reports", "/reports", True),
        Page("national-admin", "national report registrations", f"/reports/registrations?year={y}", True),
        Page("national-admin", "national report awards", f"/reports/awards?year={ly}", True),
        Page("national-admin", "national report initiatives", f"/reports/initiatives?year={ly}", True),
        Page("national-admin", "national report works", f"/reports/works?year={ly}", True),
        Page("clerk", "clerk: home", f"{f}", True),
        Page("clerk", "clerk: own unit", f"{f}/units/{p.unit}"),
        Page("clerk", "clerk: pledges", f"{f}/pledges"),
        Page("clerk", "clerk: nominations", f"{f}/nominations"),
        Page("clerk", "clerk: report registrations", f"{f}/reports/registrations?year={y}", True),
        Page("council", "council: councils", f"{f}/councils"),
        Page("council", "council: agenda", f"{f}/councils/{p.open_council}"),
        Page("council", "council: ballot", f"{f}/councils/{p.open_council}/n/{p.voting_nomination}"),
        Page("council", "council: tally", f"{f}/councils/{p.resolved_council}"),
        Page("approver", "approver: decisions", f"{f}/decisions"),
        Page("approver", "approver: decision form (passed)", f"{f}/decisions/new"),
        Page("approver", "approver: decision", f"{f}/decisions/{p.decision}"),
        Page("approver", "approver: grant", f"{f}/decisions/grants/{p.grant}"),
        Page("auditor", "auditor: start", f"{f}/audit"),
        Page("auditor", "auditor: search", f"{f}/audit?q=nguyen"),
        Page(
            "auditor",
            "auditor: member history as of",
            f"{f}/audit/history?kind=member&code={p.member}&as_of=31/12/{ly}",
        ),
        Page("auditor", "auditor: record trail", f"{f}/audit/records/awards/{p.decision}"),
        Page("auditor", "auditor: chains", f"{f}/audit/chain"),
    ]


async def sign_in(base_url: str, who: str, unit: str | None) -> httpx.AsyncClient:
    """A client holding a session of the development sign-in as `who`."""
    client = httpx.AsyncClient(base_url=base_url, timeout=120)
    form = await client.get("/dang-nhap")
    found = CSRF.search(form.text)
    if form.status_code != 200 or not found:
        raise RuntimeError(f"sign-in page: {form.status_code} {form.text[:300]}")
    data = {"csrf_token": found.group(1), "identity": who, "unit": unit or ""}
    answer = await client.post("/dang-nhap", data=data)
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in as {who}: {answer.status_code} {answer.text[:300]}")
    return client


async def measure(
    base_urls: list[str], all_pages: list[Page], unit: str, n: int, warm: int = 2
) -> list[list[dict[str, Any]]]:
    """Each page `warm` times untimed, then `n` times, one request at a time, page after page
    (so a page's requests are spread over the run rather than bunched); with several consoles
    (another checkout's beside this one), each request goes to each in turn, so they share the
    machine's load alike. One list of rows per console."""
    clients: list[dict[str, httpx.AsyncClient]] = []
    for url in base_urls:
        who = sorted({p.who for p in all_pages})
        clients.append({w: await sign_in(url, w, unit if w == "clerk" else None) for w in who})
    runs = [Samples(all_pages) for _ in base_urls]
    try:
        for i in range(warm + n):
            for page in all_pages:
                for mine, samples in zip(clients, runs, strict=True):
                    started = time.perf_counter()
                    r = await mine[page.who].get(page.path)
                    samples.add(page, r, time.perf_counter() - started, timed=i >= warm)
    finally:
        for mine in clients:
            for c in mine.values():
                await c.aclose()
    return [samples.rows(all_pages) for samples in runs]


class Samples:
    def __init__(self, all_pages: list[Page]) -> None:
        self.server: dict[str, list[float]] = {p.name: [] for p in all_pages}
        self.client: dict[str, list[float]] = {p.name: [] for p in all_pages}
        self.status: dict[str, set[int]] = {p.name: set() for p in all_pages}

    def add(self, page: Page, r: httpx.Response, seconds: float, timed: bool) -> None:
        self.status[page.name].add(r.status_code)
        found = TIMING.search(r.headers.get("server-timing", ""))
        if timed and found:
            self.server[page.name].append(float(found.group(1)))
            self.client[page.name].append(seconds * 1000)

    def rows(self, all_pages: list[Page]) -> list[dict[str, Any]]:
        return [row(p, self.server[p.name], self.client[p.name], self.status[p.name]) for p in all_pages]


def row(page: Page, server: list[float], client: list[float], status: set[int]) -> dict[str, Any]:
    p50, p95 = percentile(server, 0.5), percentile(server, 0.95)
    ok = status == {200}
    return {
        "page": page.name,
        "who": page.who,
        "path": page.path,
        "p50_ms": p50,
        "p95_ms": p95,
        "client_p95_ms": percentile(client, 0.95),
        "n": len(server),
        "status": sorted(status),
        "target_ms": page.target_ms,
        "verdict": "not measured" if p95 is None or not ok else ("met" if p95 < page.target_ms else "missed"),
    }


def _ms(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def lines(rows: list[dict[str, Any]], before: list[dict[str, Any]] | None = None) -> list[str]:
    """The table; with `before` (the other checkout's console, same run), its p50 / p95 too."""
    extra = f"  {'before p50 / p95':>17}" if before else ""
    out = [f"{'console page (server ms)':52} {'p50':>7} {'p95':>7}  target  verdict{extra}"]
    for i, r in enumerate(rows):
        name = f"{r['page']} [{r['who']}]"
        note = "" if r["status"] == [200] else f" (status {r['status']})"
        then = f"  {_ms(before[i]['p50_ms']):>7} / {_ms(before[i]['p95_ms']):>7}" if before else ""
        out.append(
            f"{name[:52]:52} {_ms(r['p50_ms']):>7} {_ms(r['p95_ms']):>7}  < {r['target_ms']:.0f}   "
            f"{r['verdict']:7}{then}{note}"
        )
    return out
