"""Helpers shared by the projections."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

import asyncpg
import orjson

Envelope = dict[str, Any]
Projection = Callable[[asyncpg.Connection, str, Envelope], Awaitable[None]]
EPOCH = date(1900, 1, 1)
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
    await conn.execute(
        f'INSERT INTO "{s}".history VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING',
        e["id"],
        d["federation"],
        subject_kind or d["subject_kind"],
        subject_code or d["subject_code"],
        name_of(e),
        datetime.fromisoformat(e["time"]),
        d.get("award"),
        d.get("year"),
        to_json(detail),
        e.get("actor", ""),
    )
