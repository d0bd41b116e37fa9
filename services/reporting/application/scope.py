"""Which facts a report covers: a federation (or the nation), optionally one unit's subtree,
resolved through the organisation tree as it stood on the report's date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

from shared.errors import NotFound


@dataclass(frozen=True)
class Scope:
    federation: str | None  # None: the whole nation
    unit: str | None
    as_of: date
    ancestry: tuple[str, ...] = ()  # `unit`'s codes from the top of the tree, as of `as_of`

    @property
    def unit_depth(self) -> int:
        """How deep `unit` sits: facts are grouped by the level below it."""
        return len(self.ancestry)

    def resolved(self, s: str, facts: str) -> str:
        """`facts` with `path` (its unit's ancestry) and `home` (its federation) as of $1."""
        return f"""
            SELECT f.*, COALESCE(u.ancestry, f.unit_path, ARRAY[f.unit]) AS path,
                   CASE WHEN m.effective_on <= $1 THEN m.into_federation
                        ELSE COALESCE(u.as_federation, f.federation) END AS home
            FROM "{s}".{facts} f
            LEFT JOIN LATERAL (
                SELECT v.ancestry, v.as_federation FROM "{s}".units v
                WHERE v.federation = f.federation AND v.code = f.unit AND v.valid_from <= $1
                ORDER BY v.valid_from DESC, v.version DESC LIMIT 1) u ON true
            LEFT JOIN "{s}".federation_merges m ON m.federation = f.federation{self.only_sources(s, "f")}"""

    def sources(self, s: str) -> str:
        """The federations whose facts can resolve to $2 on $1: $2 itself, those merged into it
        by then and those with a unit moved into it by then. A superset (where() still decides
        each fact), computed once so the facts are read through their (federation, …) indexes."""
        return (
            f'ARRAY(SELECT federation FROM "{s}".federation_merges WHERE into_federation = $2 '
            f'AND effective_on <= $1 UNION SELECT federation FROM "{s}".units WHERE as_federation = $2 '
            "AND as_federation <> federation AND valid_from <= $1) || $2::text"
        )

    def only_sources(self, s: str, alias: str, keyword: str = "WHERE") -> str:
        """`keyword alias.federation = ANY(sources)`, or nothing for the whole nation."""
        if self.federation is None:
            return ""
        return f"\n            {keyword} {alias}.federation = ANY({self.sources(s)})"

    def where(self) -> str:
        """Filter on the resolved facts; $2 is the federation, $3 the unit (both may be null)."""
        return "($2::text IS NULL OR home = $2) AND ($3::text IS NULL OR $3 = ANY(path))"

    def group_unit(self) -> str:
        """The unit one level below the report's node that a fact rolls up into; below the
        nation, that is the federation (unit codes repeat across federations)."""
        if self.federation is None:
            return "home"
        return f"COALESCE(path[{self.unit_depth + 1}], path[array_length(path, 1)])"

    @property
    def args(self) -> tuple[date, str | None, str | None]:
        return (self.as_of, self.federation, self.unit)


def unknown_unit(federation: str | None, unit: str, as_of: date) -> NotFound:
    """The answer for a unit the tree did not hold, and for one outside the caller's subtree (I5)."""
    return NotFound(f"unit '{unit}' did not exist in '{federation}' on {as_of}")


def unknown_subject(federation: str, kind: str, code: str) -> NotFound:
    """The answer for a member or unit the federation never had, and for one outside the caller's
    subtree (I5)."""
    return NotFound(f"{kind} '{code}' does not exist in '{federation}'")


async def scope_for(
    pool: asyncpg.Pool, s: str, federation: str | None, unit: str | None, as_of: date
) -> Scope:
    if unit is None:
        return Scope(federation, None, as_of)
    ancestry = await pool.fetchval(
        f'SELECT ancestry FROM "{s}".units WHERE (as_federation = $1 OR federation = $1) '
        "AND code = $2 AND valid_from <= $3 ORDER BY valid_from DESC, version DESC LIMIT 1",
        federation,
        unit,
        as_of,
    )
    if ancestry is None:
        raise unknown_unit(federation, unit, as_of)
    return Scope(federation, unit, as_of, tuple(ancestry))


async def unit_paths(
    pool: asyncpg.Pool, s: str, federation: str, codes: set[str], on: date
) -> dict[str, list[str]]:
    """Each unit's path from the top of the tree as it stood on `on` (its first, if it came
    later), among the federations whose facts `federation`'s reports cover."""
    if not codes:
        return {}
    rows = await pool.fetch(
        f'SELECT DISTINCT ON (code) code, ancestry FROM "{s}".units WHERE code = ANY($3) '
        f"AND federation = ANY({Scope(federation, None, on).sources(s)}) "
        "ORDER BY code, (valid_from <= $1) DESC, (federation = $2) DESC, valid_from DESC, version DESC",
        on,
        federation,
        list(codes),
    )
    return {r["code"]: list(r["ancestry"]) for r in rows}


async def subject_placement(
    pool: asyncpg.Pool, s: str, federation: str, kind: str, code: str, on: date
) -> tuple[str | None, list[str]] | None:
    """(unit, its path) of a member or unit on `on`; None if the federation (or one merged into
    it) never had it. A subject known only from its facts (a pledge, a grant) is placed by the
    unit of its latest one; one with no unit in them, by an empty path."""
    if kind == "unit":
        paths = await unit_paths(pool, s, federation, {code}, on)
        if code in paths:
            return code, paths[code]
    else:
        placed = await _member_placement(pool, s, federation, code, on)
        if placed is not None:
            return placed
    rows = await pool.fetch(
        f"SELECT detail->>'unit' AS unit FROM \"{s}\".history WHERE subject_kind = $3 AND subject_code = $4 "
        f"AND federation = ANY({Scope(federation, None, on).sources(s)}) "
        "ORDER BY (detail ? 'unit') DESC, occurred_at DESC LIMIT 1",
        on,
        federation,
        kind,
        code,
    )
    if not rows:
        return None
    unit = rows[0]["unit"]
    paths = await unit_paths(pool, s, federation, {unit} if unit else set(), on)
    return unit, paths.get(unit, []) if unit else []


async def _member_placement(
    pool: asyncpg.Pool, s: str, federation: str, code: str, on: date
) -> tuple[str, list[str]] | None:
    row = await pool.fetchrow(
        f'SELECT unit, unit_path FROM "{s}".members WHERE code = $3 '
        f"AND federation = ANY({Scope(federation, None, on).sources(s)}) "
        "ORDER BY (valid_from <= $1) DESC, (federation = $2) DESC, valid_from DESC, version DESC LIMIT 1",
        on,
        federation,
        code,
    )
    if row is None:
        return None
    paths = await unit_paths(pool, s, federation, {row["unit"]}, on)
    return row["unit"], paths.get(row["unit"]) or list(row["unit_path"] or [row["unit"]])


async def unit_names(pool: asyncpg.Pool, s: str, scope: Scope, codes: set[str]) -> dict[str, str]:
    """Names of the units a report groups by. Unit codes repeat across federations, so a
    federation's report looks among the federations whose facts it covers; a national report
    groups by federation, so its names are the federations'."""
    if scope.federation is None:
        rows = await pool.fetch(f'SELECT code, name FROM "{s}".federations WHERE code = ANY($1)', list(codes))
        return {r["code"]: r["name"] for r in rows}
    rows = await pool.fetch(
        f'SELECT DISTINCT ON (code) code, name FROM "{s}".units u WHERE code = ANY($3) '
        "AND name IS NOT NULL AND ($2::text IS NULL OR u.federation = ANY("
        f"{scope.sources(s)})) ORDER BY code, (federation = $2) DESC, version DESC",
        scope.as_of,
        scope.federation,
        list(codes),
    )
    return {r["code"]: r["name"] for r in rows}
