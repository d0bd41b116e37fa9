"""The read of the tree report: every unit the tree held on the report's date within the report's
federation (or one unit's subtree), with its kind, its headcount in force that day (the latest
counted on or before it) and its members keyed in one by one."""

from __future__ import annotations

import asyncpg

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries.scope import sources
from services.reporting.domain.scope import Scope


async def units_with_headcounts(reads: Reads, scope: Scope) -> list[asyncpg.Record]:
    """$1 the date, $2 the federation, $3 the unit (or null). A unit merged or dissolved by then
    is gone; one moved in from another federation counts where it sits. A unit whose code
    changed keeps the counts made under its earlier codes until it is counted again."""
    s = reads.schema
    return await reads.pool.fetch(
        f"""
        WITH RECURSIVE earlier(federation, code, carrier) AS (
            SELECT federation, code, merged_into FROM "{s}".unit_endings WHERE change = 'recoded'
            UNION SELECT e.federation, e.code, l.carrier FROM "{s}".unit_endings e
            JOIN earlier l ON e.federation = l.federation AND e.merged_into = l.code
            WHERE e.change = 'recoded'),
        tree AS (
            SELECT DISTINCT ON (federation, code) federation, code, ancestry, as_federation
            FROM "{s}".units WHERE federation = ANY({sources(s)}) AND valid_from <= $1
            ORDER BY federation, code, valid_from DESC, version DESC),
        registered AS (
            SELECT federation, unit, count(*) AS n FROM (
                SELECT DISTINCT ON (federation, code) federation, unit, change FROM "{s}".members
                WHERE federation = ANY({sources(s)}) AND valid_from <= $1
                ORDER BY federation, code, valid_from DESC, version DESC) m
            WHERE change <> 'left' GROUP BY 1, 2)
        SELECT t.code, t.ancestry,
               (SELECT kind FROM "{s}".units k WHERE k.federation = t.federation AND k.code = t.code
                AND k.kind IS NOT NULL ORDER BY k.version DESC LIMIT 1) AS kind,
               h.counted_on, h.workers, h.members, COALESCE(r.n, 0) AS registered
        FROM tree t
        LEFT JOIN "{s}".unit_endings e
            ON e.federation = t.federation AND e.code = t.code AND e.effective_on <= $1
        LEFT JOIN LATERAL (
            SELECT counted_on, workers, members FROM "{s}".unit_headcounts c
            WHERE c.federation = t.federation AND c.counted_on <= $1 AND (c.unit = t.code OR c.unit IN (
                SELECT l.code FROM earlier l WHERE l.federation = t.federation AND l.carrier = t.code))
            ORDER BY c.counted_on DESC LIMIT 1) h ON true
        LEFT JOIN registered r ON r.federation = t.federation AND r.unit = t.code
        WHERE e.code IS NULL AND t.as_federation = $2 AND ($3::text IS NULL OR $3 = ANY(t.ancestry))
        ORDER BY t.ancestry""",
        scope.as_of,
        scope.federation,
        scope.unit,
    )
