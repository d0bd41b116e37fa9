"""The read behind reporting's lag: the highest sequence a consumer processed from each source."""

from __future__ import annotations

from services.reporting.adapters.report_queries import Reads


async def processed_positions(reads: Reads, consumer: str) -> dict[str, int]:
    rows = await reads.pool.fetch(
        f'SELECT source, sequence FROM "{reads.schema}".consumer_positions WHERE consumer = $1',
        consumer,
    )
    return {r["source"]: int(r["sequence"]) for r in rows}
