"""A list's rows fetched from its service: the whole filtered list for a download (bounded), and
a page as a list page shows it — in the service's order, or sorted whole by a column when the
list is not too long."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.console.adapters.services import ServiceClient
from services.console.application.list_columns import Col
from services.console.application.list_sorting import sorted_rows
from services.console.application.workbook import MAX_ROWS


async def every_row(
    client: ServiceClient,
    path: str,
    token: str,
    params: dict[str, Any],
    *,
    cursor: str = "cursor",
    next_key: str = "next_cursor",
    limit: int = 500,
) -> tuple[list[dict[str, Any]], bool]:
    """Every row of a paged list with its filters, at most MAX_ROWS; and whether it was cut."""
    rows: list[dict[str, Any]] = []
    position: Any = None
    while True:
        page = await client.get(
            path, token, **params, limit=limit, **({cursor: position} if position else {})
        )
        rows.extend(page.get("items", []))
        position = page.get(next_key)
        if len(rows) > MAX_ROWS:
            return rows[:MAX_ROWS], True
        if not position:
            return rows, False


# A list sorted by a column is sorted whole (not only the page shown) when it has at most this
# many rows; a longer one is sorted a page at a time and the page says so.
SORT_LIMIT = 5_000
SORTED_CURSOR = "xep:"  # never a registration cursor (those are base64url)


async def sorted_page(
    client: ServiceClient,
    path: str,
    token: str,
    params: dict[str, Any],
    columns: Sequence[Col],
    sort: str,
    cursor: str | None,
    size: int,
) -> dict[str, Any] | None:
    """One page of the whole filtered list in the order `sort` asks (registration's lists:
    `cursor`/`next_cursor`); the page's cursor is the position in the sorted list ("xep:50").
    None when the list is longer than SORT_LIMIT: the caller pages as usual and sorts the page."""
    rows: list[dict[str, Any]] = []
    position: Any = None
    while True:
        page = await client.get(
            path, token, **params, limit=500, **({"cursor": position} if position else {})
        )
        rows.extend(page.get("items", []))
        position = page.get("next_cursor")
        if len(rows) > SORT_LIMIT:
            return None
        if not position:
            break
    start = 0
    offset = (cursor or "").removeprefix(SORTED_CURSOR)
    if cursor and cursor.startswith(SORTED_CURSOR) and offset.isdigit():
        start = int(offset)
    ordered = sorted_rows(rows, columns, sort)
    end = start + size
    return {
        "items": ordered[start:end],
        "next_cursor": f"{SORTED_CURSOR}{end}" if end < len(ordered) else None,
        "sorted_whole": True,
    }


async def page_of(
    client: ServiceClient,
    path: str,
    token: str,
    params: dict[str, Any],
    columns: Sequence[Col],
    sort: str | None,
    cursor: str | None,
    size: int,
) -> dict[str, Any]:
    """A page of a registration list as a list page shows it: in the service's order, or sorted
    by a column — the whole list when it is not too long, else this page only (`sorted_whole`
    False, which the page says)."""
    if sort:
        whole = await sorted_page(client, path, token, params, columns, sort, cursor, size)
        if whole is not None:
            return whole
    if cursor and cursor.startswith(SORTED_CURSOR):
        cursor = None
    page: dict[str, Any] = await client.get(
        path, token, **params, limit=size, **({"cursor": cursor} if cursor else {})
    )
    page["items"] = sorted_rows(page.get("items", []), columns, sort)
    page["sorted_whole"] = not sort
    return page
