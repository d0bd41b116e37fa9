"""The organisation tree in registration's read model: federations, and units as spans of dates
(see readmodel.py). Tree changes are rare and order-sensitive, so they are applied one at a time;
a move, merge or dissolution closes the open spans of the whole subtree and reopens them. The
handlers are a table from event name (adapters.projection)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.registration.adapters.projection import Handler
from shared.messaging.contracts import event_id
from shared.messaging.problems import RESOLVE_SQL, resolve_args

# A changed unit code (unit-recoded) leads to the unit that carries the unit on: searches by an
# old code find it. Chains are kept flat: recoding the successor again repoints every old code.
SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS {s}.rm_unit_codes (
    federation text NOT NULL, code text NOT NULL, unit text NOT NULL, since date NOT NULL,
    PRIMARY KEY (federation, code));
"""
TABLES = ("rm_unit_codes",)

# -- federations -----------------------------------------------------------------------


async def federation_created(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"INSERT INTO {s}.rm_federations (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        e.federation,
        e.name,
    )


async def federation_merged(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"UPDATE {s}.rm_federations SET merged_into = $2, merged_on = $3 WHERE code = $1",
        e.federation,
        e.into,
        e.effective_on,
    )


async def federation_corrected(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(f"UPDATE {s}.rm_federations SET name = $2 WHERE code = $1", e.federation, e.name)
    await resolve(conn, s, e, "federation", e.federation, [e.federation])


# -- units -----------------------------------------------------------------------------

# A unit's span in a place, from a day (open: no valid_to).
OPEN_SPAN = (
    "INSERT INTO {s}.rm_units (federation, code, name, kind, parent, path, valid_from) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"
)


async def unit_registered(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        OPEN_SPAN.format(s=s),
        e.federation,
        e.code,
        e.name,
        e.kind,
        e.parent,
        e.ancestry,
        e.effective_on or date.min,
    )
    await follow_parent(conn, s, e.federation, e.code, e.parent, e.effective_on or date.min)


async def follow_parent(conn: Any, s: str, federation: str, code: str, parent: str | None, on: date) -> None:
    """A unit placed under `parent` from `on` (registered or moved there, told by registration
    with the parent's path on that day) follows the parent's later spans, with its subtree: each
    one told before, when the unit was not yet under it (registration tells of the moved unit
    alone)."""
    if not parent:
        return
    later = await conn.fetch(
        f"SELECT federation, path, valid_from FROM {s}.rm_units WHERE code = $1 AND valid_from > $3 "
        f"AND (federation = $2 OR federation = (SELECT merged_into FROM {s}.rm_federations WHERE code = $2)) "
        "ORDER BY valid_from",
        parent,
        federation,
        on,
    )
    for span in later:
        row = await conn.fetchrow(
            f"UPDATE {s}.rm_units SET valid_to = $3 WHERE federation = $1 AND code = $2 "
            "AND valid_to IS NULL AND valid_from < $3 RETURNING name, kind, path",
            federation,
            code,
            span["valid_from"],
        )
        if row is None:
            return  # ended, or placed again by a span of its own since
        path = [*span["path"], code]
        await conn.execute(
            OPEN_SPAN.format(s=s),
            span["federation"],
            code,
            row["name"],
            row["kind"],
            parent,
            path,
            span["valid_from"],
        )
        since, to_federation = span["valid_from"], span["federation"]
        await reopen_subtree(conn, s, federation, list(row["path"]), since, to_federation, path)
        federation = to_federation


async def reopen_subtree(
    conn: Any,
    s: str,
    federation: str,
    prefix: list[str],
    on: date,
    to_federation: str,
    new_prefix: list[str],
) -> None:
    """Close the open spans of the subtree under `prefix` on `on` and reopen them under `new_prefix`."""
    n = len(prefix)
    rows = await conn.fetch(
        f"UPDATE {s}.rm_units SET valid_to = $3 WHERE federation = $1 AND valid_to IS NULL "
        "AND path[1:$4] = $2::text[] AND array_length(path, 1) > $4 "
        "RETURNING code, name, kind, parent, path",
        federation,
        prefix,
        on,
        n,
    )
    await conn.executemany(
        OPEN_SPAN.format(s=s),
        [
            (
                to_federation,
                r["code"],
                r["name"],
                r["kind"],
                new_prefix[-1] if len(r["path"]) == n + 1 and new_prefix else r["parent"],
                [*new_prefix, *r["path"][n:]],
                on,
            )
            for r in rows
        ],
    )


async def close_span(conn: Any, s: str, federation: str, code: str, on: date) -> list[str] | None:
    path = await conn.fetchval(
        f"UPDATE {s}.rm_units SET valid_to = $3 WHERE federation = $1 AND code = $2 "
        "AND valid_to IS NULL RETURNING path",
        federation,
        code,
        on,
    )
    return list(path) if path is not None else None


async def unit_moved(conn: Any, s: str, e: Any, seq: int) -> None:
    row = await conn.fetchrow(
        f"SELECT name, kind FROM {s}.rm_units WHERE federation = $1 AND code = $2 AND valid_to IS NULL",
        e.federation,
        e.code,
    )
    old = await close_span(conn, s, e.federation, e.code, e.effective_on)
    if row is None or old is None:
        raise RuntimeError(f"unit-moved for '{e.code}', which the read model does not hold")
    await conn.execute(
        OPEN_SPAN.format(s=s),
        e.to_federation,
        e.code,
        row["name"],
        row["kind"],
        e.to_parent,
        e.ancestry,
        e.effective_on or date.min,
    )
    await reopen_subtree(conn, s, e.federation, old, e.effective_on, e.to_federation, list(e.ancestry))
    await follow_parent(conn, s, e.to_federation, e.code, e.to_parent, e.effective_on or date.min)


async def unit_merged(conn: Any, s: str, e: Any, seq: int) -> None:
    old = await close_span(conn, s, e.federation, e.code, e.effective_on)
    into = await conn.fetchval(
        f"SELECT path FROM {s}.rm_units WHERE federation = $1 AND code = $2 AND valid_to IS NULL",
        e.federation,
        e.into,
    )
    if old is None or into is None:
        raise RuntimeError(f"unit-merged for '{e.code}', which the read model does not hold")
    await reopen_subtree(conn, s, e.federation, old, e.effective_on, e.federation, list(into))
    await transfer_all(conn, s, e.federation, e.code, e.effective_on, e.into)


async def unit_recoded(conn: Any, s: str, e: Any, seq: int) -> None:
    """The old code's span ends; its subtree and members moved to the successor by the events
    committed before this one (any member left behind follows too)."""
    if await close_span(conn, s, e.federation, e.code, e.effective_on) is None:
        raise RuntimeError(f"unit-recoded for '{e.code}', which the read model does not hold")
    await transfer_all(conn, s, e.federation, e.code, e.effective_on, e.to_code)
    await conn.execute(
        f"UPDATE {s}.rm_unit_codes SET unit = $3 WHERE federation = $1 AND unit = $2",
        e.federation,
        e.code,
        e.to_code,
    )
    await conn.execute(
        f"INSERT INTO {s}.rm_unit_codes VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        e.federation,
        e.code,
        e.to_code,
        e.effective_on,
    )


async def unit_dissolved(conn: Any, s: str, e: Any, seq: int) -> None:
    old = await close_span(conn, s, e.federation, e.code, e.effective_on)
    if old is None:
        raise RuntimeError(f"unit-dissolved for '{e.code}', which the read model does not hold")
    codes = await conn.fetch(
        f"UPDATE {s}.rm_units SET valid_to = $3 WHERE federation = $1 AND valid_to IS NULL "
        "AND path[1:$4] = $2::text[] RETURNING code",
        e.federation,
        old,
        e.effective_on,
        len(old),
    )
    for code in [e.code, *(r["code"] for r in codes)]:
        await transfer_all(conn, s, e.federation, code, e.effective_on, None)


async def unit_corrected(conn: Any, s: str, e: Any, seq: int) -> None:
    """The name in every span of the unit (in whichever federation it sat), its pledges'."""
    homes = [e.home, *await homes_of(conn, s, e.federation)]
    await conn.execute(
        f"UPDATE {s}.rm_units SET name = $3 WHERE code = $2 AND federation = ANY($1::text[])",
        homes,
        e.code,
        e.name,
    )
    await conn.execute(
        f"UPDATE {s}.rm_pledges SET subject_name = $3 WHERE federation = ANY($1::text[]) "
        "AND subject_kind = 'unit' AND subject_code = $2",
        homes,
        e.code,
        e.name,
    )
    await resolve(conn, s, e, "unit", e.code, homes)


async def transfer_all(conn: Any, s: str, federation: str, unit: str, on: date, into: str | None) -> None:
    """The members of a merged unit move to its successor; those of a dissolved one leave."""
    homes = await homes_of(conn, s, federation)
    rows = await conn.fetch(
        f"UPDATE {s}.rm_members SET valid_to = $3 WHERE unit = $1 AND home = ANY($2::text[]) "
        "AND valid_to IS NULL RETURNING home, code, full_name, folded",
        unit,
        homes,
        on,
    )
    if into is not None:
        await conn.executemany(
            f"INSERT INTO {s}.rm_members (home, code, full_name, folded, unit, valid_from) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            [(r["home"], r["code"], r["full_name"], r["folded"], into, on) for r in rows],
        )


async def homes_of(conn: Any, s: str, federation: str) -> list[str]:
    rows = await conn.fetch(f"SELECT code FROM {s}.rm_federations WHERE merged_into = $1", federation)
    return [federation, *(r["code"] for r in rows)]


async def resolve(conn: Any, s: str, e: Any, kind: str, code: str, federations: list[str]) -> None:
    """A correction event `e` resolves the open problems of its aggregate and its subject."""
    by = str(event_id(e.originator_id, e.originator_version))
    await conn.execute(
        RESOLVE_SQL.format(s=s.strip('"')), *resolve_args(str(e.originator_id), kind, code, federations, by)
    )


# Keyed by the events' qualified names (eventsourcing builds the classes from @event methods).
HANDLERS: dict[str, Handler] = {
    "Federation.Created": federation_created,
    "Federation.Merged": federation_merged,
    "Federation.Corrected": federation_corrected,
    "Unit.Registered": unit_registered,
    "Unit.Moved": unit_moved,
    "Unit.Merged": unit_merged,
    "Unit.Recoded": unit_recoded,
    "Unit.Dissolved": unit_dissolved,
    "Unit.Corrected": unit_corrected,
}
