"""What a tree change is stored under (shared.store.audit.guards), so that two commands in flight
cannot leave anyone in a unit that has ended: a placement (a member registered or transferred, a
unit registered, moved or merged somewhere) is stored only if the unit it places in has not ended
meanwhile; an ending (a dissolution, merge or code change) only if nobody and no unit was placed in
the unit after the read model it took the unit's people from had reached `position`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from services.registration.application.tree import Tree
from services.registration.domain.members import Member
from services.registration.domain.organisation import Unit
from shared.store.audit.guards import NoneOf, NoneSince


def _topics(cls: type, *names: str) -> list[str]:
    """The topics of `cls`'s events `names` (eventsourcing builds their classes at run time)."""
    return [get_topic(getattr(cls, name)) for name in names]


ENDINGS = tuple(_topics(Unit, "Dissolved", "Merged", "Recoded"))
# The events that place someone or some unit in a unit, and the field naming that unit.
PLACING = {
    **dict.fromkeys(_topics(Member, "Registered", "Transferred"), "unit"),
    **dict(zip(_topics(Unit, "Registered", "Moved", "Merged"), ("parent", "to_parent", "into"), strict=True)),
}


def still_open(tree: Tree, federation: str, codes: Iterable[str | None]) -> list[NoneOf]:
    """The units `codes` of `federation` (under any home it reaches) have not ended."""
    named = sorted({code for code in codes if code})
    if not named:
        return []
    homes = tree.reachable(federation)
    ids = tuple(Unit.id_for(home, code) for code in named for home in homes)
    shown = ", ".join(named[:5]) + (", …" if len(named) > 5 else "")
    refusal = (
        f"unit(s) {shown} ended while this was being stored; nothing was stored; read the tree "
        "again and place them in a unit that goes on"
    )
    return [NoneOf(ids, ENDINGS, refusal)]


def placed_in(tree: Tree, federation: str, aggregates: Iterable[Aggregate]) -> list[NoneOf]:
    """`still_open` for the units the new members and units of a list are placed in."""
    codes: set[str | None] = set()
    for aggregate in aggregates:
        if isinstance(aggregate, Member):
            codes.add(aggregate.unit)
        elif isinstance(aggregate, Unit):
            codes.add(aggregate.parent)
    return still_open(tree, federation, codes)


def nobody_placed_since(mapper: Any, position: int | None, code: str) -> list[NoneSince]:
    """Nobody and no unit was placed in unit `code` after `position` (none: no condition, the
    caller read nothing from the read model)."""
    if position is None:
        return []

    def refuses(stored: list[StoredEvent]) -> str | None:
        for record in stored:
            event = mapper.to_domain_event(record)
            if getattr(event, PLACING[record.topic], None) == code:
                return (
                    f"someone or some unit was placed in unit '{code}' while this change was being "
                    "stored; nothing was stored; send it again"
                )
        return None

    return [NoneSince(position, tuple(PLACING), refuses)]
