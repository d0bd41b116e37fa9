"""Federations, units and members, each change kept as a dated version."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg

from services.reporting.adapters.projections.common import EPOCH, Envelope, day, history, name_of
from shared.messaging.problems import RESOLVE_SQL, resolve_args


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
    change = name_of(e).removeprefix("unit-")
    place = (d["ancestry"], d.get("to_federation") or d["federation"], day(d.get("effective_on")) or EPOCH)
    await conn.execute(
        f'INSERT INTO "{s}".units VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING',
        d["federation"],
        d["code"],
        e["version"],
        d.get("name"),
        d.get("kind"),
        d.get("to_parent", d.get("parent")),
        *place,
        change,
    )
    carried = -1 - uuid.UUID(str(e["id"])).int % 2_000_000_000
    if change == "moved":
        await _subtree_moved(conn, s, e, *place, carried)
    parent = d.get("to_parent", d.get("parent"))
    if parent:
        args = (d["federation"], d["code"], place[2], place[1], parent)
        await conn.execute(_FOLLOWS_PARENT.format(s=s), *args, carried)
        if change == "moved":
            await conn.execute(_SUBTREE_FOLLOWS.format(s=s), *args, carried)
            await conn.execute(_REPATHED_LATER.format(s=s), *args)
    await history(conn, s, e, "unit", d["code"])


# The units below a moved unit, placed under its new place from the day of the move until its
# own next move: their versions from that day on are re-pathed, and each one's version in force
# the day before gets a copy from that day. Registration tells of the moved unit alone (and, for
# a code change, of the units directly under it); each unit's path is what the reports scope by.
# The unit's own copies in that span (an ancestor's later move, told before this back-dated one)
# take its new path: its own move, told by registration, places it from that day.
# The unit's next own move after the day ($1 federation, $2 code, $3 the day), or 'infinity'.
_UNTIL_OWN_MOVE = """COALESCE((SELECT min(n.valid_from) FROM "{s}".units n
    WHERE n.federation = $1 AND n.code = $2 AND n.version > 0 AND n.valid_from > $3), 'infinity')"""
_UNTIL_NEXT_OWN = "valid_from >= $3 AND valid_from < " + _UNTIL_OWN_MOVE
_REPATHED = (
    """UPDATE "{s}".units SET ancestry = $4::text[] || ancestry[array_position(ancestry, $2) + 1:],
    as_federation = $5
WHERE (federation = $1 OR as_federation = $1) AND code <> $2 AND $2 = ANY(ancestry) AND """
    + _UNTIL_NEXT_OWN
)
_OWN_COPIES = (
    """UPDATE "{s}".units SET ancestry = $4::text[], as_federation = $5
WHERE federation = $1 AND code = $2 AND version < 0 AND """
    + _UNTIL_NEXT_OWN
)
_CARRIED = """INSERT INTO "{s}".units
SELECT b.federation, b.code, $6, b.name, b.kind, b.parent,
       $4::text[] || b.ancestry[array_position(b.ancestry, $2) + 1:], $5, $3, 'moved'
FROM (SELECT DISTINCT ON (federation, code) * FROM "{s}".units
      WHERE code IN (SELECT code FROM "{s}".units
                     WHERE (federation = $1 OR as_federation = $1) AND $2 = ANY(ancestry))
        AND code <> $2 AND valid_from < $3
      ORDER BY federation, code, valid_from DESC, version DESC) AS b
WHERE $2 = ANY(b.ancestry) AND (b.federation = $1 OR b.as_federation = $1) AND NOT EXISTS (
    SELECT 1 FROM "{s}".units a WHERE a.federation = b.federation AND a.code = b.code AND a.valid_from = $3)
ON CONFLICT DO NOTHING"""


async def _subtree_moved(
    conn: asyncpg.Connection,
    s: str,
    e: Envelope,
    ancestry: list[str],
    to_federation: str,
    on: date,
    carried: int,
) -> None:
    """`carried`: the version of the copies this move makes. Not one of the aggregate's own
    versions: negative, one per event, so a change of the unit's own on that day, told by
    registration with its path then, outranks it (the reports take a day's highest version)."""
    fed, code = e["data"]["federation"], e["data"]["code"]
    await conn.execute(_REPATHED.format(s=s), fed, code, on, ancestry, to_federation)
    await conn.execute(_OWN_COPIES.format(s=s), fed, code, on, ancestry, to_federation)
    await conn.execute(_CARRIED.format(s=s), fed, code, on, ancestry, to_federation, carried)


# A unit placed under a parent from a day (registered or moved there, told by registration with
# the parent's path on that day) follows the parent's later changes of place, until its own next
# move: registration told them before, of the parent alone. Each day the parent got a version
# after that day (its own move, or a copy made when a unit above it moved), the unit gets a copy
# with the parent's path then, and so does every unit below it. The copies of one event: its
# carried version less the days since its own day, one version per day.
# $1 federation, $2 code, $3 the day, $4 its path's federation, $5 the parent, $6 carried.
_PARENT_LATER = (
    """WITH pl AS (SELECT DISTINCT ON (p.valid_from) p.valid_from, p.ancestry, p.as_federation
    FROM "{s}".units p WHERE p.code = $5 AND (p.federation = $4 OR p.as_federation = $4)
      AND p.valid_from > $3 AND p.valid_from < """
    + _UNTIL_OWN_MOVE
    + """ ORDER BY p.valid_from, p.version DESC) """
)
_NO_VERSION_ON = """NOT EXISTS (SELECT 1 FROM "{s}".units a
    WHERE a.federation = {u}.federation AND a.code = {u}.code AND a.valid_from = pl.valid_from)"""
# Touches the unit's own rows only: a units statement set-wise after other registrations'
# inserts (projections/batch.py) reads the same, as a unit's parent is registered before it.
_FOLLOWS_PARENT = (
    _PARENT_LATER
    + """INSERT INTO "{s}".units
SELECT x.federation, x.code, $6::int - (pl.valid_from - $3::date), x.name, x.kind, $5,
       pl.ancestry || $2::text, pl.as_federation, pl.valid_from, 'moved'
FROM pl CROSS JOIN LATERAL (SELECT * FROM "{s}".units o WHERE o.federation = $1 AND o.code = $2
    AND o.valid_from <= pl.valid_from ORDER BY o.valid_from DESC, o.version DESC LIMIT 1) AS x
WHERE """
    + _NO_VERSION_ON.replace("{u}", "x")
    + " ON CONFLICT DO NOTHING"
)
_SUBTREE_FOLLOWS = (
    _PARENT_LATER
    + """INSERT INTO "{s}".units
SELECT b.federation, b.code, $6::int - (pl.valid_from - $3::date), b.name, b.kind, b.parent,
       pl.ancestry || $2::text || b.ancestry[array_position(b.ancestry, $2) + 1:], pl.as_federation,
       pl.valid_from, 'moved'
FROM pl CROSS JOIN LATERAL (SELECT DISTINCT ON (u.federation, u.code) u.* FROM "{s}".units u
    WHERE u.code IN (SELECT code FROM "{s}".units WHERE (federation = $1 OR as_federation = $1)
                     AND $2 = ANY(ancestry))
      AND u.code <> $2 AND u.valid_from < pl.valid_from
    ORDER BY u.federation, u.code, u.valid_from DESC, u.version DESC) AS b
WHERE $2 = ANY(b.ancestry) AND (b.federation = $1 OR b.as_federation = $1) AND """
    + _NO_VERSION_ON.replace("{u}", "b")
    + " ON CONFLICT DO NOTHING"
)
# The versions already there from the parent's first later change on (the unit's copies made
# when a former ancestor moved, the subtree's own versions): each takes the parent's path then.
_REPATHED_LATER = (
    _PARENT_LATER
    + """UPDATE "{s}".units u SET (ancestry, as_federation) = (
    SELECT pl.ancestry || $2::text || u.ancestry[array_position(u.ancestry, $2) + 1:], pl.as_federation
    FROM pl WHERE pl.valid_from <= u.valid_from ORDER BY pl.valid_from DESC LIMIT 1)
WHERE (u.federation = $1 OR u.as_federation = $1) AND $2 = ANY(u.ancestry)
  AND (u.code <> $2 OR u.version < 0) AND u.valid_from < """
    + _UNTIL_OWN_MOVE
    + " AND EXISTS (SELECT 1 FROM pl WHERE pl.valid_from <= u.valid_from)"
)


async def unit_ended(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """unit-merged / unit-recoded / unit-dissolved: the unit keeps its last place; its facts
    still count. `into` is the unit that carries it on (merged into, or its new code)."""
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".unit_endings VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        d["federation"],
        d["code"],
        name_of(e).removeprefix("unit-"),
        d.get("into") or d.get("to_code"),
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


# -- corrections: a compensating event renames the subject where reporting keeps its name ----------


def _where(d: dict) -> list[str]:
    """The federations the corrected subject's rows may be filed under: the one it was corrected
    in and the one it was first registered in (they differ after a federation merge)."""
    return list(dict.fromkeys(f for f in (d["federation"], d.get("home")) if f))


async def _resolve(conn: asyncpg.Connection, s: str, e: Envelope, kind: str, code: str) -> None:
    await conn.execute(
        RESOLVE_SQL.format(s=s), *resolve_args(e["subject"], kind, code, _where(e["data"]), e["id"])
    )


async def member_corrected(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    await conn.execute(
        f'UPDATE "{s}".members SET full_name = $3 WHERE federation = ANY($1::text[]) AND code = $2',
        _where(d),
        d["code"],
        d["full_name"],
    )
    await conn.execute(
        f'UPDATE "{s}".pledges SET subject_name = $3 WHERE federation = ANY($1::text[]) '
        "AND subject_kind = 'member' AND subject_code = $2",
        _where(d),
        d["code"],
        d["full_name"],
    )
    await history(conn, s, e, "member", d["code"])
    await _resolve(conn, s, e, "member", d["code"])


async def unit_corrected(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    await conn.execute(
        f'UPDATE "{s}".units SET name = $3 WHERE code = $2 AND name IS NOT NULL '
        "AND (federation = ANY($1::text[]) OR as_federation = ANY($1::text[]))",
        _where(d),
        d["code"],
        d["name"],
    )
    await conn.execute(
        f'UPDATE "{s}".pledges SET subject_name = $3 WHERE federation = ANY($1::text[]) '
        "AND subject_kind = 'unit' AND subject_code = $2",
        _where(d),
        d["code"],
        d["name"],
    )
    for table in ("covenants", "acclaims"):  # a block's name travels with its covenants
        await conn.execute(
            f'UPDATE "{s}".{table} SET block_name = $3 WHERE federation = ANY($1::text[]) AND block = $2',
            _where(d),
            d["code"],
            d["name"],
        )
    await history(conn, s, e, "unit", d["code"])
    await _resolve(conn, s, e, "unit", d["code"])


async def federation_corrected(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    await conn.execute(f'UPDATE "{s}".federations SET name = $2 WHERE code = $1', d["federation"], d["name"])
    await _resolve(conn, s, e, "federation", d["federation"])


async def headcount_recorded(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """A unit's workers and members as counted on a day; a later version for the day replaces it."""
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".unit_headcounts AS h VALUES ($1, $2, $3, $4, $5, $6) '
        "ON CONFLICT (federation, unit, counted_on) DO UPDATE SET workers = EXCLUDED.workers, "
        "members = EXCLUDED.members, version = EXCLUDED.version WHERE h.version < EXCLUDED.version",
        d["federation"],
        d["unit"],
        day(d["counted_on"]),
        d["workers"],
        d["members"],
        e["version"],
    )
    await history(conn, s, e, "unit", d["unit"])
