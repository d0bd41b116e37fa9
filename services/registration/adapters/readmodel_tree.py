"""The organisation tree in registration's read model: federations, and units as spans of dates
(see readmodel.py). Tree changes are rare and order-sensitive, so they are applied one at a time;
a move, merge or dissolution closes the open spans of the whole subtree and reopens them."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.contracts import event_id
from shared.tracking import RESOLVE_SQL, resolve_args


class TreeSpans:
    def __init__(self, s: str) -> None:
        self.s = s

    def handlers(self) -> dict[str, Any]:
        return {
            "Federation.Created": self._federation_created,
            "Federation.Merged": self._federation_merged,
            "Federation.Corrected": self._federation_corrected,
            "Unit.Registered": self._unit_registered,
            "Unit.Moved": self._unit_moved,
            "Unit.Merged": self._unit_merged,
            "Unit.Dissolved": self._unit_dissolved,
            "Unit.Corrected": self._unit_corrected,
        }

    # -- federations -----------------------------------------------------------------------

    async def _federation_created(self, conn: Any, e: Any, seq: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.s}.rm_federations (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            e.federation,
            e.name,
        )

    async def _federation_merged(self, conn: Any, e: Any, seq: int) -> None:
        await conn.execute(
            f"UPDATE {self.s}.rm_federations SET merged_into = $2, merged_on = $3 WHERE code = $1",
            e.federation,
            e.into,
            e.effective_on,
        )

    async def _federation_corrected(self, conn: Any, e: Any, seq: int) -> None:
        await conn.execute(
            f"UPDATE {self.s}.rm_federations SET name = $2 WHERE code = $1", e.federation, e.name
        )
        await resolve(conn, self.s, e, "federation", e.federation, [e.federation])

    # -- units -----------------------------------------------------------------------------

    async def _unit_registered(self, conn: Any, e: Any, seq: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.s}.rm_units (federation, code, name, kind, parent, path, valid_from) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            e.federation,
            e.code,
            e.name,
            e.kind,
            e.parent,
            e.ancestry,
            e.effective_on or date.min,
        )

    async def _reopen_subtree(
        self,
        conn: Any,
        federation: str,
        prefix: list[str],
        on: date,
        to_federation: str,
        new_prefix: list[str],
    ) -> None:
        """Close the open spans of the subtree under `prefix` on `on` and reopen them under `new_prefix`."""
        n = len(prefix)
        rows = await conn.fetch(
            f"UPDATE {self.s}.rm_units SET valid_to = $3 WHERE federation = $1 AND valid_to IS NULL "
            "AND path[1:$4] = $2::text[] AND array_length(path, 1) > $4 "
            "RETURNING code, name, kind, parent, path",
            federation,
            prefix,
            on,
            n,
        )
        await conn.executemany(
            f"INSERT INTO {self.s}.rm_units (federation, code, name, kind, parent, path, valid_from) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [
                (
                    to_federation,
                    r["code"],
                    r["name"],
                    r["kind"],
                    new_prefix[-1] if len(r["path"]) == n + 1 and new_prefix else r["parent"],
                    [*new_prefix, *r["path"][n:]],
                    on,
                )
                for r in rows
            ],
        )

    async def _close(self, conn: Any, federation: str, code: str, on: date) -> list[str] | None:
        path = await conn.fetchval(
            f"UPDATE {self.s}.rm_units SET valid_to = $3 WHERE federation = $1 AND code = $2 "
            "AND valid_to IS NULL RETURNING path",
            federation,
            code,
            on,
        )
        return list(path) if path is not None else None

    async def _unit_moved(self, conn: Any, e: Any, seq: int) -> None:
        row = await conn.fetchrow(
            f"SELECT name, kind FROM {self.s}.rm_units "
            "WHERE federation = $1 AND code = $2 AND valid_to IS NULL",
            e.federation,
            e.code,
        )
        old = await self._close(conn, e.federation, e.code, e.effective_on)
        if row is None or old is None:
            raise RuntimeError(f"unit-moved for '{e.code}', which the read model does not hold")
        await conn.execute(
            f"INSERT INTO {self.s}.rm_units (federation, code, name, kind, parent, path, valid_from) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            e.to_federation,
            e.code,
            row["name"],
            row["kind"],
            e.to_parent,
            e.ancestry,
            e.effective_on or date.min,
        )
        await self._reopen_subtree(conn, e.federation, old, e.effective_on, e.to_federation, list(e.ancestry))

    async def _unit_merged(self, conn: Any, e: Any, seq: int) -> None:
        old = await self._close(conn, e.federation, e.code, e.effective_on)
        into = await conn.fetchval(
            f"SELECT path FROM {self.s}.rm_units WHERE federation = $1 AND code = $2 AND valid_to IS NULL",
            e.federation,
            e.into,
        )
        if old is None or into is None:
            raise RuntimeError(f"unit-merged for '{e.code}', which the read model does not hold")
        await self._reopen_subtree(conn, e.federation, old, e.effective_on, e.federation, list(into))
        await self._transfer_all(conn, e.federation, e.code, e.effective_on, e.into)

    async def _unit_dissolved(self, conn: Any, e: Any, seq: int) -> None:
        old = await self._close(conn, e.federation, e.code, e.effective_on)
        if old is None:
            raise RuntimeError(f"unit-dissolved for '{e.code}', which the read model does not hold")
        codes = await conn.fetch(
            f"UPDATE {self.s}.rm_units SET valid_to = $3 WHERE federation = $1 AND valid_to IS NULL "
            "AND path[1:$4] = $2::text[] RETURNING code",
            e.federation,
            old,
            e.effective_on,
            len(old),
        )
        for code in [e.code, *(r["code"] for r in codes)]:
            await self._transfer_all(conn, e.federation, code, e.effective_on, None)

    async def _unit_corrected(self, conn: Any, e: Any, seq: int) -> None:
        """The name in every span of the unit (in whichever federation it sat), its pledges'."""
        homes = [e.home, *await self.homes(conn, e.federation)]
        await conn.execute(
            f"UPDATE {self.s}.rm_units SET name = $3 WHERE code = $2 AND federation = ANY($1::text[])",
            homes,
            e.code,
            e.name,
        )
        await conn.execute(
            f"UPDATE {self.s}.rm_pledges SET subject_name = $3 WHERE federation = ANY($1::text[]) "
            "AND subject_kind = 'unit' AND subject_code = $2",
            homes,
            e.code,
            e.name,
        )
        await resolve(conn, self.s, e, "unit", e.code, homes)

    async def _transfer_all(self, conn: Any, federation: str, unit: str, on: date, into: str | None) -> None:
        """The members of a merged unit move to its successor; those of a dissolved one leave."""
        homes = await self.homes(conn, federation)
        rows = await conn.fetch(
            f"UPDATE {self.s}.rm_members SET valid_to = $3 WHERE unit = $1 AND home = ANY($2::text[]) "
            "AND valid_to IS NULL RETURNING home, code, full_name, folded",
            unit,
            homes,
            on,
        )
        if into is not None:
            await conn.executemany(
                f"INSERT INTO {self.s}.rm_members (home, code, full_name, folded, unit, valid_from) "
                "VALUES ($1, $2, $3, $4, $5, $6)",
                [(r["home"], r["code"], r["full_name"], r["folded"], into, on) for r in rows],
            )

    async def homes(self, conn: Any, federation: str) -> list[str]:
        rows = await conn.fetch(
            f"SELECT code FROM {self.s}.rm_federations WHERE merged_into = $1", federation
        )
        return [federation, *(r["code"] for r in rows)]


async def resolve(conn: Any, s: str, e: Any, kind: str, code: str, federations: list[str]) -> None:
    """A correction event `e` resolves the open problems of its aggregate and its subject."""
    by = str(event_id(e.originator_id, e.originator_version))
    await conn.execute(
        RESOLVE_SQL.format(s=s.strip('"')), *resolve_args(str(e.originator_id), kind, code, federations, by)
    )
