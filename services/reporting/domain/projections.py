"""How each event type changes the read models. An event type not listed here fails loudly:
the consumer dead-letters it with the reason instead of skipping it (I3)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

import asyncpg

from shared.consumer import PoisonMessage

Projection = Callable[[asyncpg.Connection, str, dict[str, Any]], Awaitable[None]]

PLEDGE_STATES = {
    "pledge-registered": "submitted",
    "pledge-accepted": "accepted",
    "pledge-returned": "returned",
    "pledge-resubmitted": "submitted",
    "pledge-withdrawn": "withdrawn",
}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


async def federation_created(conn: asyncpg.Connection, s: str, e: dict[str, Any]) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".federations VALUES ($1, $2) ON CONFLICT DO NOTHING', d["federation"], d["name"]
    )


async def unit_registered(conn: asyncpg.Connection, s: str, e: dict[str, Any]) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".units VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
        d["federation"],
        d["code"],
        d["name"],
        d["kind"],
        d["parent"],
        d["ancestry"],
    )


async def member_registered(conn: asyncpg.Connection, s: str, e: dict[str, Any]) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".members VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        d["federation"],
        d["code"],
        d["full_name"],
        d["unit"],
        d["unit_path"],
    )


async def movement_launched(conn: asyncpg.Connection, s: str, e: dict[str, Any]) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".movements VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT DO NOTHING',
        d["federation"],
        d["code"],
        d["name"],
        d["year"],
        d["kind"],
    )


async def movement_closed(conn: asyncpg.Connection, s: str, e: dict[str, Any]) -> None:
    d = e["data"]
    await conn.execute(
        f'UPDATE "{s}".movements SET closed_on = $3 WHERE federation = $1 AND code = $2',
        d["federation"],
        d["code"],
        _day(d["closed_on"]),
    )


async def pledge_changed(conn: asyncpg.Connection, s: str, e: dict[str, Any]) -> None:
    d, name = e["data"], e["type"].split(".")[2]
    # Each event carries the pledge's key, so a transition that overtakes the registration
    # still creates the row; versions keep the latest state whatever the arrival order.
    await conn.execute(
        f'INSERT INTO "{s}".pledges AS p VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '
        "$12, $13) ON CONFLICT (pledge_id) DO UPDATE SET "
        "state = CASE WHEN p.version < EXCLUDED.version THEN EXCLUDED.state ELSE p.state END, "
        "version = GREATEST(p.version, EXCLUDED.version), "
        "phase = COALESCE(p.phase, EXCLUDED.phase), "
        "subject_name = COALESCE(p.subject_name, EXCLUDED.subject_name), "
        "unit_path = COALESCE(p.unit_path, EXCLUDED.unit_path)",
        e["subject"],
        d["federation"],
        d["movement"],
        d["year"],
        d.get("phase"),
        d["award"],
        d["subject_kind"],
        d["subject_code"],
        d.get("subject_name"),
        d["unit"],
        d.get("unit_path"),
        PLEDGE_STATES[name],
        e["version"],
    )
    await _history(conn, s, e, name)


async def award_granted(conn: asyncpg.Connection, s: str, e: dict[str, Any]) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".grants AS g VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '
        "$12, $13, $14, $15, NULL, NULL, $16) ON CONFLICT (grant_id) DO NOTHING",
        e["subject"],
        d["federation"],
        d["subject_kind"],
        d["subject_code"],
        d["subject_name"],
        d["unit"],
        d["unit_path"],
        d["award"],
        d["award_name"],
        d["level"],
        d["year"],
        d["decision_number"],
        _day(d["decision_date"]),
        d["signer"],
        d["authority"],
        e["version"],
    )
    await _history(conn, s, e, "award-granted")


async def award_revoked(conn: asyncpg.Connection, s: str, e: dict[str, Any]) -> None:
    d = e["data"]
    await conn.execute(
        f'UPDATE "{s}".grants SET revoked_on = $2, revoke_reason = $3, version = $4 '
        "WHERE grant_id = $1 AND version < $4",
        e["subject"],
        _day(d["revoked_on"]),
        d["reason"],
        e["version"],
    )
    await _history(conn, s, e, "award-revoked")


async def _history(conn: asyncpg.Connection, s: str, e: dict[str, Any], what: str) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".history VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING',
        e["id"],
        d["federation"],
        d["subject_kind"],
        d["subject_code"],
        what,
        datetime.fromisoformat(e["time"]),
        d.get("award"),
        d.get("year"),
        json.dumps(d, ensure_ascii=False),
        e.get("actor", ""),
    )


async def nothing(conn: asyncpg.Connection, s: str, e: dict[str, Any]) -> None:
    """Known, and deliberately not projected."""


PROJECTIONS: dict[str, Projection] = {
    "tdkt.registration.federation-created.v1": federation_created,
    "tdkt.registration.unit-registered.v1": unit_registered,
    "tdkt.registration.member-registered.v1": member_registered,
    "tdkt.registration.movement-launched.v1": movement_launched,
    "tdkt.registration.movement-closed.v1": movement_closed,
    **{f"tdkt.registration.{name}.v1": pledge_changed for name in PLEDGE_STATES},
    "tdkt.awards.decision-issued.v1": nothing,  # its grants arrive as award-granted
    "tdkt.awards.award-granted.v1": award_granted,
    "tdkt.awards.award-revoked.v1": award_revoked,
}


def projector(schema: str) -> Callable[[asyncpg.Connection, dict[str, Any]], Awaitable[None]]:
    async def project(conn: asyncpg.Connection, envelope: dict[str, Any]) -> None:
        projection = PROJECTIONS.get(envelope["type"])
        if projection is None:
            raise PoisonMessage(f"reporting has no projection for '{envelope['type']}'")
        await projection(conn, schema, envelope)

    return project
