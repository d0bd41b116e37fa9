"""Awards' own copy of what registration publishes about subjects, pledges, recognised
initiatives and acclaimed block leaders.

Filled by the consumer from `*.registration.*`; awards never reads registration's tables.
Dates count: a departure is kept with its date and a member counts until it (as of the date a
check asks about); a move dated in the future waits in `deferred` and is applied, in date
order, by the first read on or after its date."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

import asyncpg

from services.awards.application.base import Outside, Subjects
from shared import clock
from shared.tracking import RESOLVE_SQL, ensure_problems_table, resolve_args

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS "{s}".subjects (
    federation text NOT NULL, kind text NOT NULL, code text NOT NULL, name text NOT NULL,
    unit text NOT NULL, unit_path text[] NOT NULL, PRIMARY KEY (federation, kind, code));
ALTER TABLE "{s}".subjects ADD COLUMN IF NOT EXISTS left_on date;
ALTER TABLE "{s}".subjects ADD COLUMN IF NOT EXISTS version int NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS subjects_path ON "{s}".subjects USING gin (unit_path);
CREATE TABLE IF NOT EXISTS "{s}".pledges (
    federation text NOT NULL, movement text NOT NULL, year int NOT NULL, award text NOT NULL,
    subject_kind text NOT NULL, subject_code text NOT NULL, state text NOT NULL,
    version int NOT NULL,
    PRIMARY KEY (federation, movement, subject_kind, subject_code, award));
CREATE TABLE IF NOT EXISTS "{s}".initiatives (
    federation text NOT NULL, initiative text NOT NULL, author_kind text NOT NULL,
    author_code text NOT NULL, year int NOT NULL, state text NOT NULL, version int NOT NULL,
    PRIMARY KEY (federation, initiative));
CREATE TABLE IF NOT EXISTS "{s}".federation_formers (
    federation text NOT NULL, former text NOT NULL, PRIMARY KEY (federation, former));
CREATE TABLE IF NOT EXISTS "{s}".deferred (
    event_id text PRIMARY KEY, effective_on date NOT NULL, seq bigserial, envelope jsonb NOT NULL);
CREATE INDEX IF NOT EXISTS deferred_due ON "{s}".deferred (effective_on, seq);
CREATE TABLE IF NOT EXISTS "{s}".acclaims (
    federation text NOT NULL, block text NOT NULL, year int NOT NULL, units text[] NOT NULL,
    PRIMARY KEY (federation, block, year));
"""

PLEDGE_STATES = {
    "pledge-registered": "submitted",
    "pledge-accepted": "accepted",
    "pledge-returned": "returned",
    "pledge-resubmitted": "submitted",
    "pledge-withdrawn": "withdrawn",
}
# Registration's events that change where a subject sits, from their `effective_on`.
MOVES = ("member-transferred", "unit-moved")

INITIATIVE_STATES = {
    "initiative-registered": "registered",
    "initiative-recognised": "recognised",
    "initiative-rejected": "rejected",
}


class Directory:
    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.schema = schema
        self.today: Callable[[], date] = clock.today

    async def create_tables(self) -> None:
        await self.pool.execute(SCHEMA_SQL.format(s=self.schema))
        await ensure_problems_table(self.pool, self.schema)

    async def knows_federation(self, code: str) -> bool:
        """Whether registration told awards of a unit or member of federation `code`, or of its
        merge (awards keeps no other list of federations)."""
        s = self.schema
        return bool(
            await self.pool.fetchval(
                f'SELECT EXISTS (SELECT 1 FROM "{s}".subjects WHERE federation = $1) OR EXISTS '
                f'(SELECT 1 FROM "{s}".federation_formers WHERE federation = $1 OR former = $1)',
                code,
            )
        )

    async def apply_due(self) -> None:
        """Moves whose day has come. Concurrent readers wait on the rows one of them deletes,
        so each move is applied once, before anyone reads past its date."""
        async with self.pool.acquire() as conn, conn.transaction():
            due = await conn.fetch(
                f'DELETE FROM "{self.schema}".deferred WHERE effective_on <= $1 '
                "RETURNING effective_on, seq, envelope::text AS envelope",
                self.today(),
            )
            for row in sorted(due, key=lambda r: (r["effective_on"], r["seq"])):
                await self._apply(conn, json.loads(row["envelope"]))

    async def outsides(
        self, federation: str, keys: list[tuple[str, str]], as_of: date | None = None
    ) -> Subjects:
        """What registration told awards about each subject; unknown subjects are left out.
        `as_of`: the day whose members count (a unit's, or a member's peers); today if None."""
        await self.apply_due()
        as_of = as_of or self.today()
        s, kinds, codes = self.schema, [k for k, _ in keys], [c for _, c in keys]
        rows = await self.pool.fetch(
            f'SELECT kind, code, name, unit, unit_path FROM "{s}".subjects WHERE federation = $1 '
            "AND (kind, code) IN (SELECT * FROM unnest($2::text[], $3::text[]))",
            federation,
            kinds,
            codes,
        )
        pledges: dict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)
        for r in await self.pool.fetch(
            f'SELECT subject_kind, subject_code, award, year FROM "{s}".pledges WHERE federation = $1 '
            "AND state IN ('submitted', 'accepted') AND (subject_kind, subject_code) IN "
            "(SELECT * FROM unnest($2::text[], $3::text[]))",
            federation,
            kinds,
            codes,
        ):
            pledges[(r["subject_kind"], r["subject_code"])].add((r["award"], r["year"]))
        initiatives: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
        for r in await self.pool.fetch(
            f'SELECT author_kind, author_code, year, count(*) AS n FROM "{s}".initiatives '
            "WHERE federation = $1 AND state = 'recognised' AND (author_kind, author_code) IN "
            "(SELECT * FROM unnest($2::text[], $3::text[])) GROUP BY 1, 2, 3",
            federation,
            kinds,
            codes,
        ):
            initiatives[(r["author_kind"], r["author_code"])][r["year"]] = r["n"]
        acclaimed: dict[str, set[int]] = defaultdict(set)
        for r in await self.pool.fetch(
            f'SELECT year, unnest(units) AS unit FROM "{s}".acclaims WHERE federation = $1', federation
        ):
            acclaimed[r["unit"]].add(r["year"])
        formerly = tuple(
            r["former"]
            for r in await self.pool.fetch(
                f'SELECT former FROM "{s}".federation_formers WHERE federation = $1 ORDER BY 1', federation
            )
        )
        units = [r["code"] for r in rows if r["kind"] == "unit"]
        peers_of = [r["unit"] for r in rows if r["kind"] == "member"]
        subtree = await self._members(federation, units, "$2 = ANY(m.unit_path)", as_of)
        peers = await self._members(federation, peers_of, "m.unit = $2", as_of)
        out: Subjects = {}
        for r in rows:
            key = (r["kind"], r["code"])
            out[key] = Outside(
                name=r["name"],
                unit=r["unit"],
                unit_path=list(r["unit_path"]),
                pledges=frozenset(pledges[key]),
                initiatives=initiatives[key],
                acclaimed=frozenset(acclaimed[r["code"]]) if r["kind"] == "unit" else frozenset(),
                members=tuple(subtree[r["code"]] if r["kind"] == "unit" else peers[r["unit"]]),
                formerly=formerly,
            )
        return out

    async def _members(
        self, federation: str, units: list[str], match: str, as_of: date
    ) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for unit in dict.fromkeys(units):
            rows = await self.pool.fetch(
                f'SELECT m.code FROM "{self.schema}".subjects m WHERE m.federation = $1 '
                "AND m.kind = 'member' AND (m.left_on IS NULL OR m.left_on > $3) "
                f"AND {match} ORDER BY m.code",
                federation,
                unit,
                as_of,
            )
            found[unit] = [r["code"] for r in rows]
        return found

    async def handle(self, conn: asyncpg.Connection, envelope: dict[str, Any]) -> None:
        name = envelope["type"].split(".")[2]
        effective = envelope["data"].get("effective_on")
        if name in MOVES and effective and date.fromisoformat(effective) > self.today():
            await conn.execute(
                f'INSERT INTO "{self.schema}".deferred (event_id, effective_on, envelope) '
                "VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING",
                str(envelope["id"]),
                date.fromisoformat(effective),
                json.dumps(envelope, ensure_ascii=False),
            )
            return
        await self._apply(conn, envelope)

    async def _apply(self, conn: asyncpg.Connection, envelope: dict[str, Any]) -> None:
        name = envelope["type"].split(".")[2]
        data, version, s = envelope["data"], int(envelope.get("version") or 0), self.schema
        fed = data.get("federation")
        if name == "unit-registered":
            await conn.execute(
                f"INSERT INTO \"{s}\".subjects VALUES ($1, 'unit', $2, $3, $2, $4, NULL, $5) "
                "ON CONFLICT DO NOTHING",
                fed,
                data["code"],
                data["name"],
                data["ancestry"],
                version,
            )
        elif name == "member-registered":
            await conn.execute(
                f"INSERT INTO \"{s}\".subjects VALUES ($1, 'member', $2, $3, $4, $5, NULL, $6) "
                "ON CONFLICT DO NOTHING",
                fed,
                data["code"],
                data["full_name"],
                data["unit"],
                data["unit_path"],
                version,
            )
        elif name == "member-transferred":
            await conn.execute(
                f'UPDATE "{s}".subjects SET unit = $3, unit_path = $4, version = $5 '
                "WHERE federation = $1 AND kind = 'member' AND code = $2 AND version < $5",
                fed,
                data["code"],
                data["unit"],
                data["unit_path"],
                version,
            )
        elif name in ("member-left", "unit-dissolved"):
            kind = "member" if name == "member-left" else "unit"
            await conn.execute(
                f'UPDATE "{s}".subjects SET left_on = $4 WHERE federation = $1 AND kind = $2 AND code = $3',
                fed,
                kind,
                data["code"],
                date.fromisoformat(data["effective_on"]),
            )
        elif name == "federation-merged":
            # The merged federation's histories stay under its code; the receiver reads them too.
            await conn.execute(
                f'INSERT INTO "{s}".federation_formers SELECT $2, $1 UNION SELECT $2, former '
                f'FROM "{s}".federation_formers WHERE federation = $1 ON CONFLICT DO NOTHING',
                fed,
                data["into"],
            )
        elif name == "unit-moved":
            # The moved unit's path prefix changes for it and everything under it.
            await conn.execute(
                f'UPDATE "{s}".subjects SET federation = $3, '
                "unit_path = $4::text[] || unit_path[array_position(unit_path, $2) + 1:] "
                "WHERE federation = $1 AND $2 = ANY(unit_path)",
                fed,
                data["code"],
                data.get("to_federation") or fed,
                data["ancestry"],
            )
        elif name in PLEDGE_STATES:
            # Versions order the transitions, so out-of-order delivery keeps the latest state.
            await conn.execute(
                f'INSERT INTO "{s}".pledges VALUES ($1, $2, $3, $4, $5, $6, $7, $8) '
                "ON CONFLICT (federation, movement, subject_kind, subject_code, award) DO UPDATE "
                "SET state = EXCLUDED.state, version = EXCLUDED.version "
                f'WHERE "{s}".pledges.version < EXCLUDED.version',
                fed,
                data["movement"],
                data["year"],
                data["award"],
                data["subject_kind"],
                data["subject_code"],
                PLEDGE_STATES[name],
                version,
            )
        elif name in INITIATIVE_STATES:
            await conn.execute(
                f'INSERT INTO "{s}".initiatives VALUES ($1, $2, $3, $4, $5, $6, $7) '
                "ON CONFLICT (federation, initiative) DO UPDATE "
                "SET state = EXCLUDED.state, version = EXCLUDED.version "
                f'WHERE "{s}".initiatives.version < EXCLUDED.version',
                fed,
                data["initiative"],
                data["author_kind"],
                data["author_code"],
                data["year"],
                INITIATIVE_STATES[name],
                version,
            )
        elif name in ("member-corrected", "unit-corrected"):
            # A compensating event: the subject's name as it should have been stored. Its rows
            # may sit under the federation it was registered in or one it was merged into.
            kind = name.removesuffix("-corrected")
            federations = list(dict.fromkeys(f for f in (fed, data.get("home")) if f))
            await conn.execute(
                f'UPDATE "{s}".subjects SET name = $4 WHERE kind = $2 AND code = $3 AND (federation = '
                f'ANY($1::text[]) OR federation IN (SELECT federation FROM "{s}".federation_formers '
                "WHERE former = ANY($1::text[])))",
                federations,
                kind,
                data["code"],
                data["full_name" if kind == "member" else "name"],
            )
            await self._resolve(conn, envelope, kind, data["code"], federations)
        elif name == "federation-corrected":
            await self._resolve(conn, envelope, "federation", fed, [fed])
        elif name == "block-leader-acclaimed":
            await conn.execute(
                f'INSERT INTO "{s}".acclaims VALUES ($1, $2, $3, $4) '
                "ON CONFLICT (federation, block, year) DO UPDATE SET units = EXCLUDED.units",
                fed,
                data["block"],
                data["year"],
                data["units"],
            )
        # Other registration events carry nothing awards decides on.

    async def _resolve(
        self, conn: asyncpg.Connection, envelope: dict[str, Any], kind: str, code: str, federations: list[str]
    ) -> None:
        """A correction resolves the open problems recorded for its subject (shared.tracking)."""
        args = resolve_args(str(envelope.get("subject", "")), kind, code, federations, str(envelope["id"]))
        await conn.execute(RESOLVE_SQL.format(s=self.schema), *args)
