"""Issue 18: awards ignores a participation pledge (no award): its copy of registration's pledges
holds pledges for an award only."""

from __future__ import annotations

import uuid

from services.awards import bootstrap as awards
from services.awards.adapters import registration_events
from shared.kernel.settings import AwardsSettings
from tests.support import Isolation, in_process


async def test_awards_ignores_a_participation_pledge(isolation: Isolation) -> None:
    """Given awards' copy of registration's facts; when a participation pledge is published, then
    awards' pledges (each for an award) hold nothing of it."""
    rt = awards.runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, awards.build_app):
        data = {"federation": "bac-kan", "movement": "vi-nguoi-ngheo", "year": 2023, "phase": None}
        data |= {"award": None, "award_name": None, "subject_kind": "member", "subject_code": "dv-1"}
        data |= {
            "subject_name": "Người 1",
            "unit": "cdcs-a",
            "unit_path": ["cdcs-a"],
            "pledged_on": "2023-05-01",
        }
        envelope = {
            "id": str(uuid.uuid4()),
            "type": "tdkt.registration.pledge-registered.v1",
            "source": "tdkt/registration",
            "subject": "pledge",
            "sequence": 1,
            "version": 1,
            "data": data,
        }
        s = rt.settings.schema_name
        async with rt.db.acquire() as conn:
            await registration_events.apply(conn, s, envelope)
            assert await conn.fetchval(f'SELECT count(*) FROM "{s}".pledges') == 0
