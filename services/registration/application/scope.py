"""The caller's subtree (I5, docs/guarantees.md): what lies outside it is refused as if it did
not exist, with the same answer as a unit or member that does not."""

from __future__ import annotations

from typing import Any

from shared.auth.permissions import scope_covers
from shared.kernel.errors import FieldError, Forbidden, NotFound


def unknown_unit(federation: str, code: str, field: str = "unit") -> NotFound:
    """The answer for a unit that does not exist, and for one outside the caller's subtree (I5)."""
    return NotFound(
        f"unit '{code}' does not exist in federation '{federation}'",
        [FieldError(field, f"unknown unit '{code}'")],
    )


def unknown_member(federation: str, code: str, field: str = "member") -> NotFound:
    """The answer for a member that does not exist, and for one outside the caller's subtree."""
    return NotFound(
        f"member '{code}' does not exist in federation '{federation}'",
        [FieldError(field, f"unknown member '{code}'")],
    )


def require_subtree(
    ctx: Any,
    federation: str,
    path: list[str] | tuple[str, ...],
    field: str,
    missing: NotFound | None = None,
) -> None:
    """Refuse an act on something placed at `path` outside the caller's subtree as if it did
    not exist (I5), the units above the caller's own too: `missing` is the error its look-up
    gives when it does not exist; without it, `path` names a unit, refused as an unknown unit.
    An act of the federation itself (an empty `path`) hides nothing: that is a 403."""
    if scope_covers(ctx.scope, federation, tuple(path)):
        return
    if missing is not None:
        raise missing
    if path:
        raise unknown_unit(federation, path[-1], field)
    raise Forbidden(
        f"'{field}' is outside the subtree your token may act in",
        [FieldError(field, "outside your scope")],
    )
