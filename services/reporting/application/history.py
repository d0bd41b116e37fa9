"""Report queries over the read models."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import asyncpg

from shared.clock import VIETNAM


class Reports:
    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.s = schema

    async def registrations(self, federation: str, year: int) -> dict[str, Any]:
        """Pledges by award and subject kind, with their states; withdrawn ones not counted."""
        rows = await self.pool.fetch(
            f'SELECT award, subject_kind, state, count(*) AS n FROM "{self.s}".pledges '
            "WHERE federation = $1 AND year = $2 GROUP BY award, subject_kind, state "
            "ORDER BY award, subject_kind, state",
            federation,
            year,
        )
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for r in rows:
            g = groups.setdefault(
                (r["award"], r["subject_kind"]),
                {"award": r["award"], "subject_kind": r["subject_kind"], "pledged": 0, "by_state": {}},
            )
            g["by_state"][r["state"]] = r["n"]
            if r["state"] != "withdrawn":
                g["pledged"] += r["n"]
        return {
            "federation": federation,
            "year": year,
            "pledged": sum(g["pledged"] for g in groups.values()),
            "by_award": list(groups.values()),
        }

    async def history(
        self, federation: str, subject_kind: str, code: str, as_of: date | None
    ) -> dict[str, Any]:
        until = (
            datetime.combine(as_of + timedelta(days=1), time(), VIETNAM)
            if as_of
            else datetime.max.replace(tzinfo=VIETNAM)
        )
        rows = await self.pool.fetch(
            f'SELECT event_id, what, occurred_at, award, year, detail, actor FROM "{self.s}".history '
            "WHERE federation = $1 AND subject_kind = $2 AND subject_code = $3 "
            "AND occurred_at < $4 ORDER BY occurred_at, event_id",
            federation,
            subject_kind,
            code,
            until,
        )
        entries = []
        held: dict[tuple[str, int], dict[str, Any]] = {}
        for r in rows:
            detail = json.loads(r["detail"])
            entry = {
                "event_id": str(r["event_id"]),
                "what": r["what"],
                "occurred_at": r["occurred_at"].isoformat(),
                "award": r["award"],
                "year": r["year"],
                "actor": r["actor"],
                **_decision_fields(detail),
            }
            entries.append(entry)
            if r["what"] == "award-granted":
                held[(r["award"], r["year"])] = entry
            elif r["what"] == "award-revoked":
                held.pop((r["award"], r["year"]), None)
        return {
            "federation": federation,
            "subject_kind": subject_kind,
            "code": code,
            "as_of": as_of.isoformat() if as_of else None,
            "awards_held": sorted(
                (
                    {"award": a, "year": y, "decision_number": e.get("decision_number")}
                    for (a, y), e in held.items()
                ),
                key=lambda x: (x["year"], x["award"]),
            ),
            "entries": entries,
        }


def _decision_fields(detail: dict[str, Any]) -> dict[str, Any]:
    keys = (
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
        "on",
        "pledged_on",
    )
    return {k: detail[k] for k in keys if k in detail}
