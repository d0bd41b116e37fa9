"""The orders awards' nominations list is sorted in (`sort=`), and its cursor: the sort key and
`since` of a page's last row, so the next page starts right after it (keyset paging) in any
order. Ties are broken by `since` (the order submitted), ascending."""

from __future__ import annotations

import base64
import json
from typing import Any, Literal

from shared.kernel.catalogue import DEFAULT_AWARDS
from shared.kernel.errors import Invalid
from shared.kernel.text import fold

# the catalogue's awards by their Vietnamese names (the console shows names, not codes)
_AWARD_CODES = ",".join(f"'{a.code}'" for a in sorted(DEFAULT_AWARDS, key=lambda a: (fold(a.name), a.name)))
ORDERS = {
    "submitted": "since",
    "subject": 'subject_name COLLATE "vi-x-icu"',
    "award": f"COALESCE(array_position(ARRAY[{_AWARD_CODES}]::text[], award), 1000)::bigint",
    "unit": "unit",
    "eligible": "eligible",
    # where it stands: waiting for a council, passed, failed, withdrawn
    "stage": "(CASE WHEN state = 'withdrawn' THEN 3 WHEN passed THEN 1 WHEN NOT passed THEN 2 ELSE 0 END)"
    "::bigint",
}
KINDS = {"submitted": int, "subject": str, "award": int, "unit": str, "eligible": bool, "stage": int}
Sort = Literal[
    "submitted", "subject", "award", "unit", "eligible", "stage",
    "-submitted", "-subject", "-award", "-unit", "-eligible", "-stage",
]  # fmt: skip
DESCRIPTION = (
    "the order: `submitted` (the default), `subject` (the name, Vietnamese order), `award` (its "
    "name), `unit`, `eligible` (not eligible first), `stage` (waiting for a council, passed, "
    "failed, withdrawn); `-` before it for descending. Ties in the order submitted. Page on with "
    "`cursor` = `next_cursor`"
)


class Order:
    """The SQL of one `sort=` and the keyset condition after a cursor of that sort."""

    def __init__(self, sort: str | None, cursor: str | None) -> None:
        self.sort = sort or "submitted"
        self.descending = self.sort.startswith("-")
        self.expr = ORDERS[self.sort.removeprefix("-")]
        self.position = _decode(cursor, self.sort) if cursor else None

    @property
    def by(self) -> str:
        return f"{self.expr} {'DESC' if self.descending else 'ASC'}, since ASC"

    def after(self, value: int, since: int) -> str:
        """Rows after (value at $`value`, since at $`since`) in this order."""
        if self.descending:
            return f"({self.expr} < ${value} OR ({self.expr} = ${value} AND since > ${since}))"
        return f"({self.expr}, since) > (${value}, ${since})"

    def cursor(self, value: Any, since: int) -> str:
        raw = json.dumps([self.sort, value, since]).encode()
        return base64.urlsafe_b64encode(raw).decode()


def submitted_cursor(since: int | None) -> str | None:
    """`next_cursor` of a list in the order created (decisions, grants, councils, forwarded): the
    cursor of the order `submitted` at that row, so every awards list pages by one `cursor`."""
    return None if since is None else Order("submitted", None).cursor(since, since)


def since_of(cursor: str) -> int:
    """The row a `submitted` cursor stands after; another list's or order's is a 422 naming
    `cursor`."""
    position = Order("submitted", cursor).position
    assert position is not None
    return int(position[1])


def _decode(cursor: str, sort: str) -> tuple[Any, int]:
    """A cursor this list handed out for this order; anything else is a 422 naming `cursor`."""
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode())) if len(cursor) <= 1024 else None
    except ValueError:
        value = None
    fits = (
        isinstance(value, list)
        and len(value) == 3
        and value[0] == sort
        and _fits(value[1], KINDS[sort.removeprefix("-")])
        and _fits(value[2], int)
    )
    if not fits or not isinstance(value, list):
        raise Invalid.on("cursor", "the cursor is not one this list handed out for this order")
    return value[1], value[2]


def _fits(value: Any, kind: type) -> bool:
    """A value of the order's kind that the database takes: a bigint, a text without NUL."""
    if kind is bool or isinstance(value, bool):
        return isinstance(value, bool) and kind is bool
    if kind is int:
        return isinstance(value, int) and 0 <= value < 2**63
    return isinstance(value, str) and "\x00" not in value
