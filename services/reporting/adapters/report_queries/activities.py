"""The reads of the initiatives, works and targets reports: facts counted by the unit they roll
up into, and the targets set for a programme."""

from __future__ import annotations

import asyncpg

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries.scope import WHERE, args, group_unit, resolved
from services.reporting.domain.scope import Scope


async def target_rows(reads: Reads, scope: Scope, programme: str, year: int) -> list[asyncpg.Record]:
    """Each target's unit, path, home and (the highest) target for the programme and year."""
    return await reads.pool.fetch(
        f"SELECT unit, path, home, max(target) AS target FROM ({resolved(scope, reads.schema, 'targets')}) r "
        f"WHERE {WHERE} AND programme = $4 AND year = $5 GROUP BY unit, path, home",
        *args(scope),
        programme,
        year,
    )


async def initiative_counts(reads: Reads, scope: Scope, year: int) -> list[asyncpg.Record]:
    """Initiatives registered and recognised, and the recognised ones' benefit, by unit."""
    return await reads.pool.fetch(
        f"SELECT {group_unit(scope)} AS unit, count(*) AS registered, "
        "count(*) FILTER (WHERE recognised_on IS NOT NULL) AS recognised, "
        "COALESCE(sum(benefit_value) FILTER (WHERE recognised_on IS NOT NULL), 0) AS benefit_value "
        f"FROM ({resolved(scope, reads.schema, 'initiatives')}) r WHERE {WHERE} AND year = $4 GROUP BY 1",
        *args(scope),
        year,
    )


async def work_counts(reads: Reads, scope: Scope, year: int) -> list[asyncpg.Record]:
    """Works registered, completed and plaqued by the report date, with their value, by unit."""
    return await reads.pool.fetch(
        f"SELECT {group_unit(scope)} AS unit, count(*) AS registered, COALESCE(sum(value), 0) AS value, "
        "count(*) FILTER (WHERE completed_on <= $1) AS completed, "
        "COALESCE(sum(value) FILTER (WHERE completed_on <= $1), 0) AS completed_value, "
        "count(*) FILTER (WHERE plaqued_on <= $1) AS plaqued, "
        "COALESCE(sum(value) FILTER (WHERE plaqued_on <= $1), 0) AS plaqued_value "
        f"FROM ({resolved(scope, reads.schema, 'works')}) r "
        f"WHERE {WHERE} AND year = $4 GROUP BY 1 ORDER BY 1",
        *args(scope),
        year,
    )


async def works_by_occasion(reads: Reads, scope: Scope, year: int) -> list[asyncpg.Record]:
    """Works registered and their value by the occasion they greet."""
    return await reads.pool.fetch(
        "SELECT occasion, count(*) AS registered, COALESCE(sum(value), 0) AS value "
        f"FROM ({resolved(scope, reads.schema, 'works')}) r "
        f"WHERE {WHERE} AND year = $4 GROUP BY 1 ORDER BY 1",
        *args(scope),
        year,
    )


async def fact_counts(reads: Reads, scope: Scope, facts: str, year: int) -> list[asyncpg.Record]:
    """How many of the year's `facts` (a read model's table) each unit registered."""
    return await reads.pool.fetch(
        f"SELECT {group_unit(scope)} AS unit, count(*) AS n FROM ({resolved(scope, reads.schema, facts)}) r "
        f"WHERE {WHERE} AND year = $4 GROUP BY 1",
        *args(scope),
        year,
    )
