"""Set-wise forms of the read model's frequent updates (readmodel.py holds the one-at-a-time
forms, the reference): each applies a run of consecutive events of one kind with one statement
and leaves the tables as the one-at-a-time forms would."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from services.registration.adapters.activity_lists import PATH, Batch
from shared.text import fold


def batches(s: str, pledge_states: Mapping[str, str]) -> dict[str, tuple[str, Batch]]:
    """Event name -> (run key, apply a run) for members and pledges; `pledge_states` maps a pledge's
    state changes to the state they leave."""

    async def members_registered(conn: Any, run: list[tuple[Any, int]]) -> None:
        events = [e for e, _ in run]
        await conn.execute(
            f"INSERT INTO {s}.rm_members (home, code, full_name, folded, unit) "
            "SELECT home, code, full_name, folded, unit FROM unnest($1::text[], $2::text[], $3::text[], "
            "$4::text[], $5::text[]) WITH ORDINALITY AS u(home, code, full_name, folded, unit, n) ORDER BY n",
            [e.federation for e in events],
            [e.code for e in events],
            [e.full_name for e in events],
            [fold(e.full_name) for e in events],
            [e.unit for e in events],
        )

    async def pledges_registered(conn: Any, run: list[tuple[Any, int]]) -> None:
        events = [e for e, _ in run]
        await conn.execute(
            f"INSERT INTO {s}.rm_pledges (id, seq, federation, movement, year, award, subject_kind, "
            "subject_code, subject_name, unit, path, state, pledged_on) "
            "SELECT id, seq, federation, movement, year, award, subject_kind, subject_code, subject_name, "
            f"unit, {PATH}, 'submitted', pledged_on "
            "FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::text[], "
            "$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::date[]) WITH ORDINALITY "
            "AS u(id, seq, federation, movement, year, award, subject_kind, subject_code, subject_name, "
            "unit, path, pledged_on, n) ORDER BY n",
            [e.originator_id for e in events],
            [seq for _, seq in run],
            [e.federation for e in events],
            [e.movement for e in events],
            [e.year for e in events],
            [e.award for e in events],
            [e.subject_kind for e in events],
            [e.subject_code for e in events],
            [e.subject_name for e in events],
            [e.unit for e in events],
            [json.dumps(list(e.unit_path)) for e in events],
            [e.pledged_on for e in events],
        )

    async def pledge_states_changed(conn: Any, run: list[tuple[Any, int]]) -> None:
        latest: dict[Any, str] = {}
        for e, _ in run:  # in log order: the last change of each pledge wins
            latest[e.originator_id] = pledge_states[type(e).__qualname__]
        await conn.execute(
            f"UPDATE {s}.rm_pledges p SET state = u.state "
            "FROM unnest($1::uuid[], $2::text[]) AS u(id, state) WHERE p.id = u.id",
            list(latest),
            list(latest.values()),
        )

    pledge_state_run = ("pledge-state", pledge_states_changed)
    return {
        "Member.Registered": ("member-registered", members_registered),
        "Pledge.Registered": ("pledge-registered", pledges_registered),
        **{name: pledge_state_run for name in pledge_states},
    }
