"""The read of a subject's history: its lines in the federation asked for and in those merged
into it that happened on or before a day (by the day each took effect, `happened_on`, whenever it
was recorded), in the order they happened (then the order they were recorded); a unit's history
carries on through the codes it had before."""

from __future__ import annotations

from datetime import date

import asyncpg

from services.reporting.adapters.report_queries import Reads


async def history_rows(
    reads: Reads, federation: str, subject_kind: str, code: str, until: date | None
) -> list[asyncpg.Record]:
    """`until`: the last day a line may have happened on; None for every line."""
    s = reads.schema
    return await reads.pool.fetch(
        # a unit's lines include those of the codes it had before (unit-recoded), oldest first
        f'WITH RECURSIVE codes(code) AS (SELECT $3::text UNION SELECT e.code FROM "{s}".unit_endings e '
        "JOIN codes c ON e.merged_into = c.code WHERE $2 = 'unit' AND e.change = 'recoded' "
        f'AND e.federation = ANY(ARRAY(SELECT federation FROM "{s}".federation_merges '
        "WHERE into_federation = $1) || $1::text)) "
        "SELECT event_id, federation, subject_code, what, occurred_at, happened_on, award, year, "
        "detail, actor "
        f'FROM "{s}".history '
        # the federations are resolved first (an init plan), so the lookup is one index range
        # per federation instead of a filter over every row of the subject's kind
        f'WHERE federation = ANY(ARRAY(SELECT federation FROM "{s}".federation_merges '
        "WHERE into_federation = $1) || $1::text) AND subject_kind = $2 "
        "AND subject_code = ANY(ARRAY(SELECT code FROM codes)) "
        "AND ($4::date IS NULL OR happened_on <= $4) ORDER BY happened_on, occurred_at, event_id",
        federation,
        subject_kind,
        code,
        until,
    )
