"""People and role assignments: inviting, granting, revoking (domain.access has the rules), the
lists and histories an admin or auditor reads, and what the token exchange needs (the person an
ID token names, linked at first sign-in; the claims of a chosen assignment)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from eventsourcing.domain import Aggregate
from pydantic import Field, StringConstraints

from services.registration.domain.access import (
    AccessDirectory,
    Assignment,
    Person,
    PersonKey,
    check_grant,
    check_granter,
    check_revoke,
    day_of,
    identity_key,
    scope_of,
    secret_hash,
)
from shared.auth.permissions import PERMISSIONS, ROLES, scope_within
from shared.auth.principal import Principal
from shared.kernel.commands import Code, Command, Date, Name, Text
from shared.kernel.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from shared.store.eventstore import CommandResult, Context

Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]
Reason = Annotated[Text, StringConstraints(min_length=1)]


class InvitePerson(Command):
    """A person to invite by e-mail (linked at their first sign-in when the provider vouches for
    the same e-mail), or known already by the provider's issuer and subject; or a service account
    (`kind: service`: another system, which gets a client secret)."""

    name: Name
    email: Email | None = None
    kind: Literal["person", "service"] = "person"
    issuer: str | None = Field(None, max_length=500, description="the provider's `iss`")
    subject: str | None = Field(None, max_length=500, description="the provider's `sub`")
    unit: Code | None = Field(
        None, description="the unit the person is invited at (a unit admin's own subtree)"
    )

    def check(self) -> None:
        """After the caller's scope is checked: a stranger learns nothing from the answer."""
        if (self.issuer is None) != (self.subject is None):
            raise Invalid.on(
                "subject" if self.subject is None else "issuer", "issuer and subject go together"
            )
        if self.kind == "person" and self.email is None and self.issuer is None:
            raise Invalid.on("email", "a person needs an e-mail, or an issuer and subject")


class GrantAccess(Command):
    person: str = Field(description="the person's id")
    role: Literal["admin", "clerk", "council", "approver", "auditor", "reader"]
    unit: Code | None = Field(
        None, description="a unit: the role holds in its subtree; none: the whole scope"
    )
    valid_from: Date | None = Field(None, description="from this day (default today; never in the past)")
    reason: Reason = Field(description="why: kept in the access history")


class RevokeAccess(Command):
    reason: Reason = Field(description="why: kept in the access history")


Now = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def _find(app: Any, cls: type[Aggregate], ident: UUID) -> Any:
    return app.find(cls, ident)


def person_of(app: Any, person_id: str, field: str = "person") -> Person:
    try:
        ident = UUID(person_id)
    except ValueError:
        ident = None
    found = _find(app, Person, ident) if ident else None
    if found is None:
        raise NotFound(f"person '{person_id[:64]}' does not exist", [FieldError(field, "unknown person")])
    return found  # type: ignore[no-any-return]


def _directory(app: Any, federation: str | None, ctx: Context) -> AccessDirectory:
    found = _find(app, AccessDirectory, AccessDirectory.id_for(federation))
    return found if found is not None else AccessDirectory(federation=federation, meta=ctx.meta)


def _listed(app: Any, person: Person, federation: str | None, ctx: Context) -> list[Aggregate]:
    directory = _directory(app, federation, ctx)
    if str(person.id) not in directory.people:
        directory.list_person(person=str(person.id), meta=ctx.meta)
        return [directory]
    return []


def _national(caller: Principal, federation: str | None) -> None:
    if federation is None and not caller.is_national:
        raise Forbidden("national access is managed and read with a national-scope token only")


def _place(app: Any, caller: Principal, ctx: Context, federation: str | None, unit: str | None) -> list[str]:
    """The path of `unit` today (refused as unknown outside the caller's subtree), or []."""
    if federation is None:
        if not caller.is_national:
            raise Forbidden("national access is managed by national staff only")
        return []
    app.tree.open_federation(federation)
    if unit is None:
        return []
    _unit, path = app.tree.live_unit(federation, unit, "unit", None, ctx)
    return list(path)


def _granter_active(app: Any, caller: Principal, now: datetime) -> None:
    """A product-issued token's own assignment must still be in force for an access change:
    revoking an admin stops their access changes at once, not only when the token expires."""
    if caller.assignment is None:
        return
    found = _find(app, PersonKey, PersonKey.id_for("assignment", caller.assignment))
    person = _find(app, Person, UUID(found.person)) if found is not None else None
    held = person.assignments.get(caller.assignment) if person is not None else None
    if held is None or not held.active_at(now):
        raise Forbidden("the assignment your token was issued under is no longer in force")


def invite(
    app: Any, ctx: Context, caller: Principal, federation: str | None, cmd: InvitePerson
) -> CommandResult:
    caller.require("access.manage", federation)
    path = _place(app, caller, ctx, federation, cmd.unit)
    check_granter(caller.roles, caller.scope, scope_of(federation, path), "unit")
    _granter_active(app, caller, utcnow())
    cmd.check()
    person = Person(
        kind=cmd.kind,
        name=cmd.name,
        email=cmd.email,
        issuer=cmd.issuer,
        subject=cmd.subject,
        invited_in=federation,
        invited_at_unit=path,
        meta=ctx.meta,
    )
    keys: list[Aggregate] = []
    if cmd.email is not None:
        keys.append(_claim(app, "email", cmd.email, person, ctx, "email"))
    if cmd.issuer and cmd.subject:
        keys.append(_claim(app, "identity", identity_key(cmd.issuer, cmd.subject), person, ctx, "subject"))
    directory = _listed(app, person, federation, ctx)
    return app.commit(ctx, [person, *keys, *directory], person.as_dict(), version=person.version)


def _claim(app: Any, kind: str, value: str, person: Person, ctx: Context, field: str) -> PersonKey:
    if _find(app, PersonKey, PersonKey.id_for(kind, value)) is not None:
        raise Conflict(f"this {field} already belongs to a person", [FieldError(field, "already taken")])
    return PersonKey(kind=kind, value=value, person=str(person.id), meta=ctx.meta)


def grant(
    app: Any, ctx: Context, caller: Principal, federation: str | None, cmd: GrantAccess, now: Now = utcnow
) -> CommandResult:
    caller.require("access.manage", federation)
    _national(caller, federation)
    if federation is None and cmd.unit is not None:
        raise Invalid.on("unit", "a national assignment names no unit; grant it in the unit's federation")
    moment = now()
    person = person_of(app, cmd.person)
    path = _place(app, caller, ctx, federation, cmd.unit)
    check_granter(caller.roles, caller.scope, scope_of(federation, path), "unit" if cmd.unit else "scope")
    _granter_active(app, caller, moment)
    valid_from = cmd.valid_from or day_of(moment)
    if valid_from < day_of(moment):
        raise Invalid.on("valid_from", "access is not granted retroactively: valid_from is before today")
    check_grant(person, cmd.role, federation, cmd.unit if federation else None)
    assignment = str(uuid.uuid4())
    person.grant(
        assignment=assignment,
        role=cmd.role,
        federation=federation,
        unit=cmd.unit if federation else None,
        unit_path=path,
        valid_from=valid_from,
        granted_at=moment.isoformat(),
        granted_by=caller.sub,
        granted_under=caller.assignment,
        reason=cmd.reason,
        meta=ctx.meta,
    )
    key = PersonKey(kind="assignment", value=assignment, person=str(person.id), meta=ctx.meta)
    body = {"person": person.as_dict(), "assignment": view(person.assignments[assignment])}
    return app.commit(
        ctx, [person, key, *_listed(app, person, federation, ctx)], body, version=person.version
    )


def holder(app: Any, caller: Principal, assignment_id: str) -> tuple[Person, Assignment]:
    """The person holding an assignment the caller may see; anything else is answered as unknown."""
    missing = NotFound(
        f"assignment '{assignment_id[:64]}' does not exist", [FieldError("assignment", "unknown")]
    )
    found = _find(app, PersonKey, PersonKey.id_for("assignment", assignment_id))
    person = _find(app, Person, UUID(found.person)) if found is not None else None
    if person is None:
        raise missing
    held: Assignment = person.assignments[assignment_id]
    if not scope_within(current_scope(app, held), caller.scope) and not scope_within(
        held.scope, caller.scope
    ):
        raise missing
    return person, held


def revoke(
    app: Any, ctx: Context, caller: Principal, assignment_id: str, cmd: RevokeAccess, now: Now = utcnow
) -> CommandResult:
    caller.require("access.manage")
    moment = now()
    person, held = holder(app, caller, assignment_id)
    check_granter(caller.roles, caller.scope, held.scope, "assignment")
    _granter_active(app, caller, moment)
    ctx.check_version(person)
    check_revoke(person, assignment_id)
    person.revoke(
        assignment=assignment_id,
        revoked_at=moment.isoformat(),
        revoked_by=caller.sub,
        revoked_under=caller.assignment,
        reason=cmd.reason,
        meta=ctx.meta,
    )
    body = {"person": person.as_dict(), "assignment": view(person.assignments[assignment_id])}
    return app.commit(ctx, [person], body, status=200, version=person.version)


def issue_secret(app: Any, ctx: Context, caller: Principal, person_id: str) -> CommandResult:
    """A new client secret for a service account (shown once; the last one stops working)."""
    caller.require("access.manage")
    person = person_of(app, person_id)
    if person.kind != "service":
        raise Invalid.on("person", "only a service account has a client secret")
    check_granter(caller.roles, caller.scope, scope_of(person.invited_in, person.invited_at_unit), "person")
    _granter_active(app, caller, utcnow())
    secret = secrets.token_urlsafe(32)
    person.issue_secret(secret_hash=secret_hash(secret), meta=ctx.meta)
    body = {"client_id": str(person.id), "client_secret": secret}
    return app.commit(ctx, [person], body, status=201, version=person.version)


# -- the first national admin --------------------------------------------------------------------


def first_admin(app: Any, email: str | None, issuer: str | None, subject: str | None, reason: str) -> str:
    """Make the installation's first national admin (setting or CLI); a no-op once that person
    holds it. Returns the person's id."""
    ctx = Context(actor="installation", scope="*", reason=reason)
    installer = Principal("installation", "*", frozenset({"admin"}))
    person: Person | None = None
    for kind, value in (
        ("email", email),
        ("identity", identity_key(issuer, subject) if issuer and subject else None),
    ):
        if value:
            key = _find(app, PersonKey, PersonKey.id_for(kind, value))
            if key is not None:
                person = _find(app, Person, UUID(key.person))
                break
    if person is None:
        cmd = InvitePerson(name=email or subject or "admin", email=email, issuer=issuer, subject=subject)
        invite(app, ctx, installer, None, cmd)
        return first_admin(app, email, issuer, subject, reason)
    if any(
        a.role == "admin" and a.federation is None and a.revoked_at is None
        for a in person.assignments.values()
    ):
        return str(person.id)
    grant(app, ctx, installer, None, GrantAccess(person=str(person.id), role="admin", reason=reason))
    return str(person.id)


# -- reads ---------------------------------------------------------------------------------------


def current_scope(app: Any, held: Assignment, day: date | None = None) -> str:
    """The assignment's scope on `day` (default today): a unit's path follows its moves; a unit
    gone from the tree keeps the path it had when granted (and no token is issued for it)."""
    if held.federation is None or held.unit is None:
        return held.scope
    placed = _placement(app, held.federation, held.unit, day or app.today())
    return scope_of(held.federation, placed) if placed is not None else held.scope


def _placement(app: Any, federation: str, unit: str, day: date) -> list[str] | None:
    try:
        found = app.tree.unit(federation, unit)
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
    directory = _find(app, AccessDirectory, AccessDirectory.id_for(federation))
    out = []
    for person_id in directory.people if directory is not None else []:
        person = _find(app, Person, UUID(person_id))
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
                "reason": data.pop("reason", None) or meta.get("reason"),
                "data": {k: v for k, v in data.items() if k != "secret_hash"},
            }
        )
    return {"person": person.as_dict(), "history": lines}


def _name(app: Any, actor: str, names: dict[str, str | None]) -> str | None:
    if actor not in names:
        try:
            found = _find(app, Person, UUID(actor))
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
    _national(caller, federation)
    if action not in PERMISSIONS:
        raise Invalid.on("action", f"unknown action; one of {sorted(PERMISSIONS)}")
    path: list[str] = []
    if federation is not None:
        app.tree.federation(federation)
        if unit is not None:
            placed = _placement(app, federation, unit, day)
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
        directory = _find(app, AccessDirectory, AccessDirectory.id_for(where))
        for person_id in directory.people if directory is not None else []:
            if person_id in seen:
                continue
            seen.add(person_id)
            person = _find(app, Person, UUID(person_id))
            for held in person.assignments.values():
                if not (held.active_during(day) and held.allows(action)):
                    continue
                if held.federation is not None:
                    if federation is None or held.federation != federation:
                        continue
                    held_path = _placement(app, federation, held.unit, day) if held.unit else []
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


# -- the token exchange --------------------------------------------------------------------------


def person_signing_in(
    app: Any, issuer: str, subject: str, email: str | None, email_verified: bool, request_id: str = ""
) -> Person:
    """The person an ID token names: by issuer and subject, or at their first sign-in by the
    provider's verified e-mail matching an invitation (then linked, an event of the person)."""
    key = _find(app, PersonKey, PersonKey.id_for("identity", identity_key(issuer, subject)))
    if key is not None:
        return _find(app, Person, UUID(key.person))  # type: ignore[no-any-return]
    invited = (
        _find(app, PersonKey, PersonKey.id_for("email", email.lower())) if email and email_verified else None
    )
    person = _find(app, Person, UUID(invited.person)) if invited is not None else None
    if person is None:
        raise Forbidden("no access: you have not been invited to the product (ask an administrator)")
    if any(i["issuer"] == issuer for i in person.identities):
        raise Forbidden("this e-mail belongs to a person who signs in with another account of this provider")
    ctx = Context(actor=str(person.id), scope="", request_id=request_id, reason="first sign-in")
    person.link(issuer=issuer, subject=subject, email=email, meta=ctx.meta)
    claimed = PersonKey(
        kind="identity", value=identity_key(issuer, subject), person=str(person.id), meta=ctx.meta
    )
    app.commit(ctx, [person, claimed], None)
    return person


def service_account(app: Any, client_id: str, client_secret: str) -> Person:
    refused = Forbidden("invalid client credentials")
    try:
        person = _find(app, Person, UUID(client_id))
    except ValueError:
        raise refused from None
    if person is None or person.kind != "service" or person.secret_hash is None:
        raise refused
    if not secrets.compare_digest(person.secret_hash, secret_hash(client_secret)):
        raise refused
    return person  # type: ignore[no-any-return]


def choices(app: Any, person: Person, moment: datetime) -> list[dict[str, Any]]:
    """The person's assignments in force now, each with its scope of today."""
    return [view(held, current_scope(app, held)) for held in person.active(moment)]


def claims_for(app: Any, person: Person, assignment_id: str, moment: datetime) -> dict[str, Any]:
    """`scope`, `roles` and `assignment` of a token under the chosen assignment: its role and
    those of the person's other assignments in force at the same place."""
    held = person.assignments.get(assignment_id)
    if held is None:
        raise NotFound("the assignment is not yours", [FieldError("assignment", "not one of yours")])
    if held.revoked_at is not None and held.revoked_at <= moment:
        raise Forbidden("the assignment was revoked", [FieldError("assignment", "revoked")])
    if not held.active_at(moment):
        raise Forbidden(
            f"the assignment is in force from {held.valid_from}", [FieldError("assignment", "not yet")]
        )
    if held.unit is not None and held.federation is not None:
        placed = _placement(app, held.federation, held.unit, day_of(moment))
        if placed is None:
            raise Forbidden(
                f"unit '{held.unit}' is no longer in the tree", [FieldError("assignment", "unit gone")]
            )
        scope = scope_of(held.federation, placed)
    else:
        scope = held.scope
    roles = sorted(
        {a.role for a in person.active(moment) if (a.federation, a.unit) == (held.federation, held.unit)}
    )
    assert set(roles) <= set(ROLES)
    return {"sub": str(person.id), "scope": scope, "roles": roles, "assignment": assignment_id}
