"""What a use case of awards needs of the event store, and nothing more: find an aggregate, load
one that must exist, commit new events with the command's answer (idempotently). The service's
application (`application/app.py`, on shared/store/eventstore.py) is the store every use case gets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.awards.domain.history import HistoryFacts
from shared.store.eventstore import CommandResult, Context

A = TypeVar("A", bound=Aggregate)


class Store(Protocol):
    def find(self, cls: type[A], aggregate_id: UUID) -> A | None: ...

    def find_many(self, cls: type[A], ids: Iterable[UUID]) -> dict[UUID, A]: ...

    def find_unchanged(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """Shared with other readers: never change what it returns."""
        ...

    def load(self, cls: type[A], aggregate_id: UUID, what: str) -> A: ...

    def history_facts(self, ids: Iterable[UUID]) -> dict[UUID, HistoryFacts]:
        """The facts of each of `ids` that is a stored History."""
        ...

    def commit(
        self,
        ctx: Context,
        aggregates: Sequence[Aggregate],
        body: Any,
        *,
        status: int = 201,
        version: int | None = None,
    ) -> CommandResult: ...
