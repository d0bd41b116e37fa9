"""Access's records as the commands, the reads and the token exchange find them: an aggregate by
id, a person by the id a caller sent, where an assignment's unit is placed on a day (its scope
follows the unit's moves) and an assignment as answered."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.registration.domain.access import Assignment, Person, scope_of
from shared.auth.principal import Principal
from shared.kernel.errors import FieldError, Forbidden, NotFound


def find(app: Any, cls: type[Aggregate], ident: UUID) -> Any:
    return app.find(cls, ident)


def person_of(app: Any, person_id: str, field: str = "person") -> Person:
    try:
        ident = UUID(person_id)
    except ValueError:
        ident = None
    found = find(app, Person, ident) if ident else None
    if found is None:
        raise NotFound(f"person '{person_id[:64]}' does not exist", [FieldError(field, "unknown person")])
    return found  # type: ignore[no-any-return]


def national_only(caller: Principal, federation: str | None) -> None:
    if federation is None and not caller.is_national:
        raise Forbidden("national access is managed and read with a national-scope token only")


def current_scope(app: Any, held: Assignment, day: date | None = None) -> str:
    """The assignment's scope on `day` (default today): a unit's path follows its moves; a unit
    gone from the tree keeps the path it had when granted (and no token is issued for it)."""
    if held.federation is None or held.unit is None:
        return held.scope
    placed = placement(app, held.federation, held.unit, day or app.today())
    return scope_of(held.federation, placed) if placed is not None else held.scope


def placement(app: Any, federation: str, unit: str, day: date) -> list[str] | None:
    try:
        found = app.tree.unit(federation, unit)
        while (new_code := found.recoded_by(day)) is not None:
            found = app.tree.unit(federation, new_code)  # the unit goes on under its new code
    except NotFound:
        return None
    placed = app.tree.placement(found, day)
    return placed[1] if placed is not None and placed[0] == federation else None


def view(held: Assignment, scope: str | None = None) -> dict[str, Any]:
    out = held.as_dict()
    if scope is not None:
        out["scope"] = scope
    out["unit_path"] = list(held.unit_path) if held.unit else None  # shared.web.scope_guard places it
    return out
