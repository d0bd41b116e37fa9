"""The reads of the registrations and awards reports: pledges, grants and upward nominations
counted by the report's grouping, and pledges joined to the grants they ended in."""

from __future__ import annotations

import asyncio

import asyncpg

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries.scope import WHERE, args, group_unit, only_sources, resolved
from services.reporting.domain.periods import PeriodFilter
from services.reporting.domain.scope import Scope


async def pledge_counts(reads: Reads, scope: Scope, year: int, movement: str | None) -> list[asyncpg.Record]:
    """Pledges counted by award, subject kind, movement, phase, state and unit."""
    return await reads.pool.fetch(
        f"SELECT award, subject_kind, movement, phase, state, {group_unit(scope)} AS unit, "
        f"count(*) AS n FROM ({resolved(scope, reads.schema, 'pledges')}) r "
        f"WHERE {WHERE} AND year = $4 AND ($5::text IS NULL OR movement = $5) "
        "GROUP BY 1, 2, 3, 4, 5, 6",
        *args(scope),
        year,
        movement,
    )


# A grant's occasion and period; rows older than these columns are regular, for their year.
GRANT_KIND = (
    "COALESCE(occasion, 'regular') AS occasion, COALESCE(period_kind, 'year') AS period_kind, "
    "COALESCE(period_from, year) AS period_from"
)
PERIOD_WHERE = (
    "($5::text IS NULL OR COALESCE(period_kind, 'year') = $5) "
    "AND ($6::int IS NULL OR COALESCE(period_from, year) = $6)"
)


async def award_counts(
    reads: Reads, scope: Scope, year: int, period: PeriodFilter | None = None
) -> tuple[list[asyncpg.Record], list[asyncpg.Record], list[asyncpg.Record]]:
    """(grants by award, kind, level, authority, source, unit, occasion, period, whether
    revoked on the report date and whether cancelled (never granted), of `period` if given;
    upward nominations and their outcome by award and kind; pledges and how many ended in a
    standing grant by award and kind): three independent reads, each on a connection of its own,
    at once."""
    pool, s = reads.pool, reads.schema
    chosen = period or PeriodFilter()
    grants, nominations, achieved = await asyncio.gather(
        pool.fetch(
            f"SELECT award, subject_kind, level, authority, source, {group_unit(scope)} AS unit, "
            f"(revoked_on IS NOT NULL AND revoked_on <= $1) AS revoked, {GRANT_KIND}, "
            "cancelled_on IS NOT NULL AS cancelled, count(*) AS n "
            f"FROM ({resolved(scope, s, 'grants')}) r WHERE {WHERE} AND year = $4 "
            f"AND (granted OR cancelled_on IS NOT NULL) AND {PERIOD_WHERE} "
            "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11",
            *args(scope),
            year,
            chosen.kind,
            chosen.first,
        ),
        pool.fetch(
            "SELECT award, subject_kind, count(*) AS nominated, "
            "count(*) FILTER (WHERE withdrawn) AS withdrawn, "
            "count(*) FILTER (WHERE forwarded_to IS NOT NULL) AS forwarded, "
            "count(*) FILTER (WHERE council_passed) AS passed, count(*) FILTER (WHERE granted) AS granted "
            f"FROM ({resolved(scope, s, 'nominations')}) r WHERE {WHERE} AND year = $4 AND upward "
            "GROUP BY 1, 2 ORDER BY 1, 2",
            *args(scope),
            year,
        ),
        pool.fetch(
            # a pledge achieved by grants for two periods (2023 and 2021–2023) counts once
            "SELECT p.award, p.subject_kind, count(DISTINCT p.pledge_id) AS pledged, "
            "count(DISTINCT p.pledge_id) FILTER (WHERE g.grant_id IS NOT NULL) AS achieved "
            f'FROM ({resolved(scope, s, "pledges")}) p LEFT JOIN "{s}".grants g '
            "ON g.federation = p.federation AND g.subject_kind = p.subject_kind "
            "AND g.subject_code = p.subject_code AND g.award = p.award "
            "AND g.year = p.year AND g.granted AND (g.revoked_on IS NULL OR g.revoked_on > $1)"
            f"{only_sources(scope, s, 'g', 'AND')} "
            f"WHERE {WHERE} AND p.year = $4 AND p.state <> 'withdrawn' AND p.award IS NOT NULL "
            "GROUP BY 1, 2 ORDER BY 1, 2",
            *args(scope),
            year,
        ),
    )
    return grants, nominations, achieved
