"""The console says in Vietnamese why nobody is placed in a unit that has ended (registration's
Unit.refuse_placement), with the day it ended and, for a merge, the unit that took over."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from services.console.application.problems import vietnamese
from services.registration.application.placement_guards import nobody_placed_since, still_open
from services.registration.domain.organisation import Unit
from shared.kernel.errors import Invalid


def unit_b() -> Unit:
    return Unit(
        federation="bac-kan",
        code="cdcs-b",
        name="CĐCS B",
        kind="grassroots",
        parent="tp",
        ancestry=["tp", "cdcs-b"],
        effective_on=date(2020, 1, 1),
        meta={},
    )


def refusal(unit: Unit) -> str:
    with pytest.raises(Invalid) as refused:
        unit.refuse_placement("unit")
    return refused.value.errors[0].message


def test_a_placement_in_a_dissolved_unit_is_explained_with_its_day() -> None:
    unit = unit_b()
    unit.dissolve("bac-kan", date(2025, 7, 1), {})
    text, translated = vietnamese("unit", refusal(unit))
    assert translated
    assert text.startswith("Đơn vị đã giải thể từ ngày 01/07/2025")


def test_a_placement_in_a_merged_unit_names_the_unit_that_took_over() -> None:
    unit = unit_b()
    unit.merge_into("bac-kan", "cdcs-a", date(2025, 7, 1), {})
    text, translated = vietnamese("unit", refusal(unit))
    assert translated
    assert text.startswith("Đơn vị đã sáp nhập vào cdcs-a từ ngày 01/07/2025")
    assert text.endswith("chọn cdcs-a")


def test_a_unit_that_has_not_ended_takes_placements() -> None:
    unit_b().refuse_placement("unit")  # nothing raised


class OneHome:
    """The tree's `reachable`, for a federation that absorbed none."""

    def reachable(self, federation: str) -> list[str]:
        return [federation]


def test_a_unit_ending_while_a_placement_was_stored_is_said_in_vietnamese() -> None:
    [guard] = still_open(OneHome(), "bac-kan", ["cdcs-b"])  # type: ignore[arg-type]
    text, translated = vietnamese("body", guard.refusal)
    assert translated and text.startswith("Đơn vị cdcs-b vừa kết thúc hoạt động trong lúc lưu")


def test_a_placement_while_an_ending_was_stored_is_said_in_vietnamese() -> None:
    class Placed:
        unit = "cdcs-b"

    class Mapper:
        def to_domain_event(self, record: object) -> Placed:
            return Placed()

    [guard] = nobody_placed_since(Mapper(), 0, "cdcs-b")
    topic = guard.topics[0]  # a member registered
    refusal = guard.refuses([StoredEvent(uuid4(), 1, topic, b"{}")])
    assert refusal is not None
    text, translated = vietnamese("body", refusal)
    assert translated and text.startswith("Vừa có đoàn viên hoặc đơn vị được xếp vào cdcs-b")
