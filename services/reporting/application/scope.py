"""Which facts a report covers (`Scope`: a federation or the nation, optionally one unit's
subtree, as the organisation tree stood on the report's date), how a request's scope is
resolved, where a member or unit is placed, and the answers for what the tree did not hold."""

from __future__ import annotations

from datetime import date

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries import scope as q
from services.reporting.domain.scope import Scope
from shared.kernel.errors import NotFound

__all__ = ["Scope", "scope_for", "subject_placement", "unknown_subject", "unknown_unit"]


def unknown_unit(federation: str | None, unit: str, as_of: date) -> NotFound:
    """The answer for a unit the tree did not hold, and for one outside the caller's subtree (I5)."""
    return NotFound(f"unit '{unit}' did not exist in '{federation}' on {as_of}")


def unknown_subject(federation: str, kind: str, code: str) -> NotFound:
    """The answer for a member or unit the federation never had, and for one outside the caller's
    subtree (I5)."""
    return NotFound(f"{kind} '{code}' does not exist in '{federation}'")


async def scope_for(reads: Reads, federation: str | None, unit: str | None, as_of: date) -> Scope:
    if unit is None:
        return Scope(federation, None, as_of)
    ancestry = await q.unit_ancestry(reads, federation, unit, as_of)
    if ancestry is None:
        raise unknown_unit(federation, unit, as_of)
    return Scope(federation, unit, as_of, tuple(ancestry))


async def subject_placement(
    reads: Reads, federation: str, kind: str, code: str, on: date
) -> tuple[str | None, list[str]] | None:
    """(unit, its path) of a member or unit on `on`; None if the federation (or one merged into
    it) never had it. A subject known only from its facts (a pledge, a grant) is placed by the
    unit of its latest one; one with no unit in them, by an empty path."""
    if kind == "unit":
        paths = await q.unit_paths(reads, federation, {code}, on)
        if code in paths:
            return code, paths[code]
    else:
        placed = await _member_placement(reads, federation, code, on)
        if placed is not None:
            return placed
    rows = await q.latest_fact_unit(reads, federation, kind, code, on)
    if not rows:
        return None
    unit = rows[0]["unit"]
    paths = await q.unit_paths(reads, federation, {unit} if unit else set(), on)
    return unit, paths.get(unit, []) if unit else []


async def _member_placement(
    reads: Reads, federation: str, code: str, on: date
) -> tuple[str, list[str]] | None:
    row = await q.member_unit(reads, federation, code, on)
    if row is None:
        return None
    paths = await q.unit_paths(reads, federation, {row["unit"]}, on)
    return row["unit"], paths.get(row["unit"]) or list(row["unit_path"] or [row["unit"]])
