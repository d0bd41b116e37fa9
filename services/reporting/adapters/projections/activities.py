"""Initiatives, dedicated works, targets, covenants, block scores and acclaims."""

from __future__ import annotations

import asyncpg

from services.reporting.adapters.projections.common import Envelope, day, history, name_of


async def initiative_changed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d, name = e["data"], name_of(e)
    await conn.execute(
        f'INSERT INTO "{s}".initiatives (federation, initiative, unit, year) VALUES ($1, $2, $3, $4) '
        "ON CONFLICT DO NOTHING",
        d["federation"],
        d["initiative"],
        d["unit"],
        d["year"],
    )
    if name == "initiative-registered":
        await conn.execute(
            f'UPDATE "{s}".initiatives SET title = $3, field = $4, author_kind = $5, author_code = $6, '
            "unit_path = COALESCE(unit_path, $7), registered_on = $8, "
            "benefit_value = COALESCE(benefit_value, $9) WHERE federation = $1 AND initiative = $2",
            d["federation"],
            d["initiative"],
            d.get("title"),
            d.get("field"),
            d.get("author_kind"),
            d.get("author_code"),
            d.get("unit_path"),
            day(d.get("registered_on")),
            d.get("benefit_value"),
        )
    elif name == "initiative-corrected":
        await conn.execute(
            f'UPDATE "{s}".initiatives SET title = $3, field = $4, benefit_value = $5 '
            "WHERE federation = $1 AND initiative = $2",
            d["federation"],
            d["initiative"],
            d.get("title"),
            d.get("field"),
            d.get("benefit_value"),
        )
    else:
        recognised = name == "initiative-recognised"
        # The later decision wins: versions order recognition and rejection.
        await conn.execute(
            f'UPDATE "{s}".initiatives SET recognised_on = $3, rejected_on = $4, '
            "benefit_value = COALESCE($5, benefit_value), decided_version = $6 "
            "WHERE federation = $1 AND initiative = $2 AND decided_version < $6",
            d["federation"],
            d["initiative"],
            day(d.get("recognised_on")) if recognised else None,
            None if recognised else day(d.get("rejected_on")),
            d.get("benefit_value") if recognised else None,
            e["version"],
        )
    if d.get("author_kind") and d.get("author_code"):
        await history(conn, s, e, d["author_kind"], d["author_code"])


async def work_changed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d, name = e["data"], name_of(e)
    if name == "work-corrected":  # in the work's unit's history, with its reason
        await conn.execute(
            f'UPDATE "{s}".works SET name = $3, value = $4, occasion = $5 '
            "WHERE federation = $1 AND work = $2",
            d["federation"],
            d["work"],
            d.get("name"),
            d.get("value"),
            d.get("occasion"),
        )
        await history(conn, s, e, "unit", d["unit"])
        return
    column = {
        "work-registered": "registered_on",
        "work-completed": "completed_on",
        "work-plaqued": "plaqued_on",
    }[name]
    await conn.execute(
        f'INSERT INTO "{s}".works (federation, work, name, unit, unit_path, value, occasion, year, '
        f"{column}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (federation, work) DO "
        f"UPDATE SET {column} = EXCLUDED.{column}, "
        "occasion = COALESCE(EXCLUDED.occasion, works.occasion), "
        "value = COALESCE(EXCLUDED.value, works.value)",
        d["federation"],
        d["work"],
        d.get("name"),
        d["unit"],
        d.get("unit_path"),
        d.get("value"),
        d.get("occasion"),
        d["year"],
        day(d.get(column)),
    )


async def target_assigned(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".targets AS t VALUES ($1, $2, $3, $4, $5, $6, $7, $8) '
        "ON CONFLICT (federation, unit, programme, year, origin) DO UPDATE SET "
        "target = EXCLUDED.target, version = EXCLUDED.version WHERE t.version < EXCLUDED.version",
        d["federation"],
        d["unit"],
        d.get("unit_path"),
        d["programme"],
        d["year"],
        d.get("origin", "assigned"),
        d["target"],
        e["version"],
    )


# Covenants, block scores and acclaims keep the covenant's version (one covenant per block and
# year): an older event, applied after a newer one by another replica, never overwrites it.


async def covenant_signed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".covenants AS c (federation, block, year, block_name, units, signed_on, '
        "version) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (federation, block, year) DO UPDATE "
        "SET units = EXCLUDED.units, version = EXCLUDED.version WHERE c.version <= EXCLUDED.version",
        d["federation"],
        d["block"],
        d["year"],
        d.get("block_name"),
        d["units"],
        day(d.get("signed_on")),
        e["version"],
    )


async def block_scored(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    for score in d["scores"]:
        # `<=`: a sheet that scores a unit twice keeps its last line, as one at a time would.
        await conn.execute(
            f'INSERT INTO "{s}".block_scores AS b (federation, block, year, unit, score, version) '
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (federation, block, year, unit) DO UPDATE "
            "SET score = EXCLUDED.score, version = EXCLUDED.version WHERE b.version <= EXCLUDED.version",
            d["federation"],
            d["block"],
            d["year"],
            score["unit"],
            score["score"],
            e["version"],
        )


async def leader_acclaimed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".acclaims AS a (federation, block, year, block_name, units, acclaimed_on, '
        "version) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (federation, block, year) DO UPDATE "
        "SET units = EXCLUDED.units, version = EXCLUDED.version WHERE a.version <= EXCLUDED.version",
        d["federation"],
        d["block"],
        d["year"],
        d.get("block_name"),
        d["units"],
        day(d.get("acclaimed_on")),
        e["version"],
    )
