"""Read-model tables for the lists of movements, initiatives and works (filled by ReadModel)."""

from __future__ import annotations

from typing import Any

MODULES = ("services.registration.domain.movements", "services.registration.domain.programmes")
SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS {s}.rm_movements (
    federation text NOT NULL, code text NOT NULL, seq bigint NOT NULL, name text NOT NULL, year int NOT NULL,
    kind text NOT NULL, registration_deadline date NOT NULL, launched_by text, closed_on date,
    PRIMARY KEY (federation, code));
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


def handlers(s: str) -> dict[str, Any]:
    async def movement_launched(conn: Any, e: Any, seq: int) -> None:
        await conn.execute(
            f"INSERT INTO {s}.rm_movements (federation, code, seq, name, year, kind, registration_deadline, "
            "launched_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            e.federation, e.code, seq, e.name, e.year, e.kind, e.registration_deadline, e.launched_by,
        )  # fmt: skip

    async def movement_closed(conn: Any, e: Any, seq: int) -> None:
        await conn.execute(
            f"UPDATE {s}.rm_movements SET closed_on = $3 WHERE federation = $1 AND code = $2",
            e.federation, e.code, e.closed_on,
        )  # fmt: skip

    async def initiative_registered(conn: Any, e: Any, seq: int) -> None:
        await conn.execute(
            f"INSERT INTO {s}.rm_initiatives (federation, code, seq, title, author_kind, author_code, unit, "
            "path, year, benefit_value, state, registered_on) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'registered', $11)",
            e.federation, e.initiative, seq, e.title, e.author_kind, e.author_code, e.unit, e.unit_path,
            e.year, e.benefit_value, e.registered_on,
        )  # fmt: skip

    async def initiative_recognised(conn: Any, e: Any, seq: int) -> None:
        await conn.execute(
            f"UPDATE {s}.rm_initiatives SET state = 'recognised', benefit_value = $3 "
            "WHERE federation = $1 AND code = $2",
            e.federation, e.initiative, e.benefit_value,
        )  # fmt: skip

    async def initiative_rejected(conn: Any, e: Any, seq: int) -> None:
        await conn.execute(
            f"UPDATE {s}.rm_initiatives SET state = 'rejected' WHERE federation = $1 AND code = $2",
            e.federation, e.initiative,
        )  # fmt: skip

    async def work_registered(conn: Any, e: Any, seq: int) -> None:
        await conn.execute(
            f"INSERT INTO {s}.rm_works (federation, code, seq, name, unit, path, value, occasion, year, "
            "state, registered_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'registered', $10)",
            e.federation, e.work, seq, e.name, e.unit, e.unit_path, e.value, e.occasion, e.year,
            e.registered_on,
        )  # fmt: skip

    def work_state(state: str) -> Any:
        async def apply(conn: Any, e: Any, seq: int) -> None:
            await conn.execute(
                f"UPDATE {s}.rm_works SET state = $3 WHERE federation = $1 AND code = $2",
                e.federation,
                e.work,
                state,
            )

        return apply

    return {
        "Movement.Launched": movement_launched,
        "Movement.Closed": movement_closed,
        "Initiative.Registered": initiative_registered,
        "Initiative.Recognised": initiative_recognised,
        "Initiative.Rejected": initiative_rejected,
        "Work.Registered": work_registered,
        "Work.Completed": work_state("completed"),
        "Work.Plaqued": work_state("plaqued"),
    }


LISTS: dict[str, tuple[str, str]] = {
    # resource: (table, columns)
    "movements": ("rm_movements", "code, name, year, kind, registration_deadline, launched_by, closed_on"),
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
