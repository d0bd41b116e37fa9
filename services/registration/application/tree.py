"""The organisation tree's commands and look-ups: paths are derived by walking parents as of a
date, following merged units to their successor and stopping at dissolved ones."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from services.registration.domain.members import Member
from services.registration.domain.organisation import PARENT_KINDS, Federation, Unit
from shared import clock
from shared.auth import scope_covers
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from shared.eventstore import ServiceApplication
from shared.settings import RegistrationSettings

A = TypeVar("A", bound=Aggregate)
# Aggregates read during one bulk command, so 10,000 rows do not read the same unit 10,000 times.
_MEMO: ContextVar[dict[UUID, Any] | None] = ContextVar("registration_memo", default=None)
MAX_DEPTH = 16


class TreeApplication(ServiceApplication):
    def __init__(self, settings: RegistrationSettings, today: Callable[[], date] = clock.today):
        super().__init__(settings)
        self.today = today

    # -- look-ups --------------------------------------------------------------------------

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        memo = _MEMO.get()
        if memo is None:
            return super().find(cls, aggregate_id)
        if aggregate_id not in memo:
            memo[aggregate_id] = super().find(Aggregate, aggregate_id)
        found = memo[aggregate_id]
        return found if isinstance(found, cls) else None

    @contextlib.contextmanager
    def memoised(self) -> Iterator[None]:
        token = _MEMO.set({})
        try:
            yield
        finally:
            _MEMO.reset(token)

    def prefetch(self, ids: list[UUID]) -> None:
        """Read many aggregates in one query into the memo (PostgreSQL only; a no-op otherwise)."""
        memo = _MEMO.get()
        datastore = getattr(self.recorder, "datastore", None)
        if memo is None or datastore is None or not ids:
            return
        statement = SQL(
            "SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
            "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
        ).format(
            schema=Identifier(datastore.schema),
            table=Identifier(self.recorder.events_table_name),  # type: ignore[attr-defined]
        )
        found: dict[UUID, Any] = {}
        with datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(statement, [list(set(ids))])
            for row in cursor.fetchall():
                stored = StoredEvent(
                    row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"])
                )
                ident = UUID(str(row["originator_id"]))
                found[ident] = self.mapper.to_domain_event(stored).mutate(found.get(ident))  # type: ignore[attr-defined]
        for ident in ids:
            memo[ident] = found.get(ident)

    def federation(self, code: str) -> Federation:
        return self.load(Federation, Federation.id_for(code), f"federation '{code}'")

    def reachable(self, federation: str) -> list[str]:
        """The federation and those merged into it: their units and members are addressed through it."""
        return [federation, *(a["code"] for a in self.federation(federation).absorbed)]

    def _resolve(self, cls: type[A], federation: str, code: str) -> A | None:
        for home in self.reachable(federation):
            found = self.find(cls, cls.id_for(home, code))  # type: ignore[attr-defined]
            if found is not None:
                return found
        return None

    def unit(self, federation: str, code: str, field: str = "unit") -> Unit:
        unit = self._resolve(Unit, federation, code)
        if unit is None:
            raise NotFound(
                f"unit '{code}' does not exist in federation '{federation}'",
                [FieldError(field, f"unknown unit '{code}'")],
            )
        return unit

    def member(self, federation: str, code: str, field: str = "member") -> Member:
        member = self._resolve(Member, federation, code)
        if member is None:
            raise NotFound(
                f"member '{code}' does not exist in federation '{federation}'",
                [FieldError(field, f"unknown member '{code}'")],
            )
        return member

    def placement(self, unit: Unit, on: date) -> tuple[str, list[str]] | None:
        """(federation, path from the top) of `unit` on `on`; None if it was not in the tree then."""
        chain: list[str] = []
        current = unit
        for _ in range(MAX_DEPTH):
            placed = current.placement_on(on)
            if placed is None:
                merged = current.state == "merged" and current.ended_on is not None and current.ended_on <= on
                if not chain or not merged or current.merged_into is None:
                    return None
                # An ancestor merged into another unit: its subtree now sits under the successor.
                current = self.unit(current.federation, current.merged_into)
                continue
            chain.append(current.code)
            if placed["parent"] is None:
                return placed["federation"], chain[::-1]
            current = self.unit(placed["federation"], placed["parent"])
        raise Conflict(f"the tree above unit '{unit.code}' is deeper than {MAX_DEPTH} levels")

    def live_unit(
        self, federation: str, code: str, field: str = "unit", on: date | None = None
    ) -> tuple[Unit, list[str]]:
        """A unit in the federation's tree on `on` (default today), with its path."""
        unit = self.unit(federation, code, field)
        on = on or self.today()
        placed = self.placement(unit, on)
        if placed is None:
            raise Invalid.on(field, f"unit '{code}' is not in the tree on {on} ({unit.state})")
        if placed[0] != federation:
            raise Invalid.on(field, f"unit '{code}' belongs to federation '{placed[0]}' on {on}")
        return unit, placed[1]

    def member_placement(self, member: Member, on: date) -> tuple[Unit, str, list[str]] | None:
        unit_code = member.unit_on(on)
        if unit_code is None:
            return None
        unit = self.unit(member.federation, unit_code)
        placed = self.placement(unit, on)
        return None if placed is None else (unit, placed[0], placed[1])

    def open_federation(self, code: str) -> Federation:
        federation = self.federation(code)
        if federation.merged_by(self.today()):
            raise Conflict(
                f"federation '{code}' was merged into '{federation.merged_into}' on {federation.merged_on}"
            )
        return federation

    @staticmethod
    def require_subtree(ctx: Any, federation: str, path: list[str] | tuple[str, ...], field: str) -> None:
        if not scope_covers(ctx.scope, federation, tuple(path)):
            raise Forbidden(
                f"'{field}' is outside the subtree your token may act in",
                [FieldError(field, "outside your scope")],
            )

    def code_is_free(self, cls: type[Aggregate], federation: str, code: str, what: str) -> None:
        if self._resolve(cls, federation, code) is not None:
            raise Conflict(
                f"{what} '{code}' already exists in '{federation}'", [FieldError("code", "already exists")]
            )

    def check_parent(self, federation: str, kind: str, parent: str | None, on: date) -> list[str]:
        """The parent's path (empty for the federation itself), if a `kind` unit may sit under it."""
        path: list[str] = []
        parent_kind = ""
        if parent:
            parent_unit, path = self.live_unit(federation, parent, "parent", on)
            parent_kind = parent_unit.kind
        if parent_kind not in PARENT_KINDS[kind]:
            where = f"a unit of kind '{parent_kind}'" if parent_kind else "the federation"
            raise Invalid.on("parent", f"a unit of kind '{kind}' cannot sit under {where}")
        return path
