"""The console's lists as tables: each list's columns once (heading, the value of a row as the page
shows it, how it sorts), so the page's header, its sort links and its .xlsx come from the same
description; the whole filtered list for a download, bounded; sorting with Vietnamese collation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from services.console.adapters.services import ServiceClient
from services.console.application.activities import INITIATIVE_STATES, WORK_STATES
from services.console.application.formatting import as_date, collation_key, date_vn
from services.console.application.labels import (
    COUNCIL_STATES,
    NOMINATION_STATES,
    PLEDGE_STATES,
    SUBJECT_KINDS,
    UNIT_KINDS,
    award_name,
    council_state,
    label,
    nomination_state,
)
from services.console.application.workbook import MAX_ROWS, Column

# The levels a nomination is forwarded up to (the national pages' filter).
UPWARD = {"national": "Tổng Liên đoàn", "state": "Nhà nước"}
NUMERIC = ("number", "money", "decimal", "percent")


@dataclass(frozen=True)
class Col(Column):
    """A column of a list page: `key` names it in `sort=`; sortable when `sortable`."""

    key: str = ""
    sortable: bool = False


def _get(name: str) -> Callable[[Any], Any]:
    def value(row: Any) -> Any:
        return row.get(name) if isinstance(row, dict) else getattr(row, name, None)

    return value


def _named(name: str, code: str) -> Callable[[Any], Any]:
    """A name with its code, as the page shows it: "Nguyễn Văn An (dv-a1)"."""

    def value(row: Any) -> str:
        shown = row.get(name) or row.get(code) or ""
        return f"{shown} ({row.get(code)})" if row.get(code) else str(shown)

    return value


def _state(table: dict[str, str], name: str = "state") -> Callable[[Any], str]:
    return lambda row: label(table, row.get(name))


SUBJECT = Col("Đối tượng", _named("subject_name", "subject_code"), key="doi-tuong", sortable=True)
KIND = Col("Loại", _state(SUBJECT_KINDS, "subject_kind"), key="loai", sortable=True)
AWARD = Col("Hình thức", lambda r: award_name(r.get("award")), key="hinh-thuc", sortable=True)
UNIT = Col("Đơn vị", _get("unit"), key="don-vi", sortable=True)

PLEDGES = (
    SUBJECT,
    KIND,
    AWARD,
    Col("Phong trào", _get("movement"), key="phong-trao", sortable=True),
    UNIT,
    Col("Ngày đăng ký", _get("pledged_on"), "date", key="ngay", sortable=True),
    Col("Trạng thái", _state(PLEDGE_STATES), key="trang-thai", sortable=True),
)
NOMINATIONS = (
    SUBJECT,
    AWARD,
    UNIT,
    Col(
        "Điều kiện",
        lambda r: "Đủ điều kiện" if r.get("eligible") else "Chưa đủ",
        key="dieu-kien",
        sortable=True,
    ),
    Col("Trạng thái", lambda r: NOMINATION_STATES[nomination_state(r)], key="trang-thai", sortable=True),
)
COUNCILS = (
    Col("Hội đồng", _named("name", "code"), key="ten", sortable=True),
    Col("Ngày họp", _get("meets_on"), "date", key="ngay", sortable=True),
    Col("Hình thức bỏ phiếu", lambda r: "Bỏ phiếu kín" if r.get("secret_ballot") else "Biểu quyết công khai"),
    Col("Số đề nghị", lambda r: len(r.get("nominations") or []), "number", key="so-de-nghi", sortable=True),
    Col("Trạng thái", lambda r: COUNCIL_STATES[council_state(r)], key="trang-thai", sortable=True),
)
DECISIONS = (
    Col("Số quyết định", _get("number"), key="so", sortable=True),
    Col("Ngày ký", _get("signed_on"), "date", key="ngay", sortable=True),
    Col("Người ký", _get("signer"), key="nguoi-ky", sortable=True),
    Col("Trích yếu", lambda r: r.get("title") or "—"),
    Col("Số khen thưởng", _get("grants"), "number"),
    Col("Đã thu hồi", _get("revoked"), "number"),
)
GRANTS = (
    Col(
        "Đối tượng",
        lambda r: (
            f"{r.get('subject_name')} "
            f"({label(SUBJECT_KINDS, r.get('subject_kind'))}, {r.get('subject_code')})"
        ),
        key="doi-tuong",
        sortable=True,
    ),
    AWARD,
    UNIT,
    Col(
        "Trạng thái",
        lambda r: f"Đã thu hồi ngày {date_vn(r['revoked_on'])}" if r.get("revoked_on") else "Còn hiệu lực",
    ),
)
INITIATIVES = (
    Col("Sáng kiến", _named("title", "code"), key="ten", sortable=True),
    Col(
        "Tác giả",
        lambda r: f"{label(SUBJECT_KINDS, r.get('author_kind'))} {r.get('author_code') or ''}".strip(),
    ),
    UNIT,
    Col("Giá trị làm lợi", _get("benefit_value"), "money", key="gia-tri", sortable=True),
    Col("Ngày đăng ký", _get("registered_on"), "date", key="ngay", sortable=True),
    Col("Trạng thái", _state(INITIATIVE_STATES), key="trang-thai", sortable=True),
)
WORKS = (
    Col("Công trình", _named("name", "code"), key="ten", sortable=True),
    UNIT,
    Col("Chào mừng", _get("occasion")),
    Col("Giá trị", _get("value"), "money", key="gia-tri", sortable=True),
    Col("Ngày đăng ký", _get("registered_on"), "date", key="ngay", sortable=True),
    Col("Trạng thái", _state(WORK_STATES), key="trang-thai", sortable=True),
)
MEMBERS = (
    Col("Họ và tên", _get("full_name"), key="ten", sortable=True),
    Col("Mã", _get("code"), key="ma", sortable=True),
    Col("Đơn vị", _get("unit"), key="don-vi", sortable=True),
)
UNITS = (
    Col("Đơn vị", _get("name"), key="ten", sortable=True),
    Col("Loại", _state(UNIT_KINDS, "kind"), key="loai", sortable=True),
    Col("Mã", _get("code"), key="ma", sortable=True),
)
FORWARDED = (
    Col("Liên đoàn", _get("federation_name"), key="lien-doan", sortable=True),
    SUBJECT,
    KIND,
    AWARD,
    UNIT,
    Col(
        "Hội đồng liên đoàn",
        lambda r: NOMINATION_STATES[nomination_state(r)],
        key="trang-thai",
        sortable=True,
    ),
    Col("Chuyển lên", _state(UPWARD, "forwarded_to")),
)
HELD = (
    Col("Hình thức khen thưởng", _get("award")),
    Col("Năm", _get("year"), "number"),
    Col(
        "Quyết định",
        lambda h: (
            (
                f"Số {h.decision_number}"
                + (f" ngày {h.decision_date}" if h.decision_date else "")
                + (f" ({h.authority})" if h.authority else "")
            )
            if h.decision_number
            else "Không ghi số"
        ),
    ),
    Col("Người ký", lambda h: h.signer or "–"),
    Col(
        "Người ghi nhận vào hệ thống",
        lambda h: h.recorded_by + (f" lúc {h.recorded_at}" if h.recorded_at else ""),
    ),
)
HISTORY = (
    Col("Thời điểm ghi nhận", _get("when")),
    Col(
        "Việc",
        lambda line: (
            line.what + (f"\n{line.award}" + (f" năm {line.year}" if line.year else "") if line.award else "")
        ),
    ),
    Col("Chi tiết", lambda line: "\n".join(f"{k}: {v}" for k, v in line.facts)),
    Col("Lý do", lambda line: line.reason or "–"),
    Col("Người ghi nhận", _get("recorded_by")),
)


# ---------------------------------------------------------------------------------------------
# sorting


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


def download_link(path: str, params: dict[str, Any], sort: str | None) -> str:
    """The .xlsx of the list as the page shows it: the same filters and order."""
    kept = {k: v for k, v in params.items() if v not in (None, "") and k not in ("sort", "cursor", "after")}
    if sort:
        kept["sort"] = sort
    return f"{path}.xlsx" + (f"?{urlencode(kept)}" if kept else "")


# ---------------------------------------------------------------------------------------------
# the whole filtered list


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


def table_view(columns: Sequence[Col], path: str, params: dict[str, Any], sort: str | None) -> dict[str, Any]:
    """What a list page's template needs beside its rows: the header (`heads`), the .xlsx link
    (`download`) and the order in force (`sort`)."""
    order = clean_sort(columns, sort)
    return {
        "heads": heads(columns, path, params, order),
        "download": download_link(path, params, order),
        "sort": order,
    }


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
