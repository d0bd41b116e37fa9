"""Awards' own copy of what registration publishes about subjects (units and members, where
they sit, when they left), pledges, recognised initiatives, acclaimed block leaders and merged
federations: the facts awards' rules need from registration, read as `Outside` subjects.

Filled by the consumer from `*.registration.*` (each event's handler is in
adapters/registration_events.py); awards never reads registration's tables. Dates count: a
departure is kept with its date and a member counts until it (as of the date a check asks
about); a move dated in the future waits in `deferred` and is applied, in date order, by the
first read on or after its date."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

import asyncpg

from services.awards.adapters import registration_events
from services.awards.application.subjects import Outside, Subjects
from shared.kernel import clock
from shared.ops.gc_pause import collector_paused

# Its tables are created by awards' migrations (adapters/migrations).

# Registration's events that change where a subject sits, from their `effective_on`.
MOVES = ("member-transferred", "unit-moved")
# The subjects named by a read, as the two arrays of `unnest($2::text[], $3::text[])`.
IN_KEYS = "(SELECT * FROM unnest($2::text[], $3::text[]))"


class RegistrationFacts:
    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.schema = schema
        self.today: Callable[[], date] = clock.today

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

    # -- writes, from the consumer ---------------------------------------------------------

    async def handle(self, conn: asyncpg.Connection, envelope: dict[str, Any]) -> None:
        """One of registration's events: applied now, or kept until its date if a move is dated later."""
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
        await registration_events.apply(conn, self.schema, envelope)

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
                await registration_events.apply(conn, self.schema, json.loads(row["envelope"]))

    # -- reads, for the use cases ----------------------------------------------------------

    async def outsides(
        self, federation: str, keys: list[tuple[str, str]], as_of: date | None = None, members: bool = True
    ) -> Subjects:
        """What registration told awards about each subject; unknown subjects are left out.
        `as_of`: the day whose members count (a unit's, or a member's peers); today if None.
        `members=False`: each subject's `members` left empty (a query per unit spared), for a
        caller that never reads them."""
        await self.apply_due()
        as_of = as_of or self.today()
        s, kinds, codes = self.schema, [k for k, _ in keys], [c for _, c in keys]
        # Independent reads, each on a connection of its own, at once: the server answers one
        # while this process decodes another (each read was always its own snapshot).
        rows, pledges, initiatives, acclaimed, formerly = await asyncio.gather(
            self.pool.fetch(
                f'SELECT kind, code, name, unit, unit_path FROM "{s}".subjects WHERE federation = $1 '
                f"AND (kind, code) IN {IN_KEYS}",
                federation,
                kinds,
                codes,
            ),
            self._pledges(federation, kinds, codes),
            self._initiatives(federation, kinds, codes),
            self._acclaimed(federation),
            self._formerly(federation),
        )
        units = [r["code"] for r in rows if r["kind"] == "unit"]
        peers_of = [r["unit"] for r in rows if r["kind"] == "member"] if members else []
        former_codes, subtree, peers = await asyncio.gather(
            self._former_codes(federation, units),
            self._members(federation, units if members else [], "u.unit = ANY(m.unit_path)", as_of),
            self._members(federation, peers_of, "m.unit = u.unit", as_of),
        )
        out: Subjects = {}
        with collector_paused():  # no await within: thousands of subjects built, nothing to collect
            for r in rows:
                key = (r["kind"], r["code"])
                out[key] = Outside.of(
                    name=r["name"],
                    unit=r["unit"],
                    unit_path=list(r["unit_path"]),
                    pledges=frozenset(pledges[key]),
                    initiatives=initiatives[key],
                    acclaimed=frozenset(acclaimed[r["code"]]) if r["kind"] == "unit" else frozenset(),
                    members=subtree.get(r["code"], ()) if r["kind"] == "unit" else peers.get(r["unit"], ()),
                    formerly=formerly,
                    former_codes=former_codes.get(r["code"], ()) if r["kind"] == "unit" else (),
                )
        return out

    async def unit_names(self, federation: str, codes: list[str]) -> dict[str, str]:
        """Units' names as registration last published them (what papers print)."""
        rows = await self.pool.fetch(
            f'SELECT code, name FROM "{self.schema}".subjects WHERE federation = $1 AND kind = $2 '
            "AND code = ANY($3::text[])",
            federation,
            "unit",
            codes,
        )
        return {r["code"]: r["name"] for r in rows}

    async def _pledges(
        self, federation: str, kinds: list[str], codes: list[str]
    ) -> dict[tuple[str, str], set[tuple[str, int]]]:
        """Each subject's live pledges (submitted or accepted), as (award, year)."""
        pledges: dict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)
        for r in await self.pool.fetch(
            f'SELECT subject_kind, subject_code, award, year FROM "{self.schema}".pledges '
            "WHERE federation = $1 AND state IN ('submitted', 'accepted') "
            f"AND (subject_kind, subject_code) IN {IN_KEYS}",
            federation,
            kinds,
            codes,
        ):
            pledges[(r["subject_kind"], r["subject_code"])].add((r["award"], r["year"]))
        return pledges

    async def _initiatives(
        self, federation: str, kinds: list[str], codes: list[str]
    ) -> dict[tuple[str, str], dict[int, int]]:
        """How many of each subject's initiatives were recognised, by year."""
        initiatives: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
        for r in await self.pool.fetch(
            f'SELECT author_kind, author_code, year, count(*) AS n FROM "{self.schema}".initiatives '
            "WHERE federation = $1 AND state = 'recognised' AND (author_kind, author_code) IN "
            f"{IN_KEYS} GROUP BY 1, 2, 3",
            federation,
            kinds,
            codes,
        ):
            initiatives[(r["author_kind"], r["author_code"])][r["year"]] = r["n"]
        return initiatives

    async def _acclaimed(self, federation: str) -> dict[str, set[int]]:
        """The years each unit was acclaimed a block's leader."""
        acclaimed: dict[str, set[int]] = defaultdict(set)
        for r in await self.pool.fetch(
            f'SELECT year, unnest(units) AS unit FROM "{self.schema}".acclaims WHERE federation = $1',
            federation,
        ):
            acclaimed[r["unit"]].add(r["year"])
        return acclaimed

    async def _former_codes(self, federation: str, units: list[str]) -> dict[str, tuple[str, ...]]:
        """Each unit's earlier codes, oldest first (registration's `former_codes`)."""
        found: dict[str, list[str]] = defaultdict(list)
        for r in await self.pool.fetch(
            f'SELECT code, former FROM "{self.schema}".unit_formers WHERE federation = $1 '
            "AND code = ANY($2::text[]) ORDER BY code, position DESC",
            federation,
            units,
        ):
            found[r["code"]].append(r["former"])
        return {code: tuple(formers) for code, formers in found.items()}

    async def _formerly(self, federation: str) -> tuple[str, ...]:
        """The federations merged into this one."""
        rows = await self.pool.fetch(
            f'SELECT former FROM "{self.schema}".federation_formers WHERE federation = $1 ORDER BY 1',
            federation,
        )
        return tuple(r["former"] for r in rows)

    async def _members(
        self, federation: str, units: list[str], match: str, as_of: date
    ) -> dict[str, tuple[str, ...]]:
        """The members counting on `as_of` of each unit (`match`: a member `m` and a unit `u`),
        by code; one query for all the units. One tuple per unit: the subjects of a list share
        it (a copy each made a list quadratic in a unit's size)."""
        found: dict[str, list[str]] = {unit: [] for unit in units}
        if not found:
            return {}
        for r in await self.pool.fetch(
            f'SELECT u.unit, m.code FROM unnest($2::text[]) AS u(unit) JOIN "{self.schema}".subjects m '
            f"ON {match} WHERE m.federation = $1 AND m.kind = 'member' "
            "AND (m.left_on IS NULL OR m.left_on > $3) ORDER BY m.code",
            federation,
            list(found),
            as_of,
        ):
            found[r["unit"]].append(r["code"])
        return {unit: tuple(codes) for unit, codes in found.items()}
