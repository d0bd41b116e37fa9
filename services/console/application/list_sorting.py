"""A list page sorted by a column, with Vietnamese collation: the order `sort=` names, the header
whose columns link to their own order, and the .xlsx link that keeps the filters and order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from services.console.application.formatting import as_date, collation_key
from services.console.application.list_columns import Col
from services.console.application.workbook import Column

NUMERIC = ("number", "money", "decimal", "percent")


def sort_key(column: Column) -> Callable[[Any], Any]:
    """How a column orders rows: dates as dates, numbers as numbers, words by Vietnamese
    collation; an empty cell last."""

    def key(row: Any) -> Any:
        value = column.value(row)
        if value is None or value == "":
            return (1, ())
        if column.kind == "date":
            day = as_date(value)
            return (0, (day.toordinal(),)) if day else (1, ())
        if column.kind in NUMERIC:
            try:
                return (0, (float(value),))
            except (TypeError, ValueError):
                return (1, ())
        return (0, collation_key(str(value)))

    return key


def column_for(columns: Sequence[Col], sort: str | None) -> tuple[Col | None, bool]:
    """The column `sort=` names ("ten", or "-ten" for descending) and whether descending."""
    if not sort:
        return None, False
    descending = sort.startswith("-")
    name = sort.removeprefix("-")
    for column in columns:
        if column.sortable and column.key == name:
            return column, descending
    return None, False


def sorted_rows(rows: list[Any], columns: Sequence[Col], sort: str | None) -> list[Any]:
    column, descending = column_for(columns, sort)
    if column is None:
        return rows
    key = sort_key(column)
    present = [r for r in rows if key(r)[0] == 0]
    empty = [r for r in rows if key(r)[0] != 0]
    return sorted(present, key=key, reverse=descending) + empty


def clean_sort(columns: Sequence[Col], sort: str | None) -> str | None:
    """`sort=` as given when it names a sortable column, else None (the list's own order)."""
    column, descending = column_for(columns, sort)
    return None if column is None else ("-" if descending else "") + column.key


@dataclass(frozen=True)
class Head:
    """One header cell: its heading, the link that sorts by it (None: not sortable), and the
    current order for aria-sort."""

    heading: str
    href: str | None
    order: str  # "ascending" | "descending" | ""
    numeric: bool


def heads(columns: Sequence[Col], path: str, params: dict[str, Any], sort: str | None) -> list[Head]:
    """The header of a list page: a sortable column links to the same list sorted by it
    (ascending; descending when it is already ascending), the filters kept, paging from the
    start."""
    current, descending = column_for(columns, sort)
    kept = {k: v for k, v in params.items() if v not in (None, "") and k not in ("sort", "cursor", "after")}
    out = []
    for column in columns:
        href = None
        order = ""
        if column.sortable and column.key:
            is_current = current is not None and current.key == column.key
            next_sort = f"-{column.key}" if is_current and not descending else column.key
            href = f"{path}?{urlencode({**kept, 'sort': next_sort})}"
            if is_current:
                order = "descending" if descending else "ascending"
        out.append(Head(column.heading, href, order, column.kind in NUMERIC))
    return out


def list_query(params: dict[str, Any], sort: str | None) -> str:
    """A list page's filters and order as a URL's query, each value percent-encoded (a filter
    with `&`, `#` or Vietnamese letters comes back as typed); the pager adds its cursor."""
    kept = {k: v for k, v in params.items() if v not in (None, "") and k not in ("sort", "cursor", "after")}
    if sort:
        kept["sort"] = sort
    return urlencode(kept)


def download_link(path: str, params: dict[str, Any], sort: str | None) -> str:
    """The .xlsx of the list as the page shows it: the same filters and order."""
    kept = {k: v for k, v in params.items() if v not in (None, "") and k not in ("sort", "cursor", "after")}
    if sort:
        kept["sort"] = sort
    return f"{path}.xlsx" + (f"?{urlencode(kept)}" if kept else "")


def table_view(columns: Sequence[Col], path: str, params: dict[str, Any], sort: str | None) -> dict[str, Any]:
    """What a list page's template needs beside its rows: the header (`heads`), the .xlsx link
    (`download`) and the order in force (`sort`)."""
    order = clean_sort(columns, sort)
    return {
        "heads": heads(columns, path, params, order),
        "download": download_link(path, params, order),
        "sort": order,
    }
