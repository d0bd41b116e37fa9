"""Read-model tables for the lists of movements, initiatives and works (filled by ReadModel):
their handlers and set-wise forms, as tables from event name (adapters.projection)."""

from __future__ import annotations

import json
from typing import Any

from services.registration.adapters.projection import PATH, Batch, Handler

MODULES = ("services.registration.domain.movements", "services.registration.domain.programmes")
SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS {s}.rm_movements (
    federation text NOT NULL, code text NOT NULL, seq bigint NOT NULL, name text NOT NULL, year int NOT NULL,
    kind text NOT NULL, registration_deadline date NOT NULL, launched_by text, closed_on date,
    PRIMARY KEY (federation, code));
ALTER TABLE {s}.rm_movements ADD COLUMN IF NOT EXISTS launcher text;
ALTER TABLE {s}.rm_movements ADD COLUMN IF NOT EXISTS launcher_name text;
CREATE TABLE IF NOT EXISTS {s}.rm_initiatives (
    federation text NOT NULL, code text NOT NULL, seq bigint NOT NULL, title text NOT NULL,
    author_kind text NOT NULL, author_code text NOT NULL, unit text NOT NULL, path text[] NOT NULL,
    year int NOT NULL, benefit_value bigint NOT NULL, state text NOT NULL, registered_on date NOT NULL,
    PRIMARY KEY (federation, code));
CREATE TABLE IF NOT EXISTS {s}.rm_works (
    federation text NOT NULL, code text NOT NULL, seq bigint NOT NULL, name text NOT NULL, unit text NOT NULL,
    path text[] NOT NULL, value bigint NOT NULL, occasion text NOT NULL, year int NOT NULL,
    state text NOT NULL, registered_on date NOT NULL, PRIMARY KEY (federation, code));
"""
TABLES = ("rm_movements", "rm_initiatives", "rm_works")
WORK_STATES = {"Work.Completed": "completed", "Work.Plaqued": "plaqued"}


async def movement_launched(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"INSERT INTO {s}.rm_movements (federation, code, seq, name, year, kind, registration_deadline, "
        "launched_by, launcher, launcher_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        e.federation, e.code, seq, e.name, e.year, e.kind, e.registration_deadline, e.launched_by,
        getattr(e, "launcher", None) or e.launched_by or e.federation, getattr(e, "launcher_name", None),
    )  # fmt: skip


async def movement_amended(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"UPDATE {s}.rm_movements SET name = $3, registration_deadline = $4 "
        "WHERE federation = $1 AND code = $2",
        e.federation, e.code, e.name, e.registration_deadline,
    )  # fmt: skip


async def movement_closed(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"UPDATE {s}.rm_movements SET closed_on = $3 WHERE federation = $1 AND code = $2",
        e.federation, e.code, e.closed_on,
    )  # fmt: skip


async def initiative_registered(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"INSERT INTO {s}.rm_initiatives (federation, code, seq, title, author_kind, author_code, unit, "
        "path, year, benefit_value, state, registered_on) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'registered', $11)",
        e.federation, e.initiative, seq, e.title, e.author_kind, e.author_code, e.unit, e.unit_path,
        e.year, e.benefit_value, e.registered_on,
    )  # fmt: skip


async def initiative_recognised(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"UPDATE {s}.rm_initiatives SET state = 'recognised', benefit_value = $3 "
        "WHERE federation = $1 AND code = $2",
        e.federation, e.initiative, e.benefit_value,
    )  # fmt: skip


async def initiative_rejected(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"UPDATE {s}.rm_initiatives SET state = 'rejected' WHERE federation = $1 AND code = $2",
        e.federation, e.initiative,
    )  # fmt: skip


async def work_registered(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"INSERT INTO {s}.rm_works (federation, code, seq, name, unit, path, value, occasion, year, "
        "state, registered_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'registered', $10)",
        e.federation, e.work, seq, e.name, e.unit, e.unit_path, e.value, e.occasion, e.year,
        e.registered_on,
    )  # fmt: skip


async def work_state_changed(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"UPDATE {s}.rm_works SET state = $3 WHERE federation = $1 AND code = $2",
        e.federation, e.work, WORK_STATES[type(e).__qualname__],
    )  # fmt: skip


async def initiative_corrected(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"UPDATE {s}.rm_initiatives SET title = $3, benefit_value = $4 WHERE federation = $1 AND code = $2",
        e.federation, e.initiative, e.title, e.benefit_value,
    )  # fmt: skip


async def work_corrected(conn: Any, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f"UPDATE {s}.rm_works SET name = $3, value = $4, occasion = $5 WHERE federation = $1 AND code = $2",
        e.federation, e.work, e.name, e.value, e.occasion,
    )  # fmt: skip


HANDLERS: dict[str, Handler] = {
    "Movement.Launched": movement_launched,
    "Movement.Amended": movement_amended,
    "Movement.Closed": movement_closed,
    "Initiative.Registered": initiative_registered,
    "Initiative.Recognised": initiative_recognised,
    "Initiative.Rejected": initiative_rejected,
    "Initiative.Corrected": initiative_corrected,
    "Work.Registered": work_registered,
    "Work.Corrected": work_corrected,
    "Work.Completed": work_state_changed,
    "Work.Plaqued": work_state_changed,
}


# -- set-wise forms of the frequent handlers above ---------------------------------------------


async def initiatives_registered(conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
    events = [e for e, _ in run]
    await conn.execute(
        f"INSERT INTO {s}.rm_initiatives (federation, code, seq, title, author_kind, author_code, unit, "
        "path, year, benefit_value, state, registered_on) "
        f"SELECT federation, code, seq, title, author_kind, author_code, unit, {PATH}, year, "
        "benefit_value, 'registered', registered_on FROM unnest($1::text[], $2::text[], $3::bigint[], "
        "$4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::bigint[], "
        "$11::date[]) WITH ORDINALITY AS u(federation, code, seq, title, author_kind, author_code, "
        "unit, path, year, benefit_value, registered_on, n) ORDER BY n",
        [e.federation for e in events], [e.initiative for e in events], [seq for _, seq in run],
        [e.title for e in events], [e.author_kind for e in events], [e.author_code for e in events],
        [e.unit for e in events], [json.dumps(list(e.unit_path)) for e in events],
        [e.year for e in events], [e.benefit_value for e in events], [e.registered_on for e in events],
    )  # fmt: skip


async def initiatives_recognised(conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
    latest = {(e.federation, e.initiative): e.benefit_value for e, _ in run}  # the last one wins
    await conn.execute(
        f"UPDATE {s}.rm_initiatives i SET state = 'recognised', benefit_value = u.benefit_value "
        "FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(federation, code, benefit_value) "
        "WHERE i.federation = u.federation AND i.code = u.code",
        [k[0] for k in latest], [k[1] for k in latest], list(latest.values()),
    )  # fmt: skip


async def initiatives_registered_and_recognised(conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
    """A list's initiatives, some recognised: its log alternates the two kinds. A recognition
    follows its own initiative's registration and touches no other row, so the run's
    registrations may go first, then its recognitions, as one at a time would leave the table."""
    registered = [(e, seq) for e, seq in run if type(e).__qualname__ == "Initiative.Registered"]
    recognised = [(e, seq) for e, seq in run if type(e).__qualname__ == "Initiative.Recognised"]
    if registered:
        await initiatives_registered(conn, s, registered)
    if recognised:
        await initiatives_recognised(conn, s, recognised)


async def initiatives_rejected(conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
    keys = list(dict.fromkeys((e.federation, e.initiative) for e, _ in run))
    await conn.execute(
        f"UPDATE {s}.rm_initiatives i SET state = 'rejected' "
        "FROM unnest($1::text[], $2::text[]) AS u(federation, code) "
        "WHERE i.federation = u.federation AND i.code = u.code",
        [k[0] for k in keys], [k[1] for k in keys],
    )  # fmt: skip


async def works_registered(conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
    events = [e for e, _ in run]
    await conn.execute(
        f"INSERT INTO {s}.rm_works (federation, code, seq, name, unit, path, value, occasion, year, "
        f"state, registered_on) SELECT federation, code, seq, name, unit, {PATH}, value, occasion, "
        "year, 'registered', registered_on FROM unnest($1::text[], $2::text[], $3::bigint[], "
        "$4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::int[], $10::date[]) "
        "WITH ORDINALITY AS u(federation, code, seq, name, unit, path, value, occasion, year, "
        "registered_on, n) ORDER BY n",
        [e.federation for e in events], [e.work for e in events], [seq for _, seq in run],
        [e.name for e in events], [e.unit for e in events],
        [json.dumps(list(e.unit_path)) for e in events], [e.value for e in events],
        [e.occasion for e in events], [e.year for e in events], [e.registered_on for e in events],
    )  # fmt: skip


async def work_states(conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
    latest = {(e.federation, e.work): WORK_STATES[type(e).__qualname__] for e, _ in run}
    await conn.execute(
        f"UPDATE {s}.rm_works w SET state = u.state "
        "FROM unnest($1::text[], $2::text[], $3::text[]) AS u(federation, code, state) "
        "WHERE w.federation = u.federation AND w.code = u.code",
        [k[0] for k in latest], [k[1] for k in latest], list(latest.values()),
    )  # fmt: skip


BATCHES: dict[str, tuple[str, Batch]] = {
    "Initiative.Registered": ("initiative-registered", initiatives_registered_and_recognised),
    "Initiative.Recognised": ("initiative-registered", initiatives_registered_and_recognised),
    "Initiative.Rejected": ("initiative-rejected", initiatives_rejected),
    "Work.Registered": ("work-registered", works_registered),
    **{name: ("work-state", work_states) for name in WORK_STATES},
}

LISTS: dict[str, tuple[str, str]] = {
    # resource: (table, columns)
    "movements": (
        "rm_movements",
        "code, name, year, kind, registration_deadline, launched_by, launcher, launcher_name, closed_on",
    ),
    "initiatives": (
        "rm_initiatives",
        "code, title, author_kind, author_code, unit, array_to_string(path, '/') AS unit_path, year, "
        "benefit_value, state, registered_on",
    ),
    "works": (
        "rm_works",
        "code, name, unit, array_to_string(path, '/') AS unit_path, value, occasion, year, state, "
        "registered_on",
    ),
}
