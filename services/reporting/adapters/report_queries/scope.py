"""The SQL of a report's scope: a fact resolved to its unit's path and its federation (`home`) as
of the report's date, the filter and grouping on them, and the tree's look-ups (a unit's
ancestry, paths, names; a member's unit)."""

from __future__ import annotations

from datetime import date

import asyncpg

from services.reporting.adapters.report_queries import Reads
from services.reporting.domain.scope import Scope

# Filter on the resolved facts; $2 is the federation, $3 the unit (both may be null).
WHERE = "($2::text IS NULL OR home = $2) AND ($3::text IS NULL OR $3 = ANY(path))"


def args(scope: Scope) -> tuple[date, str | None, str | None]:
    """$1, $2, $3 of `resolved` and `WHERE`."""
    return (scope.as_of, scope.federation, scope.unit)


def resolved(scope: Scope, s: str, facts: str) -> str:
    """`facts` with `path` (its unit's ancestry) and `home` (its federation) as of $1."""
    return f"""
            SELECT f.*, COALESCE(u.ancestry, f.unit_path, ARRAY[f.unit]) AS path,
                   CASE WHEN m.effective_on <= $1 THEN m.into_federation
                        ELSE COALESCE(u.as_federation, f.federation) END AS home
            FROM "{s}".{facts} f
            {units_as_of(scope, s)}
            LEFT JOIN "{s}".federation_merges m ON m.federation = f.federation{only_sources(scope, s, "f")}"""


def units_as_of(scope: Scope, s: str) -> str:
    """The join `u`: each fact's unit as the tree held it on $1 (its latest version by then).
    A federation's facts look theirs up one by one (index `units_as_of`); the whole nation's
    join the tree on $1, computed once (a hash join, not a look-up per fact). The same row."""
    if scope.federation is None:
        return f"""LEFT JOIN (
                SELECT DISTINCT ON (federation, code) federation, code, ancestry, as_federation
                FROM "{s}".units WHERE valid_from <= $1
                ORDER BY federation, code, valid_from DESC, version DESC) u
                ON u.federation = f.federation AND u.code = f.unit"""
    return f"""LEFT JOIN LATERAL (
                SELECT v.ancestry, v.as_federation FROM "{s}".units v
                WHERE v.federation = f.federation AND v.code = f.unit AND v.valid_from <= $1
                ORDER BY v.valid_from DESC, v.version DESC LIMIT 1) u ON true"""


def sources(s: str) -> str:
    """The federations whose facts can resolve to $2 on $1: $2 itself, those merged into it
    by then and those with a unit moved into it by then. A superset (WHERE still decides
    each fact), computed once so the facts are read through their (federation, …) indexes."""
    return (
        f'ARRAY(SELECT federation FROM "{s}".federation_merges WHERE into_federation = $2 '
        f'AND effective_on <= $1 UNION SELECT federation FROM "{s}".units WHERE as_federation = $2 '
        "AND as_federation <> federation AND valid_from <= $1) || $2::text"
    )


def only_sources(scope: Scope, s: str, alias: str, keyword: str = "WHERE") -> str:
    """`keyword alias.federation = ANY(sources)`, or nothing for the whole nation."""
    if scope.federation is None:
        return ""
    return f"\n            {keyword} {alias}.federation = ANY({sources(s)})"


def group_unit(scope: Scope) -> str:
    """The unit one level below the report's node that a fact rolls up into; below the
    nation, that is the federation (unit codes repeat across federations)."""
    if scope.federation is None:
        return "home"
    return f"COALESCE(path[{scope.unit_depth + 1}], path[array_length(path, 1)])"


async def unit_ancestry(reads: Reads, federation: str | None, unit: str, as_of: date) -> list[str] | None:
    """The unit's codes from the top of the tree on `as_of`; None if the tree did not hold it."""
    return await reads.pool.fetchval(  # type: ignore[no-any-return]
        f'SELECT ancestry FROM "{reads.schema}".units WHERE (as_federation = $1 OR federation = $1) '
        "AND code = $2 AND valid_from <= $3 ORDER BY valid_from DESC, version DESC LIMIT 1",
        federation,
        unit,
        as_of,
    )


async def unit_paths(reads: Reads, federation: str, codes: set[str], on: date) -> dict[str, list[str]]:
    """Each unit's path from the top of the tree as it stood on `on` (its first, if it came
    later), among the federations whose facts `federation`'s reports cover."""
    if not codes:
        return {}
    s = reads.schema
    rows = await reads.pool.fetch(
        f'SELECT DISTINCT ON (code) code, ancestry FROM "{s}".units WHERE code = ANY($3) '
        f"AND federation = ANY({sources(s)}) "
        "ORDER BY code, (valid_from <= $1) DESC, (federation = $2) DESC, valid_from DESC, version DESC",
        on,
        federation,
        list(codes),
    )
    return {r["code"]: list(r["ancestry"]) for r in rows}


async def member_unit(reads: Reads, federation: str, code: str, on: date) -> asyncpg.Record | None:
    """The member's `unit` and `unit_path` on `on` (its first, if it came later)."""
    s = reads.schema
    return await reads.pool.fetchrow(
        f'SELECT unit, unit_path FROM "{s}".members WHERE code = $3 '
        f"AND federation = ANY({sources(s)}) "
        "ORDER BY (valid_from <= $1) DESC, (federation = $2) DESC, valid_from DESC, version DESC LIMIT 1",
        on,
        federation,
        code,
    )


async def latest_fact_unit(
    reads: Reads, federation: str, kind: str, code: str, on: date
) -> list[asyncpg.Record]:
    """The `unit` of the subject's latest history line that names one (else of its latest
    line): no row if the federation's facts never named the subject."""
    s = reads.schema
    return await reads.pool.fetch(
        f"SELECT detail->>'unit' AS unit FROM \"{s}\".history WHERE subject_kind = $3 AND subject_code = $4 "
        f"AND federation = ANY({sources(s)}) "
        "ORDER BY (detail ? 'unit') DESC, occurred_at DESC LIMIT 1",
        on,
        federation,
        kind,
        code,
    )


async def unit_names(reads: Reads, scope: Scope, codes: set[str]) -> dict[str, str]:
    """Names of the units a report groups by. Unit codes repeat across federations, so a
    federation's report looks among the federations whose facts it covers; a national report
    groups by federation, so its names are the federations'."""
    pool, s = reads.pool, reads.schema
    if scope.federation is None:
        rows = await pool.fetch(f'SELECT code, name FROM "{s}".federations WHERE code = ANY($1)', list(codes))
        return {r["code"]: r["name"] for r in rows}
    rows = await pool.fetch(
        f'SELECT DISTINCT ON (code) code, name FROM "{s}".units u WHERE code = ANY($3) '
        "AND name IS NOT NULL AND ($2::text IS NULL OR u.federation = ANY("
        f"{sources(s)})) ORDER BY code, (federation = $2) DESC, version DESC",
        scope.as_of,
        scope.federation,
        list(codes),
    )
    return {r["code"]: r["name"] for r in rows}
