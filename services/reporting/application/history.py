"""A member's or unit's history: every pledge, nomination, grant and revocation, as of a date.
It follows the subject across a federation merge: the code is looked up in the federations
merged into the one asked for, too."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import asyncpg

from shared.clock import VIETNAM

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
    "on",
    "pledged_on",
    "rating",
    "nomination",
    "unit",
    "from_unit",
    "effective_on",
    "source",
)


async def history(
    pool: asyncpg.Pool, s: str, federation: str, subject_kind: str, code: str, as_of: date | None
) -> dict[str, Any]:
    until = (
        datetime.combine(as_of + timedelta(days=1), time(), VIETNAM)
        if as_of
        else datetime.max.replace(tzinfo=VIETNAM)
    )
    rows = await pool.fetch(
        f'SELECT event_id, federation, what, occurred_at, award, year, detail, actor FROM "{s}".history '
        # the federations are resolved first (an init plan), so the lookup is one index range
        # per federation instead of a filter over every row of the subject's kind
        f'WHERE federation = ANY(ARRAY(SELECT federation FROM "{s}".federation_merges '
        "WHERE into_federation = $1) || $1::text) AND subject_kind = $2 AND subject_code = $3 "
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
            "federation": r["federation"],
            "what": r["what"],
            "occurred_at": r["occurred_at"].isoformat(),
            "award": r["award"],
            "year": r["year"],
            "actor": r["actor"],
            **{k: detail[k] for k in DETAIL_FIELDS if k in detail},
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
        "awards_held": [
            {
                "award": a,
                "year": y,
                "decision_number": e.get("decision_number"),
                "decision_date": e.get("decision_date"),
            }
            for (a, y), e in sorted(held.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ],
        "entries": entries,
    }
