"""People and their role assignments (README, "Access"): who may act in the product, at which
scope, since when, and who allowed it.

A person is known by the e-mail they were invited with and, from their first sign-in, by the
OpenID provider's issuer and subject. An assignment is one role at one scope (national `*`, a
federation, or a unit's subtree) from a date until revoked; granting and revoking are events of
the person (so a person's stream is their access history), each with who did it, under which
assignment, and why. These events stay in registration's tamper-evident log and are not
published on the bus or the feeds: they carry e-mail addresses, and no subscriber needs them.

Keys (`PersonKey`) make an e-mail or an identity name at most one person: claiming one that is
taken is a version clash in the store. A directory per federation (and one national) lists the
people who were invited or granted something there, so the lists need no read model."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.auth.permissions import PERMISSIONS, ROLES, UNIT_ACTIONS, scope_covers, scope_within
from shared.kernel.clock import VIETNAM
from shared.kernel.errors import Conflict, FieldError, Forbidden, Invalid
from shared.kernel.ids import stable_id

KINDS = ("person", "service")


def day_of(moment: datetime) -> date:
    """The day of a moment as the users count days (shared.kernel.clock: Vietnam time)."""
    return moment.astimezone(VIETNAM).date()


def scope_of(federation: str | None, unit_path: list[str] | tuple[str, ...]) -> str:
    return "*" if federation is None else "/".join((federation, *unit_path))


@dataclass(frozen=True)
class Assignment:
    id: str
    role: str
    federation: str | None
    unit: str | None
    unit_path: tuple[str, ...]  # as placed when granted; tokens use the unit's path of the day
    valid_from: date
    granted_at: datetime
    granted_by: str
    granted_under: str | None
    reason: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    revoke_reason: str | None = None

    @property
    def scope(self) -> str:
        return scope_of(self.federation, self.unit_path)

    def active_at(self, moment: datetime) -> bool:
        return (
            self.valid_from <= day_of(moment)
            and self.granted_at <= moment
            and (self.revoked_at is None or moment < self.revoked_at)
        )

    def active_during(self, day: date) -> bool:
        """Whether it was in force at some moment of `day` (the auditor's "on that date")."""
        return (
            self.valid_from <= day
            and day_of(self.granted_at) <= day
            and (self.revoked_at is None or day_of(self.revoked_at) >= day)
        )

    def allows(self, action: str) -> bool:
        return self.role in PERMISSIONS[action] and (self.unit is None or action in UNIT_ACTIONS)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role,
            "scope": self.scope,
            "federation": self.federation,
            "unit": self.unit,
            "valid_from": self.valid_from,
            "granted_at": self.granted_at,
            "granted_by": self.granted_by,
            "granted_under": self.granted_under,
            "reason": self.reason,
            "revoked_at": self.revoked_at,
            "revoked_by": self.revoked_by,
            "revoke_reason": self.revoke_reason,
        }


class Person(Aggregate):
    @event("Invited")
    def __init__(
        self,
        kind: str,
        name: str,
        email: str | None,
        issuer: str | None,
        subject: str | None,
        invited_in: str | None,
        invited_at_unit: list[str],
        meta: dict,
    ) -> None:
        self.kind = kind
        self.name = name
        self.email = email
        self.identities: list[dict[str, str]] = []
        if issuer and subject:
            self.identities.append({"issuer": issuer, "subject": subject})
        self.invited_in = invited_in  # the federation it was invited in (None: nationally)
        self.invited_at_unit = invited_at_unit
        self.assignments: dict[str, Assignment] = {}
        self.secret_hash: str | None = None

    @event("Linked")
    def link(self, issuer: str, subject: str, email: str | None, meta: dict) -> None:
        """The first sign-in of an invited person: the provider's identity is theirs from now."""
        self.identities.append({"issuer": issuer, "subject": subject})

    @event("Granted")
    def grant(
        self,
        assignment: str,
        role: str,
        federation: str | None,
        unit: str | None,
        unit_path: list[str],
        valid_from: date,
        granted_at: str,
        granted_by: str,
        granted_under: str | None,
        reason: str,
        meta: dict,
    ) -> None:
        self.assignments[assignment] = Assignment(
            assignment,
            role,
            federation,
            unit,
            tuple(unit_path),
            valid_from,
            datetime.fromisoformat(granted_at),
            granted_by,
            granted_under,
            reason,
        )

    @event("Revoked")
    def revoke(
        self,
        assignment: str,
        revoked_at: str,
        revoked_by: str,
        revoked_under: str | None,
        reason: str,
        meta: dict,
    ) -> None:
        self.assignments[assignment] = replace(
            self.assignments[assignment],
            revoked_at=datetime.fromisoformat(revoked_at),
            revoked_by=revoked_by,
            revoke_reason=reason,
        )

    @event("SecretIssued")
    def issue_secret(self, secret_hash: str, meta: dict) -> None:
        """A service account's client secret (only its hash is kept); it replaces the last one."""
        self.secret_hash = secret_hash

    def active(self, moment: datetime) -> list[Assignment]:
        return [a for a in self.assignments.values() if a.active_at(moment)]

    def holds(self, identity: tuple[str, str]) -> bool:
        return {"issuer": identity[0], "subject": identity[1]} in self.identities

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "kind": self.kind,
            "name": self.name,
            "email": self.email,
            "identities": self.identities,
            "invited_in": self.invited_in,
            "version": self.version,
        }


class PersonKey(Aggregate):
    """An e-mail (`email`), a provider identity (`identity`: issuer and subject) or a service
    account's client id taken by one person."""

    @staticmethod
    def create_id(kind: str, value: str) -> UUID:
        return PersonKey.id_for(kind, value)

    @staticmethod
    def id_for(kind: str, value: str) -> UUID:
        return stable_id("person-key", kind, value)

    @event("Claimed")
    def __init__(self, kind: str, value: str, person: str, meta: dict) -> None:
        self.kind = kind
        self.value = value
        self.person = person


def identity_key(issuer: str, subject: str) -> str:
    return f"{issuer}\x1f{subject}"


class AccessDirectory(Aggregate):
    """The people invited or granted access in one federation (`None`: nationally)."""

    @staticmethod
    def create_id(federation: str | None) -> UUID:
        return AccessDirectory.id_for(federation)

    @staticmethod
    def id_for(federation: str | None) -> UUID:
        return stable_id("access-directory", federation or "*")

    @event("Opened")
    def __init__(self, federation: str | None, meta: dict) -> None:
        self.federation = federation  # shared.store.eventstore.require_in_scope checks it
        self.people: list[str] = []

    @event("Listed")
    def list_person(self, person: str, meta: dict) -> None:
        self.people.append(person)


# -- the rules of who may grant and revoke what ---------------------------------------------------


def check_granter(roles: frozenset[str], scope: str, target: str, field: str = "scope") -> None:
    """Nobody grants or revokes without `admin`, nor beyond their own scope: a national admin
    anything, a federation's admin within it, a unit's admin within its subtree."""
    if "admin" not in roles:
        raise Forbidden(f"only an admin grants or revokes access; your roles are {sorted(roles)}")
    if not scope_within(target, scope):
        raise Forbidden(
            f"scope '{target}' is beyond your own scope '{scope}': nobody grants or revokes beyond it",
            [FieldError(field, f"'{target}' is outside '{scope}'")],
        )


def check_role(role: str) -> None:
    if role not in ROLES:
        raise Invalid.on("role", f"role must be one of {list(ROLES)}")


def check_grant(person: Person, role: str, federation: str | None, unit: str | None) -> None:
    """One role at one place is held once: a second grant of an active one is a conflict."""
    for held in person.assignments.values():
        if held.revoked_at is None and (held.role, held.federation, held.unit) == (role, federation, unit):
            raise Conflict(
                f"the person already holds {role} at '{held.scope}' (assignment {held.id})",
                [FieldError("role", "already held there")],
            )
    if person.kind == "service" and role == "admin":
        raise Invalid.on("role", "a service account cannot be an admin")


def check_revoke(person: Person, assignment: str) -> Assignment:
    held = person.assignments[assignment]
    if held.revoked_at is not None:
        raise Conflict(f"assignment {assignment} was revoked at {held.revoked_at.isoformat()}")
    return held


def covers(assignment: Assignment, federation: str, path: tuple[str, ...], path_on: tuple[str, ...]) -> bool:
    """Whether an assignment reaches a unit at `path` (its path on the day asked about) given
    the assignment's own unit's path on that day (`path_on`)."""
    if assignment.federation is None:
        return True
    return scope_covers(scope_of(assignment.federation, path_on), federation, path)


def secret_hash(secret: str) -> str:
    """Client secrets are 256 random bits, so a plain SHA-256 is a safe way to keep them."""
    return hashlib.sha256(secret.encode()).hexdigest()
