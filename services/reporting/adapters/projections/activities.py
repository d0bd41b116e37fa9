"""Initiatives, dedicated works, targets, covenants, block scores and acclaims."""

from __future__ import annotations

import asyncpg

from services.reporting.adapters.projections.common import Envelope, day, history, name_of


async def initiative_changed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """Title and field come from the latest registration or correction (`text_version`), the
    benefit from the latest event that states it (`benefit_version`; a correction states it even
    when empty), the decision from the latest decision (`decided_version`): any order, one result."""
    d, name, v = e["data"], name_of(e), e["version"]
    await conn.execute(
        f'INSERT INTO "{s}".initiatives (federation, initiative, unit, year) VALUES ($1, $2, $3, $4) '
        "ON CONFLICT DO NOTHING",
        d["federation"],
        d["initiative"],
        d["unit"],
        d["year"],
    )
    benefit = d.get("benefit_value") if name != "initiative-rejected" else None
    states_benefit = name == "initiative-corrected" or benefit is not None
    key = (d["federation"], d["initiative"], v, benefit, states_benefit)
    # $1, $2: the row; $3: the event's version; $4, $5: its benefit and whether it states one
    benefit_sql = (
        "benefit_value = CASE WHEN $5 AND benefit_version < $3 THEN $4::bigint ELSE benefit_value END, "
        "benefit_version = CASE WHEN $5 THEN GREATEST(benefit_version, $3) ELSE benefit_version END"
    )
    where = " WHERE federation = $1 AND initiative = $2"
    if name in ("initiative-registered", "initiative-corrected"):
        text = (
            "title = CASE WHEN text_version < $3 THEN $6 ELSE title END, "
            "field = CASE WHEN text_version < $3 THEN $7 ELSE field END, "
            "text_version = GREATEST(text_version, $3)"
        )
        args = [*key, d.get("title"), d.get("field")]
        if name == "initiative-registered":
            text += (
                ", author_kind = $8, author_code = $9, unit_path = COALESCE(unit_path, $10), "
                "registered_on = $11"
            )
            args += [
                d.get("author_kind"),
                d.get("author_code"),
                d.get("unit_path"),
                day(d.get("registered_on")),
            ]
        await conn.execute(f'UPDATE "{s}".initiatives SET {text}, {benefit_sql}{where}', *args)
    else:
        recognised = name == "initiative-recognised"
        later = "decided_version < $3"
        await conn.execute(
            f'UPDATE "{s}".initiatives SET recognised_on = CASE WHEN {later} THEN $6 ELSE recognised_on '
            f"END, rejected_on = CASE WHEN {later} THEN $7 ELSE rejected_on END, "
            f"decided_version = GREATEST(decided_version, $3), {benefit_sql}{where}",
            *key,
            day(d.get("recognised_on")) if recognised else None,
            None if recognised else day(d.get("rejected_on")),
        )
    if d.get("author_kind") and d.get("author_code"):
        await history(conn, s, e, d["author_kind"], d["author_code"])


async def work_changed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """Every event of a work carries its name and value as they stand, registration and
    correction its occasion too: each is kept from the latest event carrying it (`version`,
    `occasion_version`), and each step's day from its own event, so any order gives one result."""
    d, name = e["data"], name_of(e)
    column = {
        "work-registered": "registered_on",
        "work-completed": "completed_on",
        "work-plaqued": "plaqued_on",
        "work-corrected": None,
    }[name]
    carries_occasion = name in ("work-registered", "work-corrected")
    step = f", {column}" if column else ""
    await conn.execute(
        f'INSERT INTO "{s}".works AS w (federation, work, name, unit, unit_path, value, occasion, '
        f"year, version, occasion_version{step}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10"
        f"{', $11' if column else ''}) ON CONFLICT (federation, work) DO UPDATE SET "
        + (f"{column} = EXCLUDED.{column}, " if column else "")
        + "name = CASE WHEN w.version <= EXCLUDED.version THEN EXCLUDED.name ELSE w.name END, "
        "value = CASE WHEN w.version <= EXCLUDED.version THEN EXCLUDED.value ELSE w.value END, "
        "version = GREATEST(w.version, EXCLUDED.version), occasion = CASE WHEN "
        "w.occasion_version < EXCLUDED.occasion_version THEN EXCLUDED.occasion ELSE w.occasion END, "
        "occasion_version = GREATEST(w.occasion_version, EXCLUDED.occasion_version)",
        d["federation"],
        d["work"],
        d.get("name"),
        d["unit"],
        d.get("unit_path"),
        d.get("value"),
        d.get("occasion"),
        d["year"],
        e["version"],
        e["version"] if carries_occasion else 0,
        *([day(d.get(column))] if column else []),
    )
    if name == "work-corrected":  # in the work's unit's history, with its reason
        await history(conn, s, e, "unit", d["unit"])


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
