"""Federations, units and members, each change kept as a dated version."""

from __future__ import annotations

import asyncpg

from services.reporting.adapters.projections.common import EPOCH, Envelope, day, history, name_of


async def federation_created(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".federations VALUES ($1, $2) ON CONFLICT DO NOTHING', d["federation"], d["name"]
    )


async def federation_merged(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".federation_merges VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        d["federation"],
        d["into"],
        day(d["effective_on"]),
    )


async def unit_changed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """unit-registered / -moved / -merged / -dissolved: a new version of the unit."""
    d, change = e["data"], name_of(e).removeprefix("unit-")
    ancestry = d.get("ancestry")
    if ancestry is None:  # merged or dissolved: the unit keeps its place until then
        ancestry = await conn.fetchval(
            f'SELECT ancestry FROM "{s}".units WHERE federation = $1 AND code = $2 '
            "AND version < $3 ORDER BY version DESC LIMIT 1",
            d["federation"],
            d["code"],
            e["version"],
        ) or [d["code"]]
    await conn.execute(
        f'INSERT INTO "{s}".units VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) '
        "ON CONFLICT DO NOTHING",
        d["federation"],
        d["code"],
        e["version"],
        d.get("name"),
        d.get("kind"),
        d.get("to_parent", d.get("parent")),
        ancestry,
        d.get("to_federation") or d["federation"],
        day(d.get("effective_on")) or EPOCH,
        change,
        d.get("into"),
    )
    await history(conn, s, e, "unit", d["code"])


async def member_changed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d, change = e["data"], name_of(e).removeprefix("member-")
    await conn.execute(
        f'INSERT INTO "{s}".members VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING',
        d["federation"],
        d["code"],
        e["version"],
        d.get("full_name"),
        d["unit"],
        d.get("unit_path"),
        day(d.get("effective_on")) or EPOCH,
        change,
    )
    await history(conn, s, e, "member", d["code"])
