"""The reads of the block rotation report: covenants of the blocks, the flags granted to units,
acclaims, and each block's top scorers."""

from __future__ import annotations

import asyncpg

from services.reporting.adapters.report_queries import Reads


async def covenants(reads: Reads, federation: str, first: int, last: int) -> list[asyncpg.Record]:
    return await reads.pool.fetch(
        f'SELECT block, block_name, year, units FROM "{reads.schema}".covenants WHERE federation = $1 '
        "AND year BETWEEN $2 AND $3 ORDER BY block, year",
        federation,
        first,
        last,
    )


async def unit_grants(
    reads: Reads, federation: str, awards: list[str], first: int, last: int
) -> list[asyncpg.Record]:
    """Standing grants of `awards` to units in the years."""
    return await reads.pool.fetch(
        f'SELECT subject_code, year, award FROM "{reads.schema}".grants WHERE federation = $1 AND granted '
        "AND revoked_on IS NULL AND subject_kind = 'unit' AND award = ANY($2) AND year BETWEEN $3 AND $4",
        federation,
        awards,
        first,
        last,
    )


async def acclaims(reads: Reads, federation: str) -> list[asyncpg.Record]:
    return await reads.pool.fetch(
        f'SELECT block, year, units FROM "{reads.schema}".acclaims WHERE federation = $1', federation
    )


async def top_scorers(reads: Reads, federation: str) -> list[asyncpg.Record]:
    """Each block's units with the year's highest score."""
    s = reads.schema
    return await reads.pool.fetch(
        f'SELECT block, year, array_agg(unit) AS units FROM "{s}".block_scores b WHERE federation = $1 '
        f'AND score = (SELECT max(score) FROM "{s}".block_scores m WHERE m.federation = b.federation '
        "AND m.block = b.block AND m.year = b.year) GROUP BY block, year",
        federation,
    )
