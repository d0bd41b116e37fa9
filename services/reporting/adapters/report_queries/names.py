"""Names for codes a report's workbook shows: the federations'."""

from __future__ import annotations

from services.reporting.adapters.report_queries import Reads


async def federation_names(reads: Reads) -> dict[str, str]:
    """Every federation's name by its code (a workbook's title block and its federation columns)."""
    rows = await reads.pool.fetch(f'SELECT code, name FROM "{reads.schema}".federations')
    return {r["code"]: r["name"] for r in rows if r["name"]}
