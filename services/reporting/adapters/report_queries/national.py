"""The reads of the national roll-up: for each yearly report, one statement that answers every
federation's headline figures at once — the year's facts resolved to their federation (`home`)
as of the report's date and grouped by it, beside the federations standing on that date. A row
per federation standing (its figures zero if it had no fact) and per other `home` that facts
resolved to (`standing` false: counted in the nation's totals, as the national report counts
them, but not listed)."""

from __future__ import annotations

from datetime import date

import asyncpg

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries.scope import WHERE, resolved
from services.reporting.domain.scope import Scope

NATION = Scope(None, None, date.min)  # `resolved` without a federation's sources filter

# the facts of the year by home: (table, extra condition, the figures' SELECT list)
COUNTS = {
    "registrations": (
        "pledges",
        "",
        "count(*) FILTER (WHERE state <> 'withdrawn' AND award IS NOT NULL) AS pledged, "
        "count(*) FILTER (WHERE state <> 'withdrawn' AND award IS NULL) AS participating",
    ),
    "awards": (
        "grants",
        "AND (granted OR cancelled_on IS NOT NULL)",
        "count(*) FILTER (WHERE granted AND NOT (revoked_on IS NOT NULL AND revoked_on <= $1)) AS granted, "
        + ", ".join(
            f"count(*) FILTER (WHERE granted AND NOT (revoked_on IS NOT NULL AND revoked_on <= $1) "
            f"AND COALESCE(occasion, 'regular') = '{occasion}') AS {figure}"
            for occasion, figure in (("regular", "regular"), ("thematic", "thematic"), ("ad-hoc", "ad_hoc"))
        )
        + ", count(*) FILTER (WHERE granted AND revoked_on IS NOT NULL AND revoked_on <= $1) AS revoked"
        + ", count(*) FILTER (WHERE NOT granted AND cancelled_on IS NOT NULL) AS cancelled",
    ),
    "initiatives": (
        "initiatives",
        "",
        "count(*) AS registered, count(*) FILTER (WHERE recognised_on IS NOT NULL) AS recognised, "
        "COALESCE(sum(benefit_value) FILTER (WHERE recognised_on IS NOT NULL), 0) AS benefit_value",
    ),
    "works": (
        "works",
        "",
        "count(*) AS registered, COALESCE(sum(value), 0) AS value, "
        "count(*) FILTER (WHERE completed_on <= $1) AS completed, "
        "COALESCE(sum(value) FILTER (WHERE completed_on <= $1), 0) AS completed_value, "
        "count(*) FILTER (WHERE plaqued_on <= $1) AS plaqued, "
        "COALESCE(sum(value) FILTER (WHERE plaqued_on <= $1), 0) AS plaqued_value",
    ),
}


def _standing(s: str) -> str:
    return (
        f'SELECT code, name FROM "{s}".federations WHERE code NOT IN '
        f'(SELECT federation FROM "{s}".federation_merges WHERE effective_on <= $1)'
    )


def _targets(s: str) -> str:
    """Each home's initiatives targets as its own report reads them: `own` (the federation's
    own, set on it or at the top of its tree), `units` (the sum of its top units' targets) and
    `root` (the one at the top of its tree, which the national report adds up)."""
    return f"""
        , t0 AS (SELECT home, unit, path, max(target) AS target FROM ({resolved(NATION, s, "targets")}) r
                 WHERE {WHERE} AND programme = 'initiatives' AND year = $4 GROUP BY 1, 2, 3)
        , t AS (SELECT home, max(target) FILTER (WHERE unit = home OR cardinality(path) = 0) AS own,
                       sum(target) FILTER (WHERE cardinality(path) = 1 AND unit <> home) AS units,
                       max(target) FILTER (WHERE cardinality(path) = 0) AS root
                FROM t0 GROUP BY home)"""


def statement(report: str, s: str) -> str:
    """One report's figures for every federation, in one statement ($1 the report's date, $4 the
    year; $2 and $3, the scope's federation and unit, are null)."""
    table, condition, figures = COUNTS[report]
    targets = report == "initiatives"
    joined = "(g FULL JOIN t USING (home))" if targets else "g"
    return f"""
        WITH g AS (SELECT home, {figures} FROM ({resolved(NATION, s, table)}) r
                   WHERE {WHERE} AND year = $4 {condition} GROUP BY home)
        {_targets(s) if targets else ""}
        , standing AS ({_standing(s)})
        SELECT COALESCE(standing.code, x.home) AS federation, standing.name AS federation_name,
               standing.code IS NOT NULL AS standing, x.*
        FROM standing FULL JOIN {joined} x ON x.home = standing.code ORDER BY 1"""


async def figures_by_federation(reads: Reads, report: str, as_of: date, year: int) -> list[asyncpg.Record]:
    """`report`'s figures for each federation on `as_of` (null where it had no fact)."""
    return await reads.pool.fetch(statement(report, reads.schema), as_of, None, None, year)


async def standing_federations(reads: Reads, as_of: date) -> list[str]:
    """The codes of the federations standing on `as_of` (not merged into another by then), in
    code order."""
    rows = await reads.pool.fetch(_standing(reads.schema) + " ORDER BY code", as_of)
    return [r["code"] for r in rows]
