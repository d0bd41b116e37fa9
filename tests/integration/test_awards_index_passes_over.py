"""Awards' lists (adapters/index.py) read the whole log but decode only the events they are made
of: a year's ratings, thousands of history events, are passed over, never decoded."""

from __future__ import annotations

import asyncio
from typing import Any

from services.awards.bootstrap import build_app as awards_app
from services.awards.bootstrap import parts_of as awards_parts
from services.awards.bootstrap import runtime as awards_runtime
from services.awards.domain.history import History
from shared.kernel.settings import AwardsSettings
from tests.integration.test_recovery_consumers import FED, NATIONAL, grant
from tests.support import Isolation, in_process

META = {"actor": "clerk", "scope": "*"}


def rated(code: str) -> History:
    history = History(federation=FED, subject_kind="member", subject_code=code, meta=META)
    history.record_rating(code, "cdcs-a", 2023, "excellent", META)
    return history


async def test_given_ratings_then_a_grant_when_the_lists_catch_up_then_the_grant_is_listed_no_rating_decoded(
    isolation: Isolation,
) -> None:
    rt = awards_runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, awards_app) as http:
        index = awards_parts(rt).index
        # Watched before the save: the service's own loop may catch up before this test does.
        decoded: list[str] = []
        mapper: Any = index.eventlog.mapper
        to_domain_event = mapper.to_domain_event
        mapper.to_domain_event = lambda stored: decoded.append(stored.topic) or to_domain_event(stored)
        try:
            await asyncio.to_thread(rt.application.save, rated("dv-1"), rated("dv-2"), grant("dv-3", "7/QĐ"))
            while await index.catch_up():
                pass
        finally:
            mapper.to_domain_event = to_domain_event
        assert decoded and all(t.endswith(":Grant.Granted") for t in decoded), decoded
        position = await rt.db.fetchval(f'SELECT sequence FROM "{rt.settings.schema_name}".index_position')
        assert position == await index.eventlog.head()
        r = await http.get(f"/v1/federations/{FED}/grants", headers=NATIONAL, params={"year": 2023})
        assert r.status_code == 200, r.text
        assert [g["subject_code"] for g in r.json()["items"]] == ["dv-3"]
