"""What registration's token exchange needs of access (entrypoints/access_api.py): the person an
ID token names, linked at their first sign-in; a service account by its client secret; the
assignments to choose from and the claims of a chosen one."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from uuid import UUID

from services.registration.application.access_records import current_scope, find, placement, view
from services.registration.domain.access import Person, PersonKey, day_of, identity_key, scope_of, secret_hash
from shared.auth.permissions import ROLES
from shared.kernel.errors import FieldError, Forbidden, NotFound
from shared.store.eventstore import Context


def person_signing_in(
    app: Any, issuer: str, subject: str, email: str | None, email_verified: bool, request_id: str = ""
) -> Person:
    """The person an ID token names: by issuer and subject, or at their first sign-in by the
    provider's verified e-mail matching an invitation (then linked, an event of the person)."""
    key = find(app, PersonKey, PersonKey.id_for("identity", identity_key(issuer, subject)))
    if key is not None:
        return find(app, Person, UUID(key.person))  # type: ignore[no-any-return]
    invited = (
        find(app, PersonKey, PersonKey.id_for("email", email.lower())) if email and email_verified else None
    )
    person = find(app, Person, UUID(invited.person)) if invited is not None else None
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
        person = find(app, Person, UUID(client_id))
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
        placed = placement(app, held.federation, held.unit, day_of(moment))
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
