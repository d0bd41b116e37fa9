"""A member's or unit's history: every pledge, nomination, grant and revocation, as of a date.
"As of" is by when things happened, not when they were recorded: each line has the day its event
took effect (`happened_on`: a grant's decision date, a revocation's, a rating's year end …) and
the moment it was recorded (`recorded_at`, also `occurred_at`); a line belongs to the history as
of a date when it happened on or before it, though keyed in later, and the lines go in the order
they happened.
It follows the subject across a federation merge: the code is looked up in the federations
merged into the one asked for, too.

Each line that names a unit carries that unit's path as the tree stood on the history's date
(`unit_path`), and so does the subject; a reader limited to a subtree (`covers`) gets only the
lines of units inside it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import asyncpg

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries.history import history_rows
from services.reporting.adapters.report_queries.scope import unit_paths
from shared.kernel import clock

# (federation, unit path) -> whether the reader may see a line of that unit
Covers = Callable[[str, list[str]], bool]

DETAIL_FIELDS = (
    "decision_number",
    "decision_date",
    "signer",
    "authority",
    "award_name",
    "level",
    "movement",
    "reason",
    "reference",
    "revoked_on",
    "cancelled_on",
    "by",
    "was",
    "subject_name",
    "on",
    "pledged_on",
    "rating",
    "nomination",
    "unit",
    "from_unit",
    "effective_on",
    "source",
    "record",
)


def _entries(
    rows: list[asyncpg.Record],
    details: list[dict[str, Any]],
    paths: dict[str, list[str]],
    federation: str,
    covers: Covers | None,
) -> tuple[list[dict[str, Any]], dict[tuple[str, int], dict[str, Any]]]:
    """The lines the reader may see, each unit placed by its path, and the grants still held
    at the end (award, year) -> the line that granted it."""
    entries = []
    held: dict[tuple[str, int], dict[str, Any]] = {}
    for r, detail in zip(rows, details, strict=True):
        entry = {
            "event_id": str(r["event_id"]),
            "federation": r["federation"],
            "what": r["what"],
            "subject_code": r["subject_code"],  # a unit's former code on its lines from before
            "occurred_at": r["occurred_at"].isoformat(),
            "happened_on": r["happened_on"].isoformat(),
            "recorded_at": r["occurred_at"].isoformat(),
            "award": r["award"],
            "year": r["year"],
            "actor": r["actor"],
            **{k: detail[k] for k in DETAIL_FIELDS if k in detail},
        }
        if isinstance(entry.get("unit"), str):
            path = paths.get(entry["unit"]) or detail.get("unit_path") or None
            entry["unit_path"] = path
            if covers is not None and not (path and covers(federation, path)):
                continue  # another subtree's line
        if covers is not None and isinstance(entry.get("from_unit"), str):
            came_from = paths.get(entry["from_unit"])
            if not (came_from and covers(federation, came_from)):
                entry["from_unit"] = None  # where the member came from is another subtree's
        entries.append(entry)
        if r["what"] == "award-granted":
            held[(r["award"], r["year"])] = entry
        elif r["what"] in ("award-revoked", "grant-cancelled"):
            held.pop((r["award"], r["year"]), None)
    return entries, held


async def history(
    reads: Reads,
    federation: str,
    subject_kind: str,
    code: str,
    as_of: date | None,
    placed: tuple[str | None, list[str]] | None = None,
    covers: Covers | None = None,
) -> dict[str, Any]:
    """`placed`: the subject's unit and path (scope.subject_placement)."""
    rows = await history_rows(reads, federation, subject_kind, code, as_of)
    details = [json.loads(r["detail"]) for r in rows]
    named = {d[k] for d in details for k in ("unit", "from_unit") if isinstance(d.get(k), str)}
    paths = await unit_paths(reads, federation, named, as_of or clock.today())
    entries, held = _entries(rows, details, paths, federation, covers)
    return {
        "federation": federation,
        "subject_kind": subject_kind,
        "code": code,
        "unit": placed[0] if placed else None,
        "unit_path": placed[1] if placed else None,
        "as_of": as_of.isoformat() if as_of else None,
        "awards_held": [
            {
                "award": a,
                "year": y,
                "decision_number": e.get("decision_number"),
                "decision_date": e.get("decision_date"),
                "recorded_at": e["recorded_at"],
            }
            for (a, y), e in sorted(held.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ],
        "entries": entries,
    }
