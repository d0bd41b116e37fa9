"""Lists over the read model, each paged by an opaque cursor."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

import asyncpg

from services.registration.adapters import unit_search
from services.registration.adapters.activity_lists import LISTS
from shared.kernel.errors import Invalid
from shared.kernel.text import fold


def encode_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


CURSOR_MAX = 512  # characters: a code or a sequence, encoded
SEQUENCE_MAX = 2**63 - 1  # a bigint


def decode_cursor(cursor: str | None, kind: type = str) -> Any:
    """The key a list's `next_cursor` encoded; anything else, or out of the key's range (a
    sequence beyond a bigint, a code with control characters), is a 422 naming `cursor`."""
    if not cursor:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode())) if len(cursor) <= CURSOR_MAX else None
    except ValueError:
        value = None
    if kind is int:
        fits = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= SEQUENCE_MAX
    else:
        fits = isinstance(value, str) and value.isprintable()
    if not fits:
        raise Invalid.on("cursor", "the cursor is not one this list handed out")
    return value


def _page(rows: list[Any], limit: int, key: str) -> dict[str, Any]:
    items = [dict(r) for r in rows[:limit]]
    more = len(rows) > limit
    return {"items": items, "next_cursor": encode_cursor(items[-1][key]) if more else None}


class Queries:
    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.s = f'"{schema}"'

    async def homes(self, federation: str) -> list[str]:
        rows = await self.pool.fetch(
            f"SELECT code FROM {self.s}.rm_federations WHERE merged_into = $1", federation
        )
        return [federation, *(r["code"] for r in rows)]

    async def federations(self, merged: bool, cursor: str | None, limit: int) -> dict[str, Any]:
        """Every federation by code (`merged`: also those merged into another), with the one it
        was merged into and when."""
        rows = await self.pool.fetch(
            f"SELECT code, name, merged_into, merged_on FROM {self.s}.rm_federations "
            "WHERE ($1 OR merged_into IS NULL) AND ($2::text IS NULL OR code > $2) ORDER BY code LIMIT $3",
            merged,
            decode_cursor(cursor),
            limit + 1,
        )
        return _page(rows, limit, "code")

    async def top_units(self, federation: str, on: date) -> list[str]:
        rows = await self.pool.fetch(
            f"SELECT code FROM {self.s}.rm_units WHERE federation = $1 AND parent IS NULL "
            "AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2) ORDER BY code",
            federation,
            on,
        )
        return [r["code"] for r in rows]

    async def unit_members(self, federation: str, unit: str, since: date | None = None) -> list[str]:
        """The codes of the members in `unit` in its last span (not left, nor moved on): those a
        merge of the unit takes with it; with `since`, also those in it on that day or after."""
        rows = await self.pool.fetch(
            f"SELECT DISTINCT code FROM {self.s}.rm_members WHERE unit = $1 AND home = ANY($2::text[]) "
            "AND (valid_to IS NULL OR valid_to > $3) ORDER BY code",
            unit,
            await self.homes(federation),
            since or date.max,
        )
        return [r["code"] for r in rows]

    async def subunits(self, federation: str, unit: str) -> list[str]:
        """The codes of the units directly under `unit` in their open spans."""
        rows = await self.pool.fetch(
            f"SELECT code FROM {self.s}.rm_units WHERE federation = $1 AND parent = $2 "
            "AND valid_to IS NULL ORDER BY code",
            federation,
            unit,
        )
        return [r["code"] for r in rows]

    async def clashing_codes(self, federation: str, into: str) -> list[str]:
        """Unit and member codes of `federation` that `into` (with what it absorbed) also uses."""
        rows = await self.pool.fetch(
            f"SELECT DISTINCT a.code FROM {self.s}.rm_units a JOIN {self.s}.rm_units b ON a.code = b.code "
            "WHERE a.federation = $1 AND b.federation = $2 "
            f"UNION SELECT DISTINCT a.code FROM {self.s}.rm_members a JOIN {self.s}.rm_members b "
            "ON a.code = b.code WHERE a.home = $1 AND b.home = $2 ORDER BY 1 LIMIT 20",
            federation,
            into,
        )
        return [r["code"] for r in rows]

    async def units(
        self,
        federation: str,
        on: date,
        kind: str | None,
        parent: str | None,
        cursor: str | None,
        limit: int,
        within: list[str],
        q: str | None = None,
    ) -> dict[str, Any]:
        """`within`: the caller's unit path; a unit-scoped caller sees only that subtree (I5).
        `q`: a part of the name, without diacritics or with, or of the code (`unit_search`)."""
        rows = await self.pool.fetch(
            f"SELECT code, name, kind, parent, array_to_string(path, '/') AS path, valid_from "
            f"FROM {self.s}.rm_units WHERE federation = $1 AND valid_from <= $2 "
            "AND (valid_to IS NULL OR valid_to > $2) AND ($3::text IS NULL OR kind = $3) "
            "AND ($4::text IS NULL OR parent = $4 OR ($4 = '' AND parent IS NULL)) "
            "AND ($5::text IS NULL OR code > $5) AND path[1:cardinality($7::text[])] = $7::text[] "
            # any code a recoded unit had or has (rm_unit_codes: each old code to the code it
            # carries now) finds all of them; the day's span keeps the code it had that day
            f"AND ({unit_search.condition(8)} OR code IN (SELECT v.code FROM {self.s}.rm_unit_codes c, "
            "LATERAL (VALUES (c.code), (c.unit)) AS v(code) WHERE c.federation = $1 AND c.unit IN "
            f"(SELECT unit FROM {self.s}.rm_unit_codes WHERE federation = $1 "
            "AND (code LIKE $8 ESCAPE '\\' OR unit LIKE $8 ESCAPE '\\')))) ORDER BY code LIMIT $6",
            federation,
            on,
            kind,
            parent,
            decode_cursor(cursor),
            limit + 1,
            within,
            unit_search.pattern(q),
        )
        return {"federation": federation, "as_of": on, **_page(rows, limit, "code")}

    async def members(
        self,
        federation: str,
        on: date,
        unit: str | None,
        q: str | None,
        cursor: str | None,
        limit: int,
        within: list[str],
    ) -> dict[str, Any]:
        """Members in the federation's units on `on`; `q` matches whole words of the name, without
        diacritics or case ("Nguyen Van An" finds "Nguyễn Văn An", not "Nguyễn Văn Anh")."""
        folded = fold(q) if q else None
        rows = await self.pool.fetch(
            f"SELECT m.code, m.full_name, m.unit, array_to_string(u.path, '/') AS unit_path "
            f"FROM {self.s}.rm_members m JOIN {self.s}.rm_units u ON u.code = m.unit AND u.federation = $1 "
            "WHERE m.home = ANY($2::text[]) AND (m.valid_from IS NULL OR m.valid_from <= $3) "
            "AND (m.valid_to IS NULL OR m.valid_to > $3) AND u.valid_from <= $3 "
            "AND (u.valid_to IS NULL OR u.valid_to > $3) AND ($4::text IS NULL OR $4 = ANY(u.path)) "
            "AND ($5::text IS NULL OR ' ' || m.folded || ' ' LIKE '% ' || $5 || ' %' OR m.code = $5) "
            "AND ($6::text IS NULL OR m.code > $6) AND u.path[1:cardinality($8::text[])] = $8::text[] "
            "ORDER BY m.code LIMIT $7",
            federation,
            await self.homes(federation),
            on,
            unit,
            folded,
            decode_cursor(cursor),
            limit + 1,
            within,
        )
        return {"federation": federation, "as_of": on, **_page(rows, limit, "code")}

    async def pledges(
        self, federation: str, filters: dict[str, Any], cursor: str | None, limit: int, within: list[str]
    ) -> dict[str, Any]:
        rows = await self.pool.fetch(
            "SELECT id::text, seq, federation, movement, year, award, subject_kind, subject_code, "
            "subject_name, "
            f"unit, array_to_string(path, '/') AS unit_path, state, pledged_on FROM {self.s}.rm_pledges "
            "WHERE federation = ANY($1::text[]) AND ($2::text IS NULL OR movement = $2) "
            "AND ($3::text IS NULL OR award = $3) AND ($4::text IS NULL OR state = $4) "
            "AND ($5::text IS NULL OR subject_kind = $5) AND ($6::text IS NULL OR $6 = ANY(path)) "
            "AND ($7::int IS NULL OR year = $7) AND seq > $8 "
            "AND path[1:cardinality($10::text[])] = $10::text[] "
            "ORDER BY seq LIMIT $9",
            await self.homes(federation),
            filters.get("movement"),
            filters.get("award"),
            filters.get("state"),
            filters.get("subject_kind"),
            filters.get("unit"),
            filters.get("year"),
            decode_cursor(cursor, int) or 0,
            limit + 1,
            within,
        )
        page = _page(rows, limit, "seq")
        for item in page["items"]:
            item.pop("seq")
        return page

    async def listing(
        self,
        resource: str,
        federation: str,
        filters: dict[str, Any],
        cursor: str | None,
        limit: int,
        within: list[str],
    ) -> dict[str, Any]:
        """Movements, initiatives or works of the federation (and those merged into it), by code."""
        table, columns = LISTS[resource]
        scoped = resource != "movements"
        rows = await self.pool.fetch(
            f"SELECT {columns} FROM {self.s}.{table} WHERE federation = ANY($1::text[]) "
            "AND ($2::int IS NULL OR year = $2) AND ($3::text IS NULL OR code > $3) "
            + (
                "AND ($5::text IS NULL OR state = $5) AND ($6::text IS NULL OR $6 = ANY(path)) "
                "AND path[1:cardinality($7::text[])] = $7::text[] "
                if scoped
                else ""
            )
            + "ORDER BY code LIMIT $4",
            await self.homes(federation),
            filters.get("year"),
            decode_cursor(cursor),
            limit + 1,
            *((filters.get("state"), filters.get("unit"), within) if scoped else ()),
        )
        return _page(rows, limit, "code")
