"""Helpers shared by the projections."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

import asyncpg
import orjson

from shared.kernel.clock import VIETNAM

Envelope = dict[str, Any]
Projection = Callable[[asyncpg.Connection, str, Envelope], Awaitable[None]]
EPOCH = date(1900, 1, 1)
HISTORY_COLUMNS = (
    "event_id, federation, subject_kind, subject_code, what, occurred_at, award, year, detail, actor, "
    + "happened_on"
)
_json_encode = json.JSONEncoder(ensure_ascii=False).encode


def to_json(value: Any) -> str:
    """JSON text for a jsonb column (PostgreSQL normalises key order and spacing)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson refuses integers beyond 64 bits; the standard encoder does not
        return _json_encode(value)


def day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def name_of(envelope: Envelope) -> str:
    return _name(envelope["type"])


@functools.lru_cache(maxsize=256)
def _name(event_type: str) -> str:
    return str(event_type.split(".")[2])


# The field holding the day a history line's event took effect, per event: a grant's decision,
# a revocation's, a pledge's steps, a unit's or member's change, an initiative's decision. A
# rating is the year's (its last day); an event without such a day (a nomination, a correction,
# a member's registration) happened when it was recorded, in Vietnam.
BUSINESS_DAY = {
    "award-granted": "decision_date",
    "award-revoked": "revoked_on",
    "grant-cancelled": "cancelled_on",
    "discipline-recorded": "decided_on",
    "pledge-registered": "pledged_on",
    **{f"pledge-{step}": "on" for step in ("accepted", "returned", "resubmitted", "withdrawn")},
    **{f"unit-{c}": "effective_on" for c in ("registered", "moved", "merged", "dissolved")},
    **{f"member-{c}": "effective_on" for c in ("transferred", "left")},
    **{f"initiative-{c}": f"{c}_on" for c in ("registered", "recognised", "rejected")},
    "unit-headcount-recorded": "counted_on",
}
YEAR_END = ("rating-recorded",)


def happened_on(what: str, data: dict[str, Any], recorded: datetime) -> date:
    """The day a history line's event happened (BUSINESS_DAY), else the day it was recorded."""
    field = BUSINESS_DAY.get(what)
    if field and data.get(field):
        return date.fromisoformat(str(data[field])[:10])
    if what in YEAR_END and isinstance(data.get("year"), int):
        return date(data["year"], 12, 31)
    return recorded.astimezone(VIETNAM).date()


def happened_on_sql() -> str:
    """`happened_on` of a stored history line, from its detail (filling the column's older rows)."""
    fields = "".join(
        f"WHEN '{what}' THEN NULLIF(left(detail->>'{f}', 10), '') " for what, f in BUSINESS_DAY.items()
    )
    years = ", ".join(f"'{w}'" for w in YEAR_END)
    return (
        f"COALESCE((CASE what {fields}END)::date, CASE WHEN what IN ({years}) AND "
        "jsonb_typeof(detail->'year') = 'number' THEN make_date((detail->>'year')::int, 12, 31) END, "
        "(occurred_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)"
    )


async def history(
    conn: asyncpg.Connection,
    s: str,
    e: Envelope,
    subject_kind: str | None = None,
    subject_code: str | None = None,
) -> None:
    """One line in a member's or unit's history, whatever the event. Its detail keeps the
    record the event belongs to (`record`: the envelope's subject and the service that stored
    it), so an auditor can ask that service for the record's whole trail."""
    d = e["data"]
    detail = {**d, "record": {"service": e["source"].removeprefix("tdkt/"), "id": e["subject"]}}
    what, recorded = name_of(e), datetime.fromisoformat(e["time"])
    await conn.execute(
        f'INSERT INTO "{s}".history ({HISTORY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '
        "$10, $11) ON CONFLICT DO NOTHING",
        e["id"],
        d["federation"],
        subject_kind or d["subject_kind"],
        subject_code or d["subject_code"],
        what,
        recorded,
        d.get("award"),
        d.get("year"),
        to_json(detail),
        e.get("actor", ""),
        happened_on(what, d, recorded),
    )
