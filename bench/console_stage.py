"""The console stage of the nation profile: after the nation rebuild, the organisation stored in
registration and a big federation's year in awards (bench/console_data.py), the console started
against the three services with the development sign-in for that federation, and every page
measured at the server (bench/console_pages.py)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
import httpx
import orjson

from bench import commands, console_data, console_pages, env
from bench.generate import nation
from bench.rebuild import LOG_SCHEMA
from shared.kernel import clock
from shared.kernel.settings import RegistrationSettings

if TYPE_CHECKING:
    from bench.run import Run


async def last_years_grants(url: str, federation: str, year: int) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            f"SELECT envelope FROM {LOG_SCHEMA}.awards WHERE envelope::jsonb @> $1::jsonb ORDER BY 1",
            f'{{"federation": "{federation}", "type": "tdkt.awards.award-granted.v1"}}',
        )
    finally:
        await conn.close()
    return console_data.past_grants([orjson.loads(r["envelope"]) for r in rows], year)


async def until_listed(url: str, path: str, header: dict[str, str], timeout: float = 300) -> None:
    """Until awards' index lists something at `path` (it tails the log in order)."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=30) as http:
        while time.monotonic() < deadline:
            r = await http.get(url + path, headers=header)
            if r.status_code == 200 and r.json().get("items"):
                return
            await asyncio.sleep(0.5)
    raise RuntimeError(f"awards' index did not list {path} in {timeout:.0f} s")


class ConsoleStage:
    def __init__(self, run: Run, iso: env.Isolation, reporting_url: str) -> None:
        self.run, self.iso, self.reporting_url = run, iso, reporting_url
        a = run.args
        self.feds = nation(a.seed, a.nation_members)
        self.big = max(self.feds, key=lambda f: len(f.members))
        self.today = clock.today()
        self.year = self.today.year

    async def main(self) -> dict[str, Any] | None:
        run = self.run
        stored = await run.step(
            "console: the nation's organisation into registration's store",
            lambda: asyncio.to_thread(
                console_data.store_organisation, self.iso.settings(RegistrationSettings), self.feds
            ),
        )
        if stored is None:
            return None
        awards = run.start("awards", self.iso, "api,consumer")
        reg = run.start("registration", self.iso, "api,relay")
        table = f'"registration"."{stored["table"]}"'
        await run.step(
            "console: registration's read model caught up",
            lambda: commands.read_model_caught_up(self.iso.database_url, table, timeout=900),
        )
        await run.step(
            "console: a pledge of each member of " + self.big.code + " (a list holds 10,000 at most)",
            lambda: commands.bulk_import(
                reg.url,
                self.big.code,
                self.iso.token(),
                self.big.members[:10_000],
                "ldtt",
                "json",
                "keep-good-rows",
            ),
        )
        seeded = await run.step(
            "console: a year of awards for " + self.big.code, lambda: self.awards(awards.url)
        )
        if seeded is None:
            return None
        consoles = self.consoles(reg.url, awards.url)
        params = self.params(seeded)
        all_pages = console_pages.pages(params)
        measured = await run.step(
            f"console pages ({len(all_pages)} pages × {run.args.console_n} × {len(consoles)} consoles)",
            lambda: run.profiler.around(
                "console",
                [c.pid for c in consoles],
                console_pages.measure([c.url for c in consoles], all_pages, params.unit, run.args.console_n),
            ),
        )
        if measured is None:
            return None
        out = {
            "federation": self.big.code,
            "members": len(self.big.members),
            "units": len(self.big.units),
            "stored": stored,
            "awards": seeded.counts,
            "pages": measured[0],
            "loadavg": list(os.getloadavg()),
        }
        if len(measured) > 1:
            out["before"] = {"checkout": self.before_name(), "pages": measured[1]}
        return out

    def consoles(self, registration_url: str, awards_url: str) -> list[env.Service]:
        """This checkout's console; with --console-before also that checkout's, with a reporting
        of its own code on the same read models (registration and awards are shared)."""
        environ = {
            "TDKT_REGISTRATION_URL": registration_url,
            "TDKT_AWARDS_URL": awards_url,
            "TDKT_CONSOLE_DEV_SIGN_IN": "1",
            "TDKT_CONSOLE_DEV_FEDERATION": self.big.code,
        }
        run = self.run
        here = {**environ, "TDKT_REPORTING_URL": self.reporting_url}
        out = [run.start("console", self.iso, "api", environ=here)]
        if run.args.console_before:
            cwd = Path(run.args.console_before).resolve()
            rep = run.start("reporting", self.iso, "api", cwd)
            out.append(run.start("console", self.iso, "api", cwd, {**environ, "TDKT_REPORTING_URL": rep.url}))
        return out

    def before_name(self) -> str:
        where = Path(self.run.args.console_before).resolve()
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=where, capture_output=True, text=True
        ).stdout.strip()
        return f"{where} at {commit}"

    async def awards(self, awards_url: str) -> console_data.AwardsYear:
        grants = await last_years_grants(self.iso.database_url, self.big.code, self.year - 1)
        seed = console_data.AwardsSeed(awards_url, self.iso.secret, self.big, self.year, self.today)
        header = seed.staff
        out = await seed.load(self.big.members, self.run.args.console_nominations, grants)
        await until_listed(awards_url, f"/v1/federations/{self.big.code}/decisions?year={self.year}", header)
        return out

    def params(self, seeded: console_data.AwardsYear) -> console_pages.Params:
        uppers = Counter(u.ancestry[0] for u in self.big.units if u.kind == "grassroots")
        return console_pages.Params(
            federation=self.big.code,
            upper=uppers.most_common(1)[0][0],
            unit=console_data.deepest_unit(self.big),
            member=seeded.member_with_history,
            nomination=seeded.nominations[0],
            voting_nomination=seeded.nominations[60],
            resolved_council=seeded.resolved_council,
            open_council=seeded.open_council,
            decision=seeded.decision,
            grant=seeded.grants[0] if seeded.grants else "",
            this_year=self.year,
            last_year=self.year - 1,
        )
