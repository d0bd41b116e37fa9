"""How each of registration's events changes awards' copy of registration's facts
(adapters/registration_facts.py): a table from the event's name to a small handler. Events not
in the table carry nothing awards decides on. Versions order a pledge's or an initiative's
transitions, so out-of-order delivery keeps the latest state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from shared.messaging.problems import RESOLVE_SQL, resolve_args

PLEDGE_STATES = {
    "pledge-registered": "submitted",
    "pledge-accepted": "accepted",
    "pledge-returned": "returned",
    "pledge-resubmitted": "submitted",
    "pledge-withdrawn": "withdrawn",
}

INITIATIVE_STATES = {
    "initiative-registered": "registered",
    "initiative-recognised": "recognised",
    "initiative-rejected": "rejected",
}


@dataclass(frozen=True)
class Published:
    """One of registration's events as a handler reads it; `s` is awards' schema."""

    s: str
    name: str
    envelope: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        return self.envelope["data"]  # type: ignore[no-any-return]

    @property
    def version(self) -> int:
        return int(self.envelope.get("version") or 0)

    @property
    def federation(self) -> Any:
        return self.data.get("federation")


Handler = Callable[[asyncpg.Connection, Published], Awaitable[None]]


async def apply(conn: asyncpg.Connection, schema: str, envelope: dict[str, Any]) -> None:
    name = envelope["type"].split(".")[2]
    handler = HANDLERS.get(name)
    if handler is not None:
        await handler(conn, Published(schema, name, envelope))


def _known_path(s: str, unit: str, then: str = "") -> str:
    """SQL: the path awards knows for the unit `unit` (a parameter) of the event's federation ($1),
    `then` appended; no row if it knows none. A subject registered or transferred under a unit
    whose move was applied first (replicas apply events in no fixed order) sits where that unit
    is now: its path continues that one."""
    return (
        f'SELECT u.unit_path{then} FROM "{s}".subjects u '
        f"WHERE u.federation = $1 AND u.kind = 'unit' AND u.code = {unit}"
    )


async def unit_registered(conn: asyncpg.Connection, e: Published) -> None:
    ancestry = e.data["ancestry"]
    await conn.execute(
        f"INSERT INTO \"{e.s}\".subjects SELECT $1, 'unit', $2, $3, $2, "
        f"COALESCE(({_known_path(e.s, '$6', ' || $2::text')}), $4::text[]), NULL, $5 "
        "ON CONFLICT DO NOTHING",
        e.federation,
        e.data["code"],
        e.data["name"],
        ancestry,
        e.version,
        ancestry[-2] if len(ancestry) > 1 else None,
    )
    formers = e.data.get("former_codes") or []
    await conn.executemany(
        f'INSERT INTO "{e.s}".unit_formers VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [(e.federation, e.data["code"], former, i) for i, former in enumerate(formers)],
    )


async def member_registered(conn: asyncpg.Connection, e: Published) -> None:
    await conn.execute(
        f"INSERT INTO \"{e.s}\".subjects SELECT $1, 'member', $2, $3, $4, "
        f"COALESCE(({_known_path(e.s, '$4')}), $5::text[]), NULL, $6 ON CONFLICT DO NOTHING",
        e.federation,
        e.data["code"],
        e.data["full_name"],
        e.data["unit"],
        e.data["unit_path"],
        e.version,
    )


async def member_transferred(conn: asyncpg.Connection, e: Published) -> None:
    """Kept with the member's version; applied before the member's registration (another replica
    took that one), it stands for the member and the registration then changes nothing."""
    await conn.execute(
        f"INSERT INTO \"{e.s}\".subjects AS m SELECT $1, 'member', $2, $6, $3, "
        f"COALESCE(({_known_path(e.s, '$3')}), $4::text[]), NULL, $5 ON CONFLICT (federation, kind, code) "
        "DO UPDATE SET unit = EXCLUDED.unit, unit_path = EXCLUDED.unit_path, version = EXCLUDED.version "
        "WHERE m.version < EXCLUDED.version",
        e.federation,
        e.data["code"],
        e.data["unit"],
        e.data["unit_path"],
        e.version,
        e.data.get("full_name") or e.data["code"],
    )


async def subject_left(conn: asyncpg.Connection, e: Published) -> None:
    """`member-left`, `unit-dissolved`, `unit-recoded` (the old code ends; the unit goes on under
    its new one): kept with the date, counted until it."""
    kind = "member" if e.name == "member-left" else "unit"
    await conn.execute(
        f'UPDATE "{e.s}".subjects SET left_on = $4 WHERE federation = $1 AND kind = $2 AND code = $3',
        e.federation,
        kind,
        e.data["code"],
        date.fromisoformat(e.data["effective_on"]),
    )


async def federation_merged(conn: asyncpg.Connection, e: Published) -> None:
    """The merged federation's histories stay under its code; the receiver reads them too."""
    await conn.execute(
        f'INSERT INTO "{e.s}".federation_formers SELECT $2, $1 UNION SELECT $2, former '
        f'FROM "{e.s}".federation_formers WHERE federation = $1 ON CONFLICT DO NOTHING',
        e.federation,
        e.data["into"],
    )


async def unit_moved(conn: asyncpg.Connection, e: Published) -> None:
    """The moved unit's path prefix changes for it and everything under it. The unit's own row
    keeps the version of the latest of its moves applied: an older move, applied after a newer
    one by another replica, changes nothing."""
    to_federation = e.data.get("to_federation") or e.federation
    newer = await conn.fetchval(
        f"SELECT 1 FROM \"{e.s}\".subjects WHERE kind = 'unit' AND code = $2 "
        "AND federation = ANY($1::text[]) AND version >= $3 LIMIT 1",
        [e.federation, to_federation],
        e.data["code"],
        e.version,
    )
    if newer is not None:
        return
    await conn.execute(
        f'UPDATE "{e.s}".subjects SET federation = $3, '
        "unit_path = $4::text[] || unit_path[array_position(unit_path, $2) + 1:], "
        "version = CASE WHEN kind = 'unit' AND code = $2 THEN $5 ELSE version END "
        "WHERE federation = $1 AND $2 = ANY(unit_path)",
        e.federation,
        e.data["code"],
        to_federation,
        e.data["ancestry"],
        e.version,
    )


async def pledge_state(conn: asyncpg.Connection, e: Published) -> None:
    if e.data.get("award") is None:  # a participation pledge: no award for awards to decide on
        return
    await conn.execute(
        f'INSERT INTO "{e.s}".pledges VALUES ($1, $2, $3, $4, $5, $6, $7, $8) '
        "ON CONFLICT (federation, movement, subject_kind, subject_code, award) DO UPDATE "
        "SET state = EXCLUDED.state, version = EXCLUDED.version "
        f'WHERE "{e.s}".pledges.version < EXCLUDED.version',
        e.federation,
        e.data["movement"],
        e.data["year"],
        e.data["award"],
        e.data["subject_kind"],
        e.data["subject_code"],
        PLEDGE_STATES[e.name],
        e.version,
    )


async def initiative_state(conn: asyncpg.Connection, e: Published) -> None:
    await conn.execute(
        f'INSERT INTO "{e.s}".initiatives VALUES ($1, $2, $3, $4, $5, $6, $7) '
        "ON CONFLICT (federation, initiative) DO UPDATE "
        "SET state = EXCLUDED.state, version = EXCLUDED.version "
        f'WHERE "{e.s}".initiatives.version < EXCLUDED.version',
        e.federation,
        e.data["initiative"],
        e.data["author_kind"],
        e.data["author_code"],
        e.data["year"],
        INITIATIVE_STATES[e.name],
        e.version,
    )


async def subject_corrected(conn: asyncpg.Connection, e: Published) -> None:
    """A compensating event: the subject's name as it should have been stored. Its rows may sit
    under the federation it was registered in or one it was merged into."""
    kind = e.name.removesuffix("-corrected")
    federations = list(dict.fromkeys(f for f in (e.federation, e.data.get("home")) if f))
    await conn.execute(
        f'UPDATE "{e.s}".subjects SET name = $4 WHERE kind = $2 AND code = $3 AND (federation = '
        f'ANY($1::text[]) OR federation IN (SELECT federation FROM "{e.s}".federation_formers '
        "WHERE former = ANY($1::text[])))",
        federations,
        kind,
        e.data["code"],
        e.data["full_name" if kind == "member" else "name"],
    )
    await _resolve(conn, e, kind, e.data["code"], federations)


async def federation_corrected(conn: asyncpg.Connection, e: Published) -> None:
    await _resolve(conn, e, "federation", e.federation, [e.federation])


async def block_leader_acclaimed(conn: asyncpg.Connection, e: Published) -> None:
    """Needs no version: registration acclaims a covenant's leader once (a second is refused),
    so two events for one row are the same event delivered twice."""
    await conn.execute(
        f'INSERT INTO "{e.s}".acclaims VALUES ($1, $2, $3, $4) '
        "ON CONFLICT (federation, block, year) DO UPDATE SET units = EXCLUDED.units",
        e.federation,
        e.data["block"],
        e.data["year"],
        e.data["units"],
    )


async def _resolve(
    conn: asyncpg.Connection, e: Published, kind: str, code: str, federations: list[str]
) -> None:
    """A correction resolves the open problems recorded for its subject (shared.messaging.problems)."""
    args = resolve_args(str(e.envelope.get("subject", "")), kind, code, federations, str(e.envelope["id"]))
    await conn.execute(RESOLVE_SQL.format(s=e.s), *args)


HANDLERS: dict[str, Handler] = {
    "unit-registered": unit_registered,
    "member-registered": member_registered,
    "member-transferred": member_transferred,
    "member-left": subject_left,
    "unit-dissolved": subject_left,
    "unit-recoded": subject_left,
    "federation-merged": federation_merged,
    "unit-moved": unit_moved,
    **dict.fromkeys(PLEDGE_STATES, pledge_state),
    **dict.fromkeys(INITIATIVE_STATES, initiative_state),
    "member-corrected": subject_corrected,
    "unit-corrected": subject_corrected,
    "federation-corrected": federation_corrected,
    "block-leader-acclaimed": block_leader_acclaimed,
}
