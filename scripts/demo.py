"""`make demo`: a federation year through the public APIs, then the reports it produces.

Starts the three services on their own database, exchange and ports, loads Bắc Kạn's 2023
(seed 000: pledges, works, initiatives, awards) with generated people and units, waits for
reporting to catch up, prints the registrations, awards, initiatives and works reports (the
article's figures), writes their .xlsx exports, then stops and cleans up. With `--keep`
(`make demo ARGS=--keep`) it then runs the console on that year until Ctrl-C."""

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
from services.reporting.adapters.xlsx import HEADINGS
from tests.support import Isolation, ServiceProcess, bearer

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


if __name__ == "__main__":
    import contextlib
    import sys

    # --keep: after the reports, the console on the loaded year until Ctrl-C (then cleaned up).
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(keep="--keep" in sys.argv[1:]))
