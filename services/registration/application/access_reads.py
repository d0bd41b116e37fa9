"""The lists and histories of access an admin or auditor reads: a person with the assignments
the caller may see, the people of a federation or unit, a person's history (who, when, why) and
who could do an action at a place on a day."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.registration.application.access_records import (
    current_scope,
    find,
    national_only,
    person_of,
    placement,
    view,
)
from services.registration.domain.access import AccessDirectory, Person, scope_of
from shared.auth.permissions import PERMISSIONS, scope_within
from shared.auth.principal import Principal
from shared.kernel.errors import FieldError, Forbidden, Invalid, NotFound
from shared.store.eventstore import Context


def visible(caller: Principal, scope: str) -> bool:
    return scope_within(scope, caller.scope)


def person_view(app: Any, caller: Principal, person: Person, include_revoked: bool = True) -> dict[str, Any]:
    shown = []
    for held in person.assignments.values():
        scope = current_scope(app, held)
        if visible(caller, scope) and (include_revoked or held.revoked_at is None):
            shown.append(view(held, scope))
    return {**person.as_dict(), "assignments": shown}


def sees(app: Any, caller: Principal, person: Person) -> bool:
    invited = scope_of(person.invited_in, person.invited_at_unit)
    return visible(caller, invited) or any(
        visible(caller, current_scope(app, held)) for held in person.assignments.values()
    )


def person_read(app: Any, caller: Principal, person_id: str) -> dict[str, Any]:
    caller.require("access.read")
    person = person_of(app, person_id)
    if not sees(app, caller, person):
        raise NotFound(f"person '{person_id[:64]}' does not exist", [FieldError("person", "unknown person")])
    return person_view(app, caller, person)


def people(
    app: Any, caller: Principal, federation: str | None, unit: str | None, include_revoked: bool
) -> list[dict[str, Any]]:
    """The people invited or granted access in a federation (or nationally), with the
    assignments the caller may see; with `unit`, those reaching into that unit's subtree."""
    caller.require("access.read", federation)
    if federation is None and not caller.is_national:
        raise Forbidden("the national list of people needs a national-scope token")
    where = "*"
    if federation is not None:
        app.tree.federation(federation)
        where = federation
        if unit is not None:
            ctx = Context(actor=caller.sub, scope=caller.scope)
            where = scope_of(federation, app.tree.live_unit(federation, unit, "unit", None, ctx)[1])
    directory = find(app, AccessDirectory, AccessDirectory.id_for(federation))
    out = []
    for person_id in directory.people if directory is not None else []:
        person = find(app, Person, UUID(person_id))
        entry = person_view(app, caller, person, include_revoked)
        entry["assignments"] = [a for a in entry["assignments"] if scope_within(a["scope"], where)]
        invited = scope_of(person.invited_in, person.invited_at_unit)
        if entry["assignments"] or (scope_within(invited, where) and visible(caller, invited)):
            out.append(entry)
    return sorted(out, key=lambda p: (p["name"], p["id"]))


EVENT_NAMES = {
    "Invited": "person-invited",
    "Linked": "person-linked",
    "Granted": "access-granted",
    "Revoked": "access-revoked",
    "SecretIssued": "client-secret-issued",
}


def history(app: Any, caller: Principal, person_id: str) -> dict[str, Any]:
    """Every event of the person the caller may see, oldest first: who, when, why."""
    caller.require("audit.read")
    person = person_of(app, person_id)
    if not sees(app, caller, person):
        raise NotFound(f"person '{person_id[:64]}' does not exist", [FieldError("person", "unknown person")])
    names: dict[str, str | None] = {}
    lines = []
    for e in app.events.get(person.id):
        kind = type(e).__name__
        data = {
            k: v
            for k, v in e.__dict__.items()
            if k not in ("originator_id", "originator_version", "timestamp", "meta", "originator_topic")
        }
        if kind in ("Granted", "Revoked"):
            held = person.assignments[data["assignment"]]
            if not visible(caller, current_scope(app, held)) and not visible(caller, held.scope):
                continue
            data |= {
                "role": held.role,
                "scope": held.scope,
                "unit_path": list(held.unit_path) if held.unit else None,
            }
        meta = e.meta or {}
        actor = str(meta.get("actor", ""))
        lines.append(
            {
                "event": EVENT_NAMES.get(kind, kind),
                "version": e.originator_version,
                "at": e.timestamp,
                "by": {"id": actor, "name": _name(app, actor, names)},
                "by_scope": meta.get("scope"),
                "by_assignment": meta.get("assignment"),
                "reason": data.pop("reason", None) or meta.get("reason"),
                "data": {k: v for k, v in data.items() if k != "secret_hash"},
            }
        )
    return {"person": person.as_dict(), "history": lines}


def _name(app: Any, actor: str, names: dict[str, str | None]) -> str | None:
    if actor not in names:
        try:
            found = find(app, Person, UUID(actor))
        except ValueError:
            found = None
        names[actor] = found.name if found is not None else None
    return names[actor]


def who_could(
    app: Any, caller: Principal, federation: str | None, unit: str | None, action: str, day: date
) -> dict[str, Any]:
    """Who could do `action` at the federation (or a unit of it, as placed on `day`), or
    nationally, at some moment of `day`, under which assignment, and who granted it and why."""
    caller.require("audit.read", federation)
    national_only(caller, federation)
    if action not in PERMISSIONS:
        raise Invalid.on("action", f"unknown action; one of {sorted(PERMISSIONS)}")
    path: list[str] = []
    if federation is not None:
        app.tree.federation(federation)
        if unit is not None:
            placed = placement(app, federation, unit, day)
            if placed is None:
                raise NotFound(
                    f"unit '{unit}' was not in federation '{federation}' on {day}",
                    [FieldError("unit", "not in the tree then")],
                )
            path = placed
    directories = [None] if federation is None else [None, federation]
    seen: set[str] = set()
    names: dict[str, str | None] = {}
    found = []
    for where in directories:
        directory = find(app, AccessDirectory, AccessDirectory.id_for(where))
        for person_id in directory.people if directory is not None else []:
            if person_id in seen:
                continue
            seen.add(person_id)
            person = find(app, Person, UUID(person_id))
            for held in person.assignments.values():
                if not (held.active_during(day) and held.allows(action)):
                    continue
                if held.federation is not None:
                    if federation is None or held.federation != federation:
                        continue
                    held_path = placement(app, federation, held.unit, day) if held.unit else []
                    if held_path is None or tuple(held_path) != tuple(path[: len(held_path)]):
                        continue
                found.append(
                    {
                        "person": {"id": person_id, "name": person.name, "email": person.email},
                        "assignment": view(held),
                        "granted_by": {"id": held.granted_by, "name": _name(app, held.granted_by, names)},
                        "revoked_by": (
                            {"id": held.revoked_by, "name": _name(app, held.revoked_by, names)}
                            if held.revoked_by
                            else None
                        ),
                    }
                )
    scope = "*" if federation is None else scope_of(federation, path)
    return {
        "action": action,
        "scope": scope,
        "on": day,
        "roles": sorted(PERMISSIONS[action]),
        "holders": found,
    }
