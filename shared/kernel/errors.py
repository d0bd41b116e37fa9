"""Domain errors. Each maps to one RFC 9457 problem; none carries internal detail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldError:
    field: str
    message: str
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.row is not None:
            out["row"] = self.row
        return out


@dataclass
class DomainError(Exception):
    detail: str
    errors: list[FieldError] = field(default_factory=list)
    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __str__(self) -> str:
        return self.detail


class Invalid(DomainError):
    """The request is well-formed but breaks a rule; names the offending field."""

    status = 422
    title = "Invalid input"
    slug = "invalid"

    @classmethod
    def on(cls, field_name: str, message: str, row: int | None = None) -> Invalid:
        return cls(message, [FieldError(field_name, message, row)])


class NotFound(DomainError):
    status = 404
    title = "Not found"
    slug = "not-found"


class Conflict(DomainError):
    """A concurrent change or a duplicate of something that must be unique."""

    status = 409
    title = "Conflict"
    slug = "conflict"


class PreconditionFailed(DomainError):
    """If-Match named a version that is no longer current."""

    status = 412
    title = "Precondition failed"
    slug = "stale-version"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"
    slug = "unauthorized"


class IdempotencyMismatch(DomainError):
    status = 422
    title = "Idempotency key reused with another request"
    slug = "idempotency-key-reused"
