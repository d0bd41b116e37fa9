"""The organisation tree's commands and look-ups: paths are derived by walking parents as of a
date, following merged units to their successor and stopping at dissolved ones."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from services.registration.application.lasting import KEPT, ByVersion, Lasting
from services.registration.application.member_facts import KeptMemberFacts
from services.registration.domain.members import Member, MemberFacts
from services.registration.domain.organisation import PARENT_KINDS, Federation, Unit
from shared import clock
from shared.auth import scope_covers
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from shared.eventstore import CommandResult, Context, IdempotencyRecord, ServiceApplication
from shared.settings import RegistrationSettings

A = TypeVar("A", bound=Aggregate)
MAX_DEPTH = 16
MAX_REBUILT = 20_000


def unknown_unit(federation: str, code: str, field: str = "unit") -> NotFound:
    """The answer for a unit that does not exist, and for one outside the caller's subtree (I5)."""
    return NotFound(
        f"unit '{code}' does not exist in federation '{federation}'",
        [FieldError(field, f"unknown unit '{code}'")],
    )


def unknown_member(federation: str, code: str, field: str = "member") -> NotFound:
    """The answer for a member that does not exist, and for one outside the caller's subtree."""
    return NotFound(
        f"member '{code}' does not exist in federation '{federation}'",
        [FieldError(field, f"unknown member '{code}'")],
    )


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
    # those may be rebuilt once and shared, across commands and groups (`_rebuild_kept`).
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


class TreeApplication(ServiceApplication):
    def __init__(self, settings: RegistrationSettings, today: Callable[[], date] = clock.today):
        super().__init__(settings)
        self.today = today

    # -- look-ups --------------------------------------------------------------------------

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        reads = _READS.get()
        if reads is None:
            return super().find(cls, aggregate_id)
        if aggregate_id not in reads.aggregates:
            if aggregate_id not in reads.stored:
                self.prefetch([aggregate_id])
            stored = reads.stored[aggregate_id]
            reads.aggregates[aggregate_id] = (
                self._rebuild_kept(aggregate_id, stored) if reads.read_only_kept else self._rebuild(stored)
            )
        found = reads.aggregates[aggregate_id]
        return found if isinstance(found, cls) else None

    @contextlib.contextmanager
    def memoised(self, reads: Reads | None = None) -> Iterator[Reads]:
        """Within it, each aggregate is read from the store at most once (a command that looks
        at the federation four times reads it once; a bulk list reads each unit once)."""
        reads = reads if reads is not None else Reads()
        token = _READS.set(reads)
        try:
            yield reads
        finally:
            _READS.reset(token)

    def command_session(self) -> contextlib.AbstractContextManager[Reads]:
        """What shared.web.execute runs each command in."""
        return self.memoised()

    def replay(self, ctx: Context) -> CommandResult | None:
        # Read from the store, never from this command's reads: after a clash the key's answer
        # may have been stored by the concurrent writer a moment ago.
        reads = _READS.get()
        if reads is not None and ctx.idempotency_key:
            ident = IdempotencyRecord.id_for(ctx.actor, ctx.idempotency_key)
            reads.stored.pop(ident, None)
            reads.aggregates.pop(ident, None)
        return super().replay(ctx)

    def _rebuild(self, stored: list[StoredEvent]) -> Aggregate | None:
        aggregate = None
        for record in stored:
            aggregate = self.mapper.to_domain_event(record).mutate(aggregate)  # type: ignore[attr-defined]
        return aggregate  # type: ignore[return-value]

    def _rebuild_kept(self, aggregate_id: UUID, stored: list[StoredEvent]) -> Aggregate | None:
        """A federation, unit or movement rebuilt once per version and shared: for commands that
        never change one (`Reads.read_only_kept`); it is current as long as its version is the
        last one read. Any other aggregate is rebuilt afresh for each command."""
        if not stored or not stored[0].topic.startswith(KEPT):
            return self._rebuild(stored)
        return self._rebuilt.get(aggregate_id, stored[-1].originator_version, lambda: self._rebuild(stored))

    @functools.cached_property
    def _rebuilt(self) -> ByVersion[Aggregate]:
        return ByVersion(MAX_REBUILT)

    def prefetch(self, ids: list[UUID]) -> None:
        """Read many aggregates' events in one query into the current reads (none: a no-op)."""
        reads = _READS.get()
        if reads is None:
            return
        wanted = [i for i in dict.fromkeys(ids) if i not in reads.stored]
        if not wanted:
            return
        datastore = getattr(self.recorder, "datastore", None)
        found: dict[UUID, list[StoredEvent]] = {i: [] for i in wanted}
        if datastore is None:  # the in-memory store of unit tests
            for ident in wanted:
                found[ident] = list(self.recorder.select_events(ident))  # type: ignore[attr-defined]
        else:
            # Tuples: a dict row looks up its column names through libpq on every execution.
            with datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cursor:
                # As one text literal of 32-digit hex ids (cheaper than str()): psycopg's list
                # dumper costs more than the query here.
                literal = "{" + ",".join([i.hex for i in wanted]) + "}"
                # Binary results: the states as they are, not hex text (a quarter less time for
                # thousands of members).
                cursor.execute(self._select_many, [literal], prepare=True, binary=True)
                for ident, version, topic, state in cursor.fetchall():
                    ident = ident if isinstance(ident, UUID) else UUID(str(ident))
                    found[ident].append(StoredEvent(ident, version, topic, bytes(state)))
        reads.stored.update(found)

    def read_current(self, ids: list[UUID], checked: bool = False) -> None:
        """As `prefetch`, with the long-lived aggregates kept between commands (`Lasting`): one
        statement checks the log for changes since and loads the rest. `checked`: a check has
        been made since this command (or group) began, so kept entries are used as they are."""
        reads = _READS.get()
        lasting = self._lasting
        if reads is None or lasting is None:
            self.prefetch(ids)
            return
        wanted = [i for i in dict.fromkeys(ids) if i not in reads.stored]
        if checked:
            reads.stored.update(lasting.kept(wanted))
            wanted = [i for i in wanted if i not in reads.stored]
        if wanted:
            with self.recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
                reads.stored.update(lasting.read(conn, wanted))

    @functools.cached_property
    def _lasting(self) -> Lasting | None:
        datastore = getattr(self.recorder, "datastore", None)
        if datastore is None:  # the in-memory store of unit tests
            return None
        return Lasting(datastore.schema, self.recorder.events_table_name)  # type: ignore[attr-defined]

    @functools.cached_property
    def _select_many(self) -> str:
        datastore = self.recorder.datastore  # type: ignore[attr-defined]
        return (
            SQL(
                "SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
                "WHERE originator_id = ANY(%s::uuid[]) ORDER BY originator_id, originator_version"
            )
            .format(
                schema=Identifier(datastore.schema),
                table=Identifier(self.recorder.events_table_name),  # type: ignore[attr-defined]
            )
            .as_string(None)
        )

    def federation(self, code: str) -> Federation:
        return self.load(Federation, Federation.id_for(code), f"federation '{code}'")

    def knows_federation(self, code: str) -> bool:
        return self.find(Federation, Federation.id_for(code)) is not None

    def reachable(self, federation: str) -> list[str]:
        """The federation and those merged into it: their units and members are addressed through it."""
        reads = _READS.get()
        if reads is not None and reads.placed is not None:
            homes = reads.homes.get(federation)
            if homes is None:
                homes = reads.homes[federation] = self._reachable(federation)
            return homes
        return self._reachable(federation)

    def _reachable(self, federation: str) -> list[str]:
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
            raise unknown_unit(federation, code, field)
        return unit

    def member(self, federation: str, code: str, field: str = "member") -> Member:
        member = self._resolve(Member, federation, code)
        if member is None:
            raise unknown_member(federation, code, field)
        return member

    def member_facts(self, federation: str, code: str, field: str = "member") -> Member | MemberFacts:
        """`member`, for a command that only reads it: its facts folded from its stored events
        (MemberFacts.fold), or the aggregate where they cannot be (or it is rebuilt already)."""
        reads = _READS.get()
        if reads is None or self.mapper.cipher is not None or self.mapper.compressor is not None:
            return self.member(federation, code, field)
        known = reads.members.get((federation, code))
        if known is not None:
            return known
        for home in self.reachable(federation):
            ident = Member.id_for(home, code)
            found: Member | MemberFacts | None = None
            if ident not in reads.aggregates:
                if ident not in reads.stored:
                    self.prefetch([ident])
                stored = reads.stored[ident]
                found = self.kept_facts.get(stored) if stored else None
            if found is None:
                found = self.find(Member, ident)
            if found is not None:
                reads.members[(federation, code)] = found
                return found
        return self.member(federation, code, field)  # not there: refused as `member` refuses it

    @functools.cached_property
    def kept_facts(self) -> KeptMemberFacts:
        return KeptMemberFacts(self.mapper, MAX_REBUILT)

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
        self, federation: str, code: str, field: str = "unit", on: date | None = None, ctx: Any = None
    ) -> tuple[Unit, list[str]]:
        """A unit in the federation's tree on `on` (default today), with its path. With the
        command's `ctx`, a unit outside the caller's subtree is refused first, exactly as one
        that does not exist, whatever its state (I5)."""
        unit = self.unit(federation, code, field)
        on = on or self.today()
        placed = self.placement(unit, on)
        if ctx is not None:
            known = placed[1] if placed is not None and placed[0] == federation else unit.ancestry
            self.require_subtree(ctx, federation, known, field)
        if placed is None:
            raise Invalid.on(field, f"unit '{code}' is not in the tree on {on} ({unit.state})")
        if placed[0] != federation:
            raise Invalid.on(field, f"unit '{code}' belongs to federation '{placed[0]}' on {on}")
        return unit, placed[1]

    def member_placement(self, member: Member | MemberFacts, on: date) -> tuple[Unit, str, list[str]] | None:
        unit_code = member.unit_on(on)
        if unit_code is None:
            return None
        reads = _READS.get()
        memo = reads.placed if reads is not None else None
        key = (member.federation, unit_code, on)
        if memo is not None and key in memo:
            return memo[key]
        unit = self.unit(member.federation, unit_code)
        placed = self.placement(unit, on)
        result = None if placed is None else (unit, placed[0], placed[1])
        if memo is not None:
            memo[key] = result
        return result

    def known_placement(self, member: Member | MemberFacts, on: date) -> tuple[str, list[str]]:
        """(federation, path) where `member` is known to be, for a scope check: its placement on
        `on`, else today, else its last unit's path (a member who left)."""
        for day in (on, self.today()):
            placed = self.member_placement(member, day)
            if placed is not None:
                return placed[1], placed[2]
        last = None
        if member.placements:
            last = self._resolve(Unit, member.federation, member.placements[-1]["unit"])
        return (last.federation, list(last.ancestry)) if last is not None else (member.federation, [])

    def open_federation(self, code: str) -> Federation:
        federation = self.federation(code)
        if federation.merged_by(self.today()):
            raise Conflict(
                f"federation '{code}' was merged into '{federation.merged_into}' on {federation.merged_on}"
            )
        return federation

    @staticmethod
    def require_subtree(
        ctx: Any,
        federation: str,
        path: list[str] | tuple[str, ...],
        field: str,
        missing: NotFound | None = None,
    ) -> None:
        """Refuse an act on something placed at `path` outside the caller's subtree as if it did
        not exist (I5), the units above the caller's own too: `missing` is the error its look-up
        gives when it does not exist; without it, `path` names a unit, refused as an unknown unit.
        An act of the federation itself (an empty `path`) hides nothing: that is a 403."""
        if scope_covers(ctx.scope, federation, tuple(path)):
            return
        if missing is not None:
            raise missing
        if path:
            raise unknown_unit(federation, path[-1], field)
        raise Forbidden(
            f"'{field}' is outside the subtree your token may act in",
            [FieldError(field, "outside your scope")],
        )

    def code_is_free(self, cls: type[Aggregate], federation: str, code: str, what: str) -> None:
        if self._resolve(cls, federation, code) is not None:
            raise Conflict(
                f"{what} '{code}' already exists in '{federation}'", [FieldError("code", "already exists")]
            )

    def check_parent(
        self, federation: str, kind: str, parent: str | None, on: date, ctx: Any = None, field: str = "parent"
    ) -> list[str]:
        """The parent's path (empty for the federation itself), if a `kind` unit may sit under it;
        with `ctx`, a parent outside the caller's subtree does not exist for it."""
        path: list[str] = []
        parent_kind = ""
        if parent:
            parent_unit, path = self.live_unit(federation, parent, field, on, ctx)
            parent_kind = parent_unit.kind
        if parent_kind not in PARENT_KINDS[kind]:
            where = f"a unit of kind '{parent_kind}'" if parent_kind else "the federation"
            raise Invalid.on("parent", f"a unit of kind '{kind}' cannot sit under {where}")
        return path
