"""What one command, or one group of commands handled together, has read from the store: a unit
of work for reads, current within `memoised` (the tree's look-ups read through it)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from services.registration.domain.members import Member, MemberFacts
from services.registration.domain.organisation import Unit


@dataclass
class Reads:
    """What one command, or one group of commands handled together, has read from the store.

    `stored` holds each aggregate's stored events, read once and shared by the commands of a
    group (bytes, never mutated); `aggregates` holds one command's own objects, rebuilt from them
    (a command may change its objects; another command of the group never sees that). Nothing
    outlives the group: every command reads the store after it arrived, as without this."""

    stored: dict[UUID, list[StoredEvent]] = field(default_factory=dict)
    aggregates: dict[UUID, Aggregate | None] = field(default_factory=dict)
    # The commands only look at federations, units and movements, never change them (pledges):
    # those may be rebuilt once and shared, across commands and groups (`rebuild_kept`).
    read_only_kept: bool = False
    # A command that never changes the tree (a pledge list) may keep each unit's placement on
    # a date (`member_placement`; its paths are shared, never to be changed) and each
    # federation's reachable ones (`reachable`).
    placed: dict[tuple[str, str, date], tuple[Unit, str, list[str]] | None] | None = None
    homes: dict[str, list[str]] = field(default_factory=dict)
    # Members as `member_facts` found them, by (federation, code); `stored` never changes here.
    members: dict[tuple[str, str], Member | MemberFacts] = field(default_factory=dict)

    def for_next_command(self) -> Reads:
        return Reads(self.stored, read_only_kept=self.read_only_kept)


_READS: ContextVar[Reads | None] = ContextVar("registration_reads", default=None)


def current() -> Reads | None:
    """The reads of the command running in this context, if it runs within `memoised`."""
    return _READS.get()


@contextlib.contextmanager
def memoised(reads: Reads | None = None) -> Iterator[Reads]:
    """Within it, each aggregate is read from the store at most once (a command that looks
    at the federation four times reads it once; a bulk list reads each unit once)."""
    reads = reads if reads is not None else Reads()
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)
