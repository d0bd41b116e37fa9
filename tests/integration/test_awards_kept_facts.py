"""Histories' facts kept between commands (application/history_facts.py) are used only for the
version stored now: another copy of awards writing the same history is seen on the next read,
and a save that failed leaves nothing kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from eventsourcing.persistence import IntegrityError

from services.awards.application.app import AwardsApplication
from services.awards.domain.history import History, opened
from shared.kernel.settings import AwardsSettings
from tests.support import Isolation

META = {"actor": "clerk", "scope": "ld-a"}


@pytest.fixture
def copies(isolation: Isolation) -> Iterator[tuple[AwardsApplication, AwardsApplication]]:
    """Two copies of awards on one store, and a history the first has saved (rated 2023 good)."""
    settings = isolation.settings(AwardsSettings)
    first = AwardsApplication(settings, today=lambda: date(2025, 12, 10))
    second = AwardsApplication(settings, today=lambda: date(2025, 12, 10))
    history = opened(federation="ld-a", subject_kind="member", subject_code="m-1", meta=META)
    history.record_rating("A", "cd-1", 2023, "good", META)
    first.save(history)
    yield first, second
    for app in (first, second):
        app.close()


def test_a_history_changed_by_another_copy_is_read_as_it_now_stands(
    copies: tuple[AwardsApplication, AwardsApplication],
) -> None:
    first, second = copies
    hid = History.id_for("ld-a", "member", "m-1")
    assert first.history_facts([hid])[hid].ratings == {2023: "good"}
    # When the other copy records the 2024 rating
    other = second.find(History, hid)
    assert other is not None
    other.record_rating("A", "cd-1", 2024, "excellent", META)
    second.save(other)
    # Then the first copy reads it
    assert first.history_facts([hid])[hid].ratings == {2023: "good", 2024: "excellent"}


def test_a_save_that_failed_leaves_the_stored_facts(
    copies: tuple[AwardsApplication, AwardsApplication],
) -> None:
    first, second = copies
    hid = History.id_for("ld-a", "member", "m-1")
    stale = first.find(History, hid)
    other = second.find(History, hid)
    assert stale is not None and other is not None
    other.record_rating("A", "cd-1", 2024, "good", META)
    second.save(other)
    # When the first copy saves a change made to the version before
    stale.record_rating("A", "cd-1", 2024, "incomplete", META)
    with pytest.raises(IntegrityError):
        first.save(stale)
    # Then it reads what is stored
    assert first.history_facts([hid])[hid].ratings == {2023: "good", 2024: "good"}


def test_kept_facts_are_the_stored_ones(copies: tuple[AwardsApplication, AwardsApplication]) -> None:
    first, second = copies
    hid = History.id_for("ld-a", "member", "m-1")
    history = first.find(History, hid)
    assert history is not None
    history.record_discipline("A", "cd-1", 2024, "review", date(2024, 3, 1), META)
    history.note_grant("g-1", "ldtt", 2023, "grassroots", "regular", META)
    first.save(history)  # kept by the first copy; the second reads it from the store
    assert first.history_facts([hid]) == second.history_facts([hid]) == {hid: history.facts()}
