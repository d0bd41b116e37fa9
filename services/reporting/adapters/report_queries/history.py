"""The read of a subject's history: its lines in the federation asked for and in those merged
into it, before a moment, in the order they occurred."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from services.reporting.adapters.report_queries import Reads


async def history_rows(
    reads: Reads, federation: str, subject_kind: str, code: str, until: datetime
) -> list[asyncpg.Record]:
    s = reads.schema
    return await reads.pool.fetch(
        f'SELECT event_id, federation, what, occurred_at, award, year, detail, actor FROM "{s}".history '
        # the federations are resolved first (an init plan), so the lookup is one index range
        # per federation instead of a filter over every row of the subject's kind
        f'WHERE federation = ANY(ARRAY(SELECT federation FROM "{s}".federation_merges '
        "WHERE into_federation = $1) || $1::text) AND subject_kind = $2 AND subject_code = $3 "
        "AND occurred_at < $4 ORDER BY occurred_at, event_id",
        federation,
        subject_kind,
        code,
        until,
    )
