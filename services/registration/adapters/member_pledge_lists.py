"""Read-model tables of members (spans of dates, names folded for search) and pledges (filled by
ReadModel): their handlers and the set-wise forms of the frequent ones, as tables from event name
(adapters.projection); the set-wise forms leave the tables as the handlers would."""

from __future__ import annotations

import json
from typing import Any

from services.registration.adapters.projection import PATH, Batch, Handler
from services.registration.adapters.readmodel_tree import homes_of, resolve
from shared.kernel.text import fold

PLEDGE_STATES = {
    "Pledge.Accepted": "accepted",
    "Pledge.Returned": "returned",
    "Pledge.Resubmitted": "submitted",
    "Pledge.Withdrawn": "withdrawn",
}


# -- members ---------------------------------------------------------------------------


async def member_registered(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"INSERT INTO {s}.rm_members (home, code, full_name, folded, unit) VALUES ($1, $2, $3, $4, $5)",
        e.federation,
        e.code,
        e.full_name,
        fold(e.full_name),
        e.unit,
    )


async def end_member(conn: Any, s: str, e: Any) -> Any:
    homes = await homes_of(conn, s, e.federation)
    return await conn.fetchrow(
        f"UPDATE {s}.rm_members SET valid_to = $3 WHERE code = $1 AND home = ANY($2::text[]) "
        "AND valid_to IS NULL RETURNING home, full_name, folded",
        e.code,
        homes,
        e.effective_on,
    )


async def member_transferred(conn: Any, s: str, e: Any, seq: int) -> None:
    row = await end_member(conn, s, e)
    if row is None:  # out of a unit that had ended: its span ended with the unit
        homes = await homes_of(conn, s, e.federation)
        row = await conn.fetchrow(
            f"SELECT home, full_name, folded FROM {s}.rm_members WHERE code = $1 "
            "AND home = ANY($2::text[]) ORDER BY valid_from DESC NULLS LAST LIMIT 1",
            e.code,
            homes,
        )
    if row is None:
        raise RuntimeError(f"member-transferred for '{e.code}', which the read model does not hold")
    await conn.execute(
        f"INSERT INTO {s}.rm_members (home, code, full_name, folded, unit, valid_from) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        row["home"],
        e.code,
        row["full_name"],
        row["folded"],
        e.unit,
        e.effective_on,
    )


async def member_left(conn: Any, s: str, e: Any, seq: int) -> None:
    await end_member(conn, s, e)


async def member_corrected(conn: Any, s: str, e: Any, seq: int) -> None:
    """The name in every span of the member and in its pledges; its problems resolved."""
    homes = [e.home, *await homes_of(conn, s, e.federation)]
    await conn.execute(
        f"UPDATE {s}.rm_members SET full_name = $3, folded = $4 WHERE home = $1 AND code = $2",
        e.home,
        e.code,
        e.full_name,
        fold(e.full_name),
    )
    await conn.execute(
        f"UPDATE {s}.rm_pledges SET subject_name = $3 WHERE federation = ANY($1::text[]) "
        "AND subject_kind = 'member' AND subject_code = $2",
        homes,
        e.code,
        e.full_name,
    )
    await resolve(conn, s, e, "member", e.code, homes)


# -- pledges ---------------------------------------------------------------------------


async def pledge_registered(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"INSERT INTO {s}.rm_pledges (id, seq, federation, movement, year, award, subject_kind, "
        "subject_code, subject_name, unit, path, state, pledged_on) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'submitted', $12)",
        e.originator_id,
        seq,
        e.federation,
        e.movement,
        e.year,
        e.award,
        e.subject_kind,
        e.subject_code,
        e.subject_name,
        e.unit,
        e.unit_path,
        e.pledged_on,
    )


async def pledge_state_changed(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"UPDATE {s}.rm_pledges SET state = $2 WHERE id = $1",
        e.originator_id,
        PLEDGE_STATES[type(e).__qualname__],
    )


async def pledge_corrected(conn: Any, s: str, e: Any) -> None:
    """A resubmission with corrections (issue 18): the date, name, unit and path it holds after."""
    await conn.execute(
        f"UPDATE {s}.rm_pledges SET pledged_on = $2, subject_name = $3, unit = $4, path = $5 WHERE id = $1",
        e.originator_id,
        e.pledged_on,
        e.subject_name,
        e.unit,
        list(e.unit_path),
    )


async def pledge_resubmitted(conn: Any, s: str, e: Any, seq: int) -> None:
    await pledge_state_changed(conn, s, e, seq)
    if getattr(e, "corrected", None):
        await pledge_corrected(conn, s, e)


HANDLERS: dict[str, Handler] = {
    "Member.Registered": member_registered,
    "Member.Transferred": member_transferred,
    "Member.Left": member_left,
    "Member.Corrected": member_corrected,
    "Pledge.Registered": pledge_registered,
    **{name: pledge_state_changed for name in PLEDGE_STATES},
    "Pledge.Resubmitted": pledge_resubmitted,
}


# -- set-wise forms of the frequent handlers above ---------------------------------------------


async def members_registered(conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
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


async def pledges_registered(conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
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


async def pledge_states_changed(conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
    latest: dict[Any, str] = {}
    for e, _ in run:  # in log order: the last change of each pledge wins
        latest[e.originator_id] = PLEDGE_STATES[type(e).__qualname__]
    await conn.execute(
        f"UPDATE {s}.rm_pledges p SET state = u.state "
        "FROM unnest($1::uuid[], $2::text[]) AS u(id, state) WHERE p.id = u.id",
        list(latest),
        list(latest.values()),
    )
    for e, _ in run:  # corrections are rare: one by one, in log order
        if getattr(e, "corrected", None):
            await pledge_corrected(conn, s, e)


BATCHES: dict[str, tuple[str, Batch]] = {
    "Member.Registered": ("member-registered", members_registered),
    "Pledge.Registered": ("pledge-registered", pledges_registered),
    **{name: ("pledge-state", pledge_states_changed) for name in PLEDGE_STATES},
}
