"""People and role assignments: inviting, granting, revoking, a service account's secret and the
installation's first national admin (domain.access has the rules). The lists and histories an
admin or auditor reads are application/access_reads.py's; what the token exchange needs is
application/token_exchange.py's; the records all three find, application/access_records.py's."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from eventsourcing.domain import Aggregate
from pydantic import Field, StringConstraints

from services.registration.application.access_records import (
    current_scope,
    find,
    national_only,
    person_of,
    view,
)
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
from shared.auth.permissions import scope_within
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


def _directory(app: Any, federation: str | None, ctx: Context) -> AccessDirectory:
    found = find(app, AccessDirectory, AccessDirectory.id_for(federation))
    return found if found is not None else AccessDirectory(federation=federation, meta=ctx.meta)


def _listed(app: Any, person: Person, federation: str | None, ctx: Context) -> list[Aggregate]:
    directory = _directory(app, federation, ctx)
    if str(person.id) not in directory.people:
        directory.list_person(person=str(person.id), meta=ctx.meta)
        return [directory]
    return []


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
    found = find(app, PersonKey, PersonKey.id_for("assignment", caller.assignment))
    person = find(app, Person, UUID(found.person)) if found is not None else None
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
    if find(app, PersonKey, PersonKey.id_for(kind, value)) is not None:
        raise Conflict(f"this {field} already belongs to a person", [FieldError(field, "already taken")])
    return PersonKey(kind=kind, value=value, person=str(person.id), meta=ctx.meta)


def grant(
    app: Any, ctx: Context, caller: Principal, federation: str | None, cmd: GrantAccess, now: Now = utcnow
) -> CommandResult:
    caller.require("access.manage", federation)
    national_only(caller, federation)
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
    found = find(app, PersonKey, PersonKey.id_for("assignment", assignment_id))
    person = find(app, Person, UUID(found.person)) if found is not None else None
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
            key = find(app, PersonKey, PersonKey.id_for(kind, value))
            if key is not None:
                person = find(app, Person, UUID(key.person))
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
