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
    """unit-registered / unit-moved: a new version of the unit's place in the tree."""
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".units VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING',
        d["federation"],
        d["code"],
        e["version"],
        d.get("name"),
        d.get("kind"),
        d.get("to_parent", d.get("parent")),
        d["ancestry"],
        d.get("to_federation") or d["federation"],
        day(d.get("effective_on")) or EPOCH,
        name_of(e).removeprefix("unit-"),
    )
    await history(conn, s, e, "unit", d["code"])


async def unit_ended(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """unit-merged / unit-dissolved: the unit keeps its last place; its facts still count."""
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".unit_endings VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        d["federation"],
        d["code"],
        name_of(e).removeprefix("unit-"),
        d.get("into"),
        day(d.get("effective_on")) or EPOCH,
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
