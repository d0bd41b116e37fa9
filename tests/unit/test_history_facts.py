"""A list of nominations reads its subjects' histories as facts folded from the stored events
(HistoryFacts.fold), not as rebuilt History aggregates: both must agree on every history, and the
fold must step aside for anything it does not take exactly as History's handlers do."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from eventsourcing.persistence import StoredEvent

from services.awards.application.app import AwardsApplication
from services.awards.application.history_facts import _fold
from services.awards.domain.history import History, opened
from shared.kernel.settings import AwardsSettings

META = {"actor": "clerk", "scope": "ld-a"}


@pytest.fixture
def app() -> AwardsApplication:
    return AwardsApplication(AwardsSettings(database_url="memory://"), today=lambda: date(2025, 12, 10))


def _history(*steps: Callable[[History], None]) -> History:
    history = opened(federation="ld-a", subject_kind="member", subject_code="m-1", meta=META)
    for step in steps:
        step(history)
    return history


def _stored(app: AwardsApplication, history: History) -> list[StoredEvent]:
    return [app.mapper.to_stored_event(e) for e in history.collect_events()]


HISTORIES: dict[str, list[Callable[[History], None]]] = {
    "opened only": [],
    "ratings, a year corrected": [
        lambda h: h.record_rating("A", "cd-1", 2023, "good", META),
        lambda h: h.record_rating("A", "cd-1", 2024, "excellent", META),
        lambda h: h.record_rating("A", "cd-1", 2023, "excellent", META),
    ],
    "discipline, then cleared": [
        lambda h: h.record_discipline("A", "cd-1", 2024, "review", date(2024, 3, 1), META),
        lambda h: h.record_discipline("A", "cd-1", 2024, "cleared", date(2024, 5, 1), META),
    ],
    "grants revoked, cancelled, noted again": [
        lambda h: h.note_grant("g-1", "ldtt", 2023, "grassroots", "regular", META),
        lambda h: h.note_grant("g-2", "cstdxs", 2024, "grassroots", "thematic", META),
        lambda h: h.note_revocation("g-1", META),
        lambda h: h.note_cancellation("g-2", META),
        lambda h: h.note_revocation("g-unknown", META),
        lambda h: h.note_grant("g-1", "ldtt", 2023, "grassroots", "regular", META),
    ],
}


@pytest.mark.parametrize("case", list(HISTORIES))
def test_the_fold_gives_the_histories_own_facts(app: AwardsApplication, case: str) -> None:
    """Given a history, when its stored events are folded, then the facts are the aggregate's."""
    history = _history(*HISTORIES[case])
    assert _fold(_stored(app, history)) == history.facts()


def _edited(stored: list[StoredEvent], at: int, change: Callable[[dict], None]) -> list[StoredEvent]:
    state = json.loads(stored[at].state)
    change(state)
    out = list(stored)
    out[at] = StoredEvent(
        stored[at].originator_id, stored[at].originator_version, stored[at].topic, json.dumps(state).encode()
    )
    return out


STEPS_ASIDE: dict[str, Callable[[list[StoredEvent]], list[StoredEvent]]] = {
    "an upcast event": lambda s: _edited(s, 1, lambda st: st.update(class_version=2)),
    "a year that is not a number": lambda s: _edited(s, 1, lambda st: st.update(year="2023")),
    "a rating that is not text": lambda s: _edited(
        s, 1, lambda st: st.update(rating={"_type_": "x", "_data_": "y"})
    ),
    "a missing field": lambda s: _edited(s, 2, lambda st: st.pop("occasion")),
    "a gap in the versions": lambda s: [s[0], *s[2:]],
    "no opening event": lambda s: s[1:],
    "another event": lambda s: [*s[:2], StoredEvent(s[0].originator_id, 3, "x.y:Z.Happened", b"{}")],
    "a state that is not JSON": lambda s: _edited_raw(s, 1, b"{not json"),
}


def _edited_raw(stored: list[StoredEvent], at: int, state: bytes) -> list[StoredEvent]:
    e = stored[at]
    return [
        *stored[:at],
        StoredEvent(e.originator_id, e.originator_version, e.topic, state),
        *stored[at + 1 :],
    ]


@pytest.mark.parametrize("case", list(STEPS_ASIDE))
def test_the_fold_steps_aside_for_what_it_does_not_take(app: AwardsApplication, case: str) -> None:
    """Given stored events the handlers would not take exactly so, when folded, then the fold
    answers None (the History is rebuilt instead)."""
    history = _history(
        lambda h: h.record_rating("A", "cd-1", 2023, "good", META),
        lambda h: h.note_grant("g-1", "ldtt", 2023, "grassroots", "regular", META),
    )
    assert _fold(STEPS_ASIDE[case](_stored(app, history))) is None


def test_the_application_reads_a_historys_facts(app: AwardsApplication) -> None:
    """Given a stored history, when the application reads its facts, then they are its own."""
    history = _history(*HISTORIES["grants revoked, cancelled, noted again"])
    app.save(history)
    assert app.history_facts([history.id, History.id_for("ld-a", "member", "nobody")]) == {
        history.id: app.find(History, history.id).facts()  # type: ignore[union-attr]
    }
