"""`make demo`: seed 000's year (Bắc Kạn, 2023: pledges, works, initiatives, awards) through the
public APIs, with generated people and units.

By default it loads the year into the product that `make run` is running (the services at their
settings' URLs, tokens signed with its development secret) and leaves it there, so the console
shows Bắc Kạn's 2023 right after; started again, it finds the year there (or finishes an
interrupted load: every request carries an Idempotency-Key). `--private` (`make demo
ARGS=--private`) instead starts the three services on a database, exchange and ports of its own,
loads, waits for reporting, prints the reports and their .xlsx exports, then cleans up; with
`--keep` as well it runs the console on that year until Ctrl-C."""

from __future__ import annotations

import asyncio
import io
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import openpyxl

from scripts import demo_data as data
from scripts.demo_loader import Loader
from services.reporting.adapters.xlsx import HEADINGS, TITLED
from shared.auth.tokens import mint
from shared.kernel.settings import ConsoleSettings, ServiceSettings

FED = "bac-kan"


def billions(vnd: int) -> str:
    return f"{vnd / 1e9:,.1f} bn VND"


def print_reports(
    reg: dict[str, Any], awards: dict[str, Any], ini: dict[str, Any], works: dict[str, Any]
) -> None:
    kinds = {"unit": "collectives/units", "member": "individuals"}
    print(f"\n== Registrations {reg['year']} ({reg['federation']}): {reg['pledged']} pledges ==")
    for g in reg["by_award"]:
        print(f"  {g['pledged']:>5} {kinds[g['subject_kind']]:<18} for {g['award_name']} ({g['award']})")
    print(f"\n== Awards {awards['year']}: {awards['granted']} granted, {awards['revoked']} revoked ==")
    for g in awards["by_award"]:
        print(f"  {g['granted']:>5} {kinds[g['subject_kind']]:<18} {g['award_name']} ({g['award']})")
    for p in awards["by_period"]:  # seed 000: the school year's, the phase's; thematic apart
        said = f"{p['period_name']}, {p['thematic']} thematic"
        print(f"  {p['granted']:>5} {kinds[p['subject_kind']]:<18} {p['award_name']} — {said}")
    for n in awards["nominated_upward"]:
        print(
            f"  {n['nominated']:>5} {kinds[n['subject_kind']]:<18} nominated upward for {n['award']}"
            f" (forwarded {n['forwarded']})"
        )
    print(
        f"\n== Initiatives {ini['year']}: {ini['registered']:,} registered, "
        f"{ini['percent_of_target']} % of the target of {ini['target']:,} =="
    )
    print(
        f"\n== Works {works['year']}: {works['registered']} registered worth {billions(works['value'])}; "
        f"{works['plaqued']} completed and plaqued worth {billions(works['plaqued_value'])} =="
    )


def check_workbook(content: bytes, report: dict[str, Any]) -> None:
    """The export must carry the same figures as the JSON report."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True) if len(row) > 1}
    for key, value in report.items():
        if key in TITLED:
            continue  # in the title block (Năm 2023), not the summary
        if isinstance(value, int) and not isinstance(value, bool):
            heading = HEADINGS.get(key, key)
            if summary.get(heading) != value:
                raise SystemExit(f"xlsx {heading}: {summary.get(heading)!r} differs from {value!r}")


async def wait_for_reporting(http: httpx.AsyncClient, reporting: str) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        health = (await http.get(f"{reporting}/health")).json()
        lag = health.get("lag", {})
        if lag and all(v.get("lag") == 0 for v in lag.values()):
            return
        await asyncio.sleep(1)
    raise SystemExit("reporting did not catch up within 5 minutes")


async def browse(env: dict[str, str], urls: dict[str, str]) -> None:
    """`--keep`: the console on the demo's services, with the development sign-in, until Ctrl-C."""
    from tests.support import ServiceProcess

    console = ServiceProcess(
        "console",
        {
            **env,
            "TDKT_CONSOLE_DEV_SIGN_IN": "1",
            "TDKT_CONSOLE_DEV_FEDERATION": FED,
            "TDKT_REGISTRATION_URL": urls["registration"],
            "TDKT_AWARDS_URL": urls["awards"],
            "TDKT_REPORTING_URL": urls["reporting"],
        },
    ).start()
    print(f"\nconsole: {console.url}/  (pick who you are; year 2023: {console.url}/f/{FED}?year=2023)")
    print("Ctrl-C stops the console and the services and removes the demo's data.")
    try:
        while console.process is not None and console.process.poll() is None:
            await asyncio.sleep(0.5)
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    finally:
        console.stop()


async def main(keep: bool = False) -> None:
    from tests.support import Isolation, ServiceProcess, bearer

    iso = Isolation(tag="demo" + uuid.uuid4().hex[:6])
    env = iso.env()
    env["TDKT_JWT_SECRET"] = os.environ.get("TDKT_JWT_SECRET", env["TDKT_JWT_SECRET"])
    services = {n: ServiceProcess(n, env) for n in ("registration", "awards")}
    try:
        for s in services.values():
            s.start()
        env["TDKT_REGISTRATION_URL"], env["TDKT_AWARDS_URL"] = (
            services["registration"].url,
            services["awards"].url,
        )
        services["reporting"] = ServiceProcess("reporting", env).start()
        urls = {n: s.url for n, s in services.items()}
        print("services:", ", ".join(f"{n} {u}" for n, u in urls.items()))
        started = time.perf_counter()
        async with httpx.AsyncClient(timeout=120) as http:
            loader = Loader(http, urls, FED)
            await loader.load(data.tree())
            admin = bearer("*", ["reader"])
            await wait_for_reporting(http, urls["reporting"])
            print(f"loaded and projected in {time.perf_counter() - started:.0f} s")
            base = f"{urls['reporting']}/v1/federations/{FED}/reports"
            reports = {}
            for name in ("registrations", "awards", "initiatives", "works"):
                r = await http.get(f"{base}/{name}", params={"year": 2023}, headers=admin)
                r.raise_for_status()
                reports[name] = r.json()
            print_reports(
                reports["registrations"], reports["awards"], reports["initiatives"], reports["works"]
            )
            out = Path(tempfile.gettempdir()) / "tdkt-demo"
            out.mkdir(exist_ok=True)
            for name in reports:
                r = await http.get(f"{base}/{name}", params={"year": 2023, "format": "xlsx"}, headers=admin)
                (out / f"{name}-2023.xlsx").write_bytes(r.content)
                check_workbook(r.content, reports[name])
            print(f"\nExcel exports (reopened with openpyxl, same figures): {out}/*.xlsx")
            if keep:
                await browse(env, urls)
    finally:
        for s in services.values():
            s.stop()
        iso.drop()
        await iso.drop_broker_objects()


# Seed 000's grants, all told: 1 + 1 national (thematic), 30 + 36 People's Committee, 17 + 27
# federation Bằng khen and the block leader's Cờ thi đua. When reporting counts these, the
# year is there.
DEMO_GRANTS = 1 + 1 + 30 + 36 + 17 + 27 + 1


def running_mint(scope: str, roles: list[str], sub: str) -> dict[str, str]:
    """A token the running product accepts: signed with its development secret
    (TDKT_JWT_SECRET, as `make run` has it)."""
    return {"Authorization": f"Bearer {mint(ServiceSettings(), sub, scope, roles, 3600)}"}


async def into_running() -> None:
    """Seed 000's year into the product `make run` started, left there for the console."""
    console = ConsoleSettings()
    urls = {
        "registration": console.registration_url,
        "awards": console.awards_url,
        "reporting": console.reporting_url,
    }
    console_url = f"http://{console.host}:{console.port}"
    async with httpx.AsyncClient(timeout=120) as http:
        down = []
        for name, url in {**urls, "console": console_url}.items():
            try:
                (await http.get(f"{url}/health")).raise_for_status()
            except httpx.HTTPError:
                down.append(f"{name} ({url})")
        if down:
            raise SystemExit(
                f"The product is not running: no answer from {', '.join(down)}.\n"
                "Start it in another terminal with `make run`, then run `make demo` again "
                "(or `make demo ARGS=--private` for a run on a stack of its own that cleans up)."
            )
        reader = running_mint("*", ["reader"], "tld.demo")
        base = f"{urls['reporting']}/v1/federations/{FED}/reports"
        r = await http.get(f"{base}/awards", params={"year": 2023}, headers=reader)
        if r.status_code == 200 and r.json().get("granted") == DEMO_GRANTS:
            print("Bắc Kạn's 2023 is already in the running product.")
        else:
            print(f"loading Bắc Kạn's 2023 into the running product ({', '.join(urls.values())}) ...")
            started = time.perf_counter()
            await Loader(http, urls, FED, mint=running_mint, idempotent=True).load(data.tree())
            await wait_for_reporting(http, urls["reporting"])
            print(f"loaded and projected in {time.perf_counter() - started:.0f} s")
        reports = {}
        for name in ("registrations", "awards", "initiatives", "works"):
            r = await http.get(f"{base}/{name}", params={"year": 2023}, headers=reader)
            r.raise_for_status()
            reports[name] = r.json()
        print_reports(reports["registrations"], reports["awards"], reports["initiatives"], reports["works"])
    print(
        f"\nOpen the console: {console_url}/  — sign in as “Cán bộ Văn phòng thi đua LĐLĐ tỉnh”, "
        f"then {console_url}/f/{FED}?year=2023 (README: “A tour of the console”)."
    )


if __name__ == "__main__":
    import contextlib
    import sys

    args = sys.argv[1:]
    with contextlib.suppress(KeyboardInterrupt):
        if "--private" in args or "--keep" in args:
            # a stack of its own; --keep: then the console on the loaded year until Ctrl-C
            asyncio.run(main(keep="--keep" in args))
        else:
            asyncio.run(into_running())
