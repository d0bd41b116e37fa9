"""Awards' own copy of what registration publishes about subjects and pledges.

Filled by the consumer from `*.registration.*`; awards never reads registration's tables."""

from __future__ import annotations

from typing import Any

import asyncpg

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS "{s}".subjects (
    federation text NOT NULL, kind text NOT NULL, code text NOT NULL, name text NOT NULL,
    unit text NOT NULL, unit_path text[] NOT NULL, PRIMARY KEY (federation, kind, code));
CREATE TABLE IF NOT EXISTS "{s}".pledges (
    federation text NOT NULL, movement text NOT NULL, year int NOT NULL, award text NOT NULL,
    subject_kind text NOT NULL, subject_code text NOT NULL, state text NOT NULL,
    version int NOT NULL,
    PRIMARY KEY (federation, movement, subject_kind, subject_code, award));
"""

PLEDGE_STATES = {
    "pledge-registered": "submitted",
    "pledge-accepted": "accepted",
    "pledge-returned": "returned",
    "pledge-resubmitted": "submitted",
    "pledge-withdrawn": "withdrawn",
}


class Directory:
    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.schema = schema

    async def create_tables(self) -> None:
        await self.pool.execute(SCHEMA_SQL.format(s=self.schema))

    async def subjects(self, federation: str, keys: list[tuple[str, str]]) -> dict:
        rows = await self.pool.fetch(
            f'SELECT kind, code, name, unit, unit_path FROM "{self.schema}".subjects '
            "WHERE federation = $1 AND (kind, code) IN "
            "(SELECT * FROM unnest($2::text[], $3::text[]))",
            federation,
            [k for k, _ in keys],
            [c for _, c in keys],
        )
        return {
            (r["kind"], r["code"]): {"name": r["name"], "unit": r["unit"], "unit_path": list(r["unit_path"])}
            for r in rows
        }

    async def handle(self, conn: asyncpg.Connection, envelope: dict[str, Any]) -> None:
        name = envelope["type"].split(".")[2]
        data = envelope["data"]
        s = self.schema
        if name == "unit-registered":
            await conn.execute(
                f"INSERT INTO \"{s}\".subjects VALUES ($1, 'unit', $2, $3, $2, $4) ON CONFLICT DO NOTHING",
                data["federation"],
                data["code"],
                data["name"],
                data["ancestry"],
            )
        elif name == "member-registered":
            await conn.execute(
                f"INSERT INTO \"{s}\".subjects VALUES ($1, 'member', $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                data["federation"],
                data["code"],
                data["full_name"],
                data["unit"],
                data["unit_path"],
            )
        elif name in PLEDGE_STATES:
            # Versions order the transitions, so out-of-order delivery keeps the latest state.
            await conn.execute(
                f'INSERT INTO "{s}".pledges VALUES ($1, $2, $3, $4, $5, $6, $7, $8) '
                "ON CONFLICT (federation, movement, subject_kind, subject_code, award) DO UPDATE "
                "SET state = EXCLUDED.state, version = EXCLUDED.version "
                f'WHERE "{s}".pledges.version < EXCLUDED.version',
                data["federation"],
                data["movement"],
                data["year"],
                data["award"],
                data["subject_kind"],
                data["subject_code"],
                PLEDGE_STATES[name],
                envelope["version"],
            )
        # Other registration events carry nothing awards decides on.
