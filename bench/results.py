"""bench/results/latest.json (and a timestamped copy of every run), and the printed table."""

from __future__ import annotations

import json
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import console_pages

RESULTS = Path(__file__).resolve().parent / "results"

# (key, product figure, raw figure, target, higher is better)
TARGETS: dict[str, float] = {
    "single_command": 0.25,
    "bulk_import": 0.3,
    "relay": 0.5,
    "projection": 0.3,
    "rebuild": 0.1,
}
LATENCY_TARGETS: dict[str, float] = {"e2e_p99": 250, "history_p99": 50, "report_p99": 50}
LIST_KINDS = ("units", "members", "initiatives", "works", "targets", "ratings", "nominations")


def ratio(product: float | None, raw: float | None) -> float | None:
    if not product or not raw:
        return None
    return round(product / raw, 3)


def verdicts(doc: dict[str, Any]) -> dict[str, str]:
    out = {}
    for key, target in TARGETS.items():
        r = doc["ratios"].get(key)
        out[key] = "not measured" if r is None else ("met" if r >= target else "missed")
    for key, target in LATENCY_TARGETS.items():
        x = doc["latency_ms"].get(key)
        out[key] = "not measured" if x is None else ("met" if x < target else "missed")
    pages = (doc.get("console") or {}).get("pages")
    if pages:
        seen = {r["verdict"] for r in pages}
        out["console_pages"] = next(v for v in ("not measured", "missed", "met") if v in seen or v == "met")
    return out


def console_lines(console: dict[str, Any] | None) -> list[str]:
    """Each console page's p50/p95 at the server (bench/console_pages.py)."""
    if not console or not console.get("pages"):
        return []
    head = (
        f"console on {console['federation']} ({console['members']:,} members, {console['units']:,} units; "
        f"{console['awards'].get('nominations', 0):,} nominations this year), "
        f"{console['pages'][0]['n']} requests a page, load {console.get('loadavg')}"
    )
    before = console.get("before")
    if before:
        head += f"; before: {before['checkout']} (its console and reporting, same run)"
    return [head, *console_pages.lines(console["pages"], before and before["pages"])]


def save(doc: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    copy = RESULTS / f"{stamp}-{doc['profile']}.json"
    copy.write_text(text)
    (RESULTS / "latest.json").write_text(text)
    return copy


def _ms(x: Any) -> str:
    return "—" if x is None else f"{x:.1f}"


def _fmt(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.0f}"
    return str(x)


def _rate_rows(doc: dict[str, Any], v: dict[str, str]) -> list[tuple[str, Any, Any, Any, str, str]]:
    """The throughput paths' rows: name, product figure, raw figure, ratio, target, verdict."""
    rates = doc["rates"]

    def get(path: str, side: str, key: str) -> Any:
        return ((rates.get(path) or {}).get(side) or {}).get(key)

    return [
        (
            "single command (pledges/s, 4 clients)",
            get("single_command", "product", "pledges_per_s"),
            get("single_command", "raw", "rows_per_s"),
            doc["ratios"].get("single_command"),
            "≥ 0.25",
            v["single_command"],
        ),
        (
            "bulk import JSON, keep-good-rows (rows/s)",
            get("bulk_import", "product", "rows_per_s"),
            get("bulk_import", "raw", "executemany_rows_per_s"),
            doc["ratios"].get("bulk_import"),
            "≥ 0.3",
            v["bulk_import"],
        ),
        (
            "bulk import .xlsx, keep-good-rows (rows/s)",
            get("bulk_import", "product_xlsx", "rows_per_s"),
            get("bulk_import", "raw", "executemany_rows_per_s"),
            doc["ratios"].get("bulk_import_xlsx"),
            "",
            "",
        ),
        (
            "bulk import JSON, all-or-nothing (rows/s)",
            get("bulk_import", "product_all_or_nothing", "rows_per_s"),
            get("bulk_import", "raw", "executemany_rows_per_s"),
            doc["ratios"].get("bulk_import_all_or_nothing"),
            "",
            "",
        ),
        (
            "bulk vs COPY (rows/s)",
            get("bulk_import", "product", "rows_per_s"),
            get("bulk_import", "raw", "copy_rows_per_s"),
            doc["ratios"].get("bulk_import_copy"),
            "",
            "",
        ),
        *_list_rows(doc, get("bulk_import", "raw", "executemany_rows_per_s")),
        (
            "relay (events/s)",
            get("relay", "product", "events_per_s"),
            get("relay", "raw", "msgs_per_s"),
            doc["ratios"].get("relay"),
            "≥ 0.5",
            v["relay"],
        ),
        (
            "projection (events/s)",
            get("projection", "product", "events_per_s"),
            get("projection", "raw", "msgs_per_s"),
            doc["ratios"].get("projection"),
            "≥ 0.3",
            v["projection"],
        ),
        (
            "rebuild (events/s)",
            get("rebuild", "product", "events_per_s"),
            get("rebuild", "raw", "rows_per_s"),
            doc["ratios"].get("rebuild"),
            "≥ 0.1",
            v["rebuild"],
        ),
    ]


def _lists(doc: dict[str, Any]) -> dict[str, Any]:
    """Every bulk list's figures by kind: registration's (bench/quick_lists.py) and awards'."""
    return {**(doc["rates"].get("bulk_lists") or {}), **(doc["rates"].get("award_lists") or {})}


def _list_rows(doc: dict[str, Any], raw: Any) -> list[tuple[str, Any, Any, Any, str, str]]:
    """The bulk lists' rows (bench/quick_lists.py, bench/award_lists.py), beside bulk_import's raw
    executemany."""
    lists = _lists(doc)
    return [
        (
            f"bulk list {kind}:batch JSON (rows/s)",
            (lists.get(kind) or {}).get("rows_per_s"),
            raw,
            doc["ratios"].get(f"bulk_{kind}"),
            "",
            "",
        )
        for kind in LIST_KINDS
    ]


def list_ratios(doc: dict[str, Any]) -> None:
    """Each bulk list's best round against bulk_import's raw executemany (`bulk_{kind}`) and
    against the best 5,000-row pledges:batch of the same rounds (`{kind}_vs_pledges`,
    bench/quick_lists.py)."""
    lists = _lists(doc)
    raw = ((doc["rates"].get("bulk_import") or {}).get("raw") or {}).get("executemany_rows_per_s")
    pledges = (lists.get("pledges") or {}).get("rows_per_s")
    by_round = (lists.get("pledges") or {}).get("rounds") or []
    for kind in LIST_KINDS:
        rows_per_s = (lists.get(kind) or {}).get("rows_per_s")
        doc["ratios"][f"bulk_{kind}"] = ratio(rows_per_s, raw)
        doc["ratios"][f"{kind}_vs_pledges"] = ratio(rows_per_s, pledges)
        # Each round against the same round's pledges, the median of them: the best rounds swing
        # with the machine, a round's pair shares its moment (bench/quick_lists.py).
        paired = [
            r / p for r, p in zip((lists.get(kind) or {}).get("rounds") or [], by_round, strict=False) if p
        ]
        doc["ratios"][f"{kind}_vs_pledges_paired"] = round(statistics.median(paired), 3) if paired else None


def versus_pledges_lines(doc: dict[str, Any]) -> list[str]:
    """The bulk lists beside pledges:batch: each kind's best round, every round, and the ratio."""
    lists = _lists(doc)
    lines = []
    for kind in ("pledges", *LIST_KINDS):
        found = lists.get(kind) or {}
        if "rows_per_s" not in found:
            continue
        rounds = " / ".join(f"{x:,.0f}" for x in found.get("rounds", []))
        against = "" if kind == "pledges" else f"  vs pledges {_fmt(doc['ratios'].get(f'{kind}_vs_pledges'))}"
        if kind != "pledges" and doc["ratios"].get(f"{kind}_vs_pledges_paired") is not None:
            against += f", round by round {_fmt(doc['ratios'][f'{kind}_vs_pledges_paired'])}"
        name = f"best of rounds, {kind} (rows/s)"
        lines.append(f"{name:42} {found['rows_per_s']:>10,.0f}  ({rounds}){against}")
    return lines


def _latency_lines(doc: dict[str, Any], v: dict[str, str]) -> list[str]:
    """End to end at both rates, and the two reads, in milliseconds."""
    rates = doc["rates"]
    lat = doc["latency_ms"]
    raw_e2e = (rates.get("end_to_end") or {}).get("raw") or {}
    lines = [
        f"{'end to end p50 / p99 (ms, 100 cmd/s)':42} {_ms(lat.get('e2e_p50'))} / {_ms(lat.get('e2e_p99'))}"
        f"  (broker confirm {_ms(raw_e2e.get('p50_ms'))} / {_ms(raw_e2e.get('p99_ms'))})"
        f"  target p99 < 250: {v['e2e_p99']}"
    ]
    low = (rates.get("end_to_end") or {}).get("product_low_rate") or {}
    if low:
        name = f"end to end p50 / p99 (ms, {low['offered_per_s']:g} cmd/s)"
        lines.append(f"{name:42} {_ms(low.get('p50_ms'))} / {_ms(low.get('p99_ms'))}")
    reads = rates.get("reads") or {}
    for key, name in (("history", "member history"), ("report", "yearly awards report")):
        part = reads.get(key) or {}
        lines.append(
            f"{name + ' p50 / p99 (ms)':42} {_ms(part.get('p50_ms'))} / {_ms(part.get('p99_ms'))}"
            f"  ({reads.get('data_set', '?')} data set)  target p99 < 50: {v[key + '_p99']}"
        )
    return lines


def council_lines(votes: dict[str, Any] | None) -> list[str]:
    """One vote's p50 at 10 and at 1,000 nominations side by side, and whole agendas (bench/councils.py)."""
    if not votes:
        return []
    at10, at1000 = votes["vote_ms_at_10_after"], votes["vote_ms_at_1000_after"]
    return [
        f"{'council vote p50 (ms), 10 vs 1,000 nominations':42} {at10['p50']:.1f} vs {at1000['p50']:.1f}"
        f"  ratio {votes['ratio_1000_to_10']} (at the start {votes['vote_ms_at_10']['p50']:.1f} vs "
        f"{votes['vote_ms_at_1000_start']['p50']:.1f}, ratio {votes['ratio_1000_to_10_at_start']})",
        f"{'council, 1,000-nomination agenda (ms)':42} one member {votes['agenda_1000_one_member_ms']:.0f}, "
        f"15 members p50 {votes['agenda_1000_each_of_15_members_ms']['p50']:.0f} "
        f"({votes['agenda_1000_per_vote_ms']} ms a vote); resolving {votes['resolve_1000_ms']:.0f}",
    ]


def document_lines(printed: dict[str, Any] | None) -> list[str]:
    """A 500-grant decision printed, and a read's latency beside it (bench/documents.py)."""
    if not printed:
        return []
    idle, busy = printed["read_ms_idle"], printed["read_ms_while_rendering"]
    return [
        f"{'decision of ' + str(printed['grants']) + ' grants: .docx / .pdf (s)':42} "
        f"{printed['docx_s']:.2f} / {printed['pdf_s']:.2f}  target .docx < 3: "
        f"{'met' if printed['docx_s'] < 3 else 'missed'}",
        f"{'its certificates, one PDF (s)':42} {printed['certificates_s']:.1f} "
        f"({printed['certificates_per_s']} a second)  target < 30: "
        f"{'met' if printed['certificates_s'] < 30 else 'missed'}",
        f"{'a read p50 / max (ms), idle vs rendering':42} {idle['p50']} / {idle['max']} vs "
        f"{busy['p50']} / {busy['max']}",
    ]


def table(doc: dict[str, Any]) -> str:
    v = verdicts(doc)
    lines = [
        f"profile {doc['profile']}, {doc.get('events', '?')} events, {doc['seconds']:.0f} s, "
        f"git {doc['machine'].get('git')}, load {doc['machine'].get('loadavg_start')}",
        f"{'path':42} {'product':>10} {'raw':>10} {'ratio':>7}  {'target':7} verdict",
    ]
    for name, product, raw, r, target, verdict in _rate_rows(doc, v):
        lines.append(f"{name:42} {_fmt(product):>10} {_fmt(raw):>10} {_fmt(r):>7}  {target:7} {verdict}")
    lines += versus_pledges_lines(doc)
    lines += _latency_lines(doc, v)
    lines += council_lines(doc["rates"].get("council_votes"))
    lines += document_lines(doc["rates"].get("documents"))
    lines += console_lines(doc.get("console"))
    for path, reason in sorted(doc.get("missing", {}).items()):
        lines.append(f"not measured: {path}: {reason}")
    return "\n".join(lines)
