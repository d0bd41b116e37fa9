"""With replicas, awards' consumer of registration's events applies them in whatever order the bus
hands them out: a unit's moves keep the unit's version on its row, so an older move applied
after a newer one changes nothing, and its subtree ends where the latest move put it; a member
registered or transferred under a unit whose move was applied first sits where the unit is now."""

from __future__ import annotations

import itertools
from typing import Any

from services.awards.bootstrap import build_app, parts_of, runtime
from shared.kernel.settings import AwardsSettings
from tests.integration.awards_http import registration
from tests.support import Isolation, in_process


def _unit(code: str, ancestry: list[str]) -> dict[str, Any]:
    return registration(
        "unit-registered", {"code": code, "name": code, "kind": "grassroots", "ancestry": ancestry}
    )


GIVEN = [
    _unit("tp", ["tp"]),
    _unit("cdcs-b", ["tp", "cdcs-b"]),
    _unit("cdcs-c", ["tp", "cdcs-c"]),
    _unit("cdcs-a", ["tp", "cdcs-a"]),
    _unit("to-1", ["tp", "cdcs-a", "to-1"]),
    registration(
        "member-registered",
        {"code": "dv-1", "full_name": "dv-1", "unit": "to-1", "unit_path": ["tp", "cdcs-a", "to-1"]},
    ),
]
# cdcs-a moves under cdcs-b, then under cdcs-c, then back under tp (its versions 2, 3, 4)
MOVES = [
    registration("unit-moved", {"code": "cdcs-a", "ancestry": ancestry, "effective_on": "2025-01-01"}, v)
    for v, ancestry in (
        (2, ["tp", "cdcs-b", "cdcs-a"]),
        (3, ["tp", "cdcs-c", "cdcs-a"]),
        (4, ["tp", "cdcs-b", "cdcs-a"]),
    )
]


async def _subjects_after(isolation: Isolation, schema: str, events: list[dict[str, Any]]) -> list[str]:
    settings = isolation.settings(AwardsSettings).model_copy(update={"schema_name": schema})
    rt = runtime(settings, frozenset({"api"}))
    async with in_process(rt, build_app), rt.db.acquire() as conn:
        for e in [*GIVEN, *events]:
            async with conn.transaction():
                await parts_of(rt).facts.handle(conn, e)
        rows = await conn.fetch(f'SELECT t::text AS r FROM "{schema}".subjects t ORDER BY kind, code')
    return [r["r"] for r in rows]


async def test_a_units_moves_give_the_same_subjects_in_any_order(isolation: Isolation) -> None:
    """Given a unit with a subunit and a member, when its three moves are applied in each order,
    then every subject's path (and the unit's version) is what applying them in order gives."""
    expected = await _subjects_after(isolation, "in_order", MOVES)
    assert any(r.startswith("(bac-kan,member,dv-1,") and "{tp,cdcs-b,cdcs-a,to-1}" in r for r in expected)
    for i, order in enumerate(itertools.permutations(MOVES)):
        if list(order) != MOVES:
            assert await _subjects_after(isolation, f"order_{i}", list(order)) == expected, i


async def test_members_placed_before_their_units_move_end_under_it_in_any_order(isolation: Isolation) -> None:
    """Given a unit's move, a member registered under it and another transferred into it (both
    before the move, with the paths of then), when the three are applied in each order, then both
    members sit under the unit where it moved, as in order."""
    events = [
        registration(
            "member-registered",
            {"code": "dv-2", "full_name": "dv-2", "unit": "to-1", "unit_path": ["tp", "cdcs-a", "to-1"]},
        ),
        registration(
            "member-transferred",
            {"code": "dv-1", "unit": "cdcs-a", "unit_path": ["tp", "cdcs-a"], "effective_on": "2025-01-01"},
            2,
        ),
        MOVES[0],
    ]
    expected = await _subjects_after(isolation, "placed_in_order", events)
    assert sum("{tp,cdcs-b,cdcs-a" in r for r in expected) == 4, expected  # cdcs-a, to-1, dv-1, dv-2
    for i, order in enumerate(itertools.permutations(events)):
        if list(order) != events:
            assert await _subjects_after(isolation, f"placed_{i}", list(order)) == expected, i


async def test_a_transfer_applied_before_the_members_registration_stands(isolation: Isolation) -> None:
    """Given a member's registration and transfer, when the transfer is applied first, then the
    member sits where the transfer put it, as in order."""
    events = [
        registration(
            "member-registered",
            {"code": "dv-4", "full_name": "dv-4", "unit": "cdcs-b", "unit_path": ["tp", "cdcs-b"]},
        ),
        registration(
            "member-transferred",
            {"code": "dv-4", "full_name": "dv-4", "unit": "cdcs-c", "unit_path": ["tp", "cdcs-c"]}
            | {"effective_on": "2025-01-01"},
            2,
        ),
    ]
    expected = await _subjects_after(isolation, "transfer_in_order", events)
    assert '(bac-kan,member,dv-4,dv-4,cdcs-c,"{tp,cdcs-c}",,2)' in expected, expected
    assert await _subjects_after(isolation, "transfer_first", events[::-1]) == expected
