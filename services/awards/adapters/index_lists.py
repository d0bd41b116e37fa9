"""Pages of awards' lists of its own nominations, grants, councils and decisions, read from the
tables adapters/index.py fills, in the order each was created."""

from __future__ import annotations

import json
from typing import Any

import asyncpg

from services.awards.adapters.index_tables import COUNCIL_COLUMNS, GRANT_COLUMNS, NOMINATION_COLUMNS
from services.awards.adapters.list_order import Order, submitted_cursor
from shared.kernel import periods


class IndexLists:
    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.s = schema

    async def nominations(
        self,
        federation: str,
        filters: dict[str, Any],
        after: int,
        limit: int,
        within: tuple[str, ...] = (),
        stage: dict[str, Any] | None = None,
        total: bool = False,
        order: Order | None = None,
    ) -> dict[str, Any]:
        """`stage`: `outcome` (pending: no council resolved it; passed; failed), `on_open_council`
        (on a council still voting, or not), `granted` (a grant not revoked names it, or not).
        `total`: also how many match on every page, counted here. `order`: the sort and the
        cursor (list_order); the page then carries `next_cursor`."""
        return await self._list(
            "nomination_index",
            NOMINATION_COLUMNS,
            federation,
            filters,
            after,
            limit,
            within,
            self._stage(stage or {}),
            total,
            order or Order(None, None),
        )

    def _stage(self, stage: dict[str, Any]) -> list[str]:
        n = f'"{self.s}".nomination_index.nomination'
        out = []
        outcome = {"pending": "passed IS NULL", "passed": "passed IS TRUE", "failed": "passed IS FALSE"}
        if stage.get("outcome") is not None:
            out.append(outcome[stage["outcome"]])
        if stage.get("on_open_council") is not None:
            on = (
                f'EXISTS (SELECT 1 FROM "{self.s}".council_index c WHERE c.federation = $1 '
                f"AND NOT c.resolved AND {n}::text = ANY(c.nominations))"
            )
            out.append(on if stage["on_open_council"] else f"NOT {on}")
        if stage.get("granted") is not None:
            granted = (
                f'EXISTS (SELECT 1 FROM "{self.s}".grant_index g WHERE g.nomination = {n}::text '
                "AND g.federation = $1 AND g.revoked_on IS NULL AND g.cancelled_on IS NULL)"
            )
            out.append(granted if stage["granted"] else f"NOT {granted}")
        return out

    async def forwarded(self, filters: dict[str, Any], after: int, limit: int) -> dict[str, Any]:
        """Nominations forwarded upward from every federation (national staff's list), in the
        order they were submitted; `to` narrows to one level (national or state)."""
        where, args = ["forwarded_to IS NOT NULL", "since > $1"], [after]
        for column, value in filters.items():
            if value is not None:
                args.append(value)
                where.append(f"{column} = ${len(args)}")
        args.append(limit)
        rows = await self.pool.fetch(
            f'SELECT {NOMINATION_COLUMNS} FROM "{self.s}".nomination_index WHERE {" AND ".join(where)} '
            f"ORDER BY since LIMIT ${len(args)}",
            *args,
        )
        items = [{k: (str(v) if k == "nomination" else v) for k, v in r.items()} for r in rows]
        return paged(items, rows[-1]["since"] if len(rows) == limit else None)

    async def grants(
        self, federation: str, filters: dict[str, Any], after: int, limit: int, within: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        columns = f"{GRANT_COLUMNS}, cancelled_on"
        page = await self._list("grant_index", columns, federation, filters, after, limit, within)
        for item in page["items"]:  # a row listed before periods is for its calendar year
            item["period"] = periods.parse(item["period"] or item["year"]).as_dict()
        return page

    async def councils(
        self,
        federation: str,
        year: int | None,
        member: str | None,
        resolved: bool | None,
        after: int,
        limit: int,
    ) -> dict[str, Any]:
        """A page of councils in the order convened; `member`: only those the user sits on."""
        where, args = ["federation = $1", "since > $2"], [federation, after]
        if year is not None:
            args.append(year)
            where.append(f"year = ${len(args)}")
        if member is not None:
            args.append(json.dumps([{"user": member}]))
            where.append(f"members @> ${len(args)}::jsonb")
        if resolved is not None:
            args.append(resolved)
            where.append(f"resolved = ${len(args)}")
        args.append(limit)
        rows = await self.pool.fetch(
            f'SELECT {COUNCIL_COLUMNS}, resolved FROM "{self.s}".council_index WHERE {" AND ".join(where)} '
            f"ORDER BY since LIMIT ${len(args)}",
            *args,
        )
        items = [
            {**{k: v for k, v in r.items() if k not in ("council", "since")}, "id": str(r["council"]),
             "members": json.loads(r["members"])}
            for r in rows
        ]  # fmt: skip
        return paged(items, rows[-1]["since"] if len(rows) == limit else None)

    async def decisions(
        self, federation: str, year: int | None, after: int, limit: int, within: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """A page of decisions in the order issued (a cancelled one with `cancelled_on`), with how
        many grants each made and how many of them are revoked and how many cancelled; `within`:
        a unit path, only decisions (and grants) of that subtree."""
        where, args = ["d.federation = $1", "d.since > $2"], [federation, after]
        inside = ""
        if within:
            args.append(list(within))
            inside = f" AND g.unit_path[1:{len(within)}] = ${len(args)}::text[]"
        if year is not None:
            args.append(year)
            where.append(f"d.year = ${len(args)}")
        args.append(limit)
        counts = (
            "SELECT count(*) AS grants, count(g.revoked_on) AS revoked, count(g.cancelled_on) AS cancelled "
            f'FROM "{self.s}".grant_index g WHERE g.decision = d.decision{inside}'
        )
        rows = await self.pool.fetch(
            f"SELECT d.decision, d.since, d.authority, d.number, d.signed_on, d.signer, d.year, d.title, "
            "d.cancelled_on, c.grants, c.revoked, c.cancelled "
            f'FROM "{self.s}".decision_index d CROSS JOIN LATERAL ({counts}) c '
            f"WHERE {' AND '.join(where)}{' AND c.grants > 0' if within else ''} "
            f"ORDER BY d.since LIMIT ${len(args)}",
            *args,
        )
        items = [
            {**{k: v for k, v in r.items() if k not in ("decision", "since")}, "id": str(r["decision"])}
            for r in rows
        ]
        return paged(items, rows[-1]["since"] if len(rows) == limit else None)

    async def _list(
        self,
        table: str,
        columns: str,
        federation: str,
        filters: dict[str, Any],
        after: int,
        limit: int,
        within: tuple[str, ...],
        conditions: list[str] | None = None,
        total: bool = False,
        order: Order | None = None,
    ) -> dict[str, Any]:
        """A page in the order of creation (or `order`'s, from its cursor); `next_cursor` is the
        cursor of the next page (and, deprecated, `next_after` in the order created). `within`: a
        unit path; only subjects of that subtree. `conditions`: SQL of our own, without values of the caller's
        (they may use $1, the federation)."""
        where, args = ["federation = $1", "since > $2", *(conditions or [])], [federation, after]
        if within:
            args.append(list(within))
            where.append(f"unit_path[1:{len(within)}] = ${len(args)}::text[]")
        for column, value in filters.items():
            if value is not None:
                args.append(value)
                where.append(f"{column} = ${len(args)}")
        counted = len(args)  # the arguments of the filters, before the cursor's and the limit
        after_cursor = ""
        if order is not None and order.position is not None:
            args += list(order.position)
            after_cursor = f" AND {order.after(len(args) - 1, len(args))}"
        args.append(limit)
        rows = await self.pool.fetch(
            f"SELECT {columns}{f', {order.expr} AS sort_key' if order else ''} "
            f'FROM "{self.s}".{table} WHERE {" AND ".join(where)}{after_cursor} '
            f"ORDER BY {order.by if order else 'since'} LIMIT ${len(args)}",
            *args,
        )
        # uuids as strings; a grant without a nomination has null
        ids = ("nomination", "grant_id", "decision")
        items = [
            {k: (str(v) if k in ids and v is not None else v) for k, v in r.items() if k != "sort_key"}
            for r in rows
        ]
        full = len(rows) == limit
        page = paged(items, rows[-1]["since"] if full else None)
        if order is not None:
            page["next_cursor"] = order.cursor(rows[-1]["sort_key"], rows[-1]["since"]) if full else None
            if order.sort != "submitted":
                page["next_after"] = None  # `after` pages the order submitted only
        if total:  # every page's: the same conditions from the start (since > 0)
            count = f'SELECT count(*) FROM "{self.s}".{table} WHERE {" AND ".join(where)}'
            page["total"] = await self.pool.fetchval(count, federation, 0, *args[2:counted])
        return page


def paged(items: list[dict[str, Any]], last: int | None) -> dict[str, Any]:
    """A page: `next_cursor` for `cursor` (null on the last page) and, deprecated, `next_after`
    for `after` (docs/contract-changelog.md, 2026-12-06)."""
    return {"items": items, "next_cursor": submitted_cursor(last), "next_after": last}
