"""The caller a verified token names: its scope, roles, and what it may do."""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth.permissions import PERMISSIONS, UNIT_ACTIONS, is_read, scope_covers
from shared.kernel.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Principal:
    sub: str
    scope: str
    roles: frozenset[str]
    # The role assignment a product-issued token was issued under (registration checks it is
    # still active before an access change); None for development tokens.
    assignment: str | None = None

    @property
    def is_national(self) -> bool:
        return self.scope == "*"

    @property
    def federation(self) -> str | None:
        return None if self.is_national else self.scope.split("/")[0]

    @property
    def unit_path(self) -> tuple[str, ...]:
        """Unit codes from the top of the federation down to the user's unit; () for staff."""
        return () if self.is_national else tuple(self.scope.split("/")[1:])

    @property
    def unit(self) -> str | None:
        return self.unit_path[-1] if self.unit_path else None

    def may(self, action: str) -> bool:
        return bool(self.roles & PERMISSIONS[action])

    def require(self, action: str, federation: str | None = None) -> None:
        """Refuse unless the role allows `action` and the scope covers `federation`.

        A foreign federation is answered 404, as if it did not exist (I5)."""
        if federation is not None and not self.covers(federation):
            raise NotFound(f"federation '{federation}' does not exist")
        if not self.may(action):
            raise Forbidden(f"the roles {sorted(self.roles)} may not {action}")
        if self.unit_path and action not in UNIT_ACTIONS:
            raise Forbidden(f"{action} needs a federation-wide token; this one is for unit {self.unit}")

    def may_write(self) -> bool:
        return any(self.may(action) for action in PERMISSIONS if not is_read(action))

    def covers(self, federation: str) -> bool:
        return self.is_national or self.federation == federation

    def covers_unit(self, federation: str, ancestry: tuple[str, ...]) -> bool:
        return scope_covers(self.scope, federation, ancestry)
