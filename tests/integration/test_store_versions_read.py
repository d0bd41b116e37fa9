"""Reading many aggregates' last versions at once (`ChainedRecorder.select_versions`, asked by a
list of nominations for thousands of histories) probes the primary key once per id: it never
scans the whole log, whatever the table's statistics say (a new table has none)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from services.awards.application.app import AwardsApplication
from services.awards.domain.history import History, opened
from shared.kernel.settings import AwardsSettings
from tests.support import Isolation

META = {"actor": "clerk", "scope": "ld-a"}
HISTORIES = 3000


@pytest.fixture
def awards(isolation: Isolation) -> Iterator[AwardsApplication]:
    """Awards' store holding 3,000 histories, each opened and rated (two events), not analysed."""
    app = AwardsApplication(isolation.settings(AwardsSettings))
    histories = []
    for i in range(HISTORIES):
        history = opened(federation="ld-a", subject_kind="member", subject_code=f"m-{i}", meta=META)
        history.record_rating("A", "cd-1", 2024, "good", META)
        histories.append(history)
    app.save(*histories)
    yield app
    app.close()


def test_the_last_versions_of_many_aggregates_are_read_as_stored(awards: AwardsApplication) -> None:
    ids = [History.id_for("ld-a", "member", f"m-{i}") for i in range(0, HISTORIES, 7)]
    missing = uuid.uuid4()
    # When the versions of some stored histories and of an id never stored are read
    versions = awards.recorder.select_versions([*ids, missing])  # type: ignore[attr-defined]
    # Then each stored one answers its last version, and the one never stored is absent
    assert versions == dict.fromkeys(ids, 2)


def test_reading_the_versions_of_thousands_never_scans_the_whole_log(
    isolation: Isolation, awards: AwardsApplication
) -> None:
    ids = [History.id_for("ld-a", "member", f"m-{i}").hex for i in range(HISTORIES)]
    # When PostgreSQL plans the read of every history's version on a table it has not analysed
    with psycopg.connect(isolation.database_url) as conn:
        plan = conn.execute(
            "EXPLAIN " + awards.recorder.versions_sql,  # type: ignore[attr-defined]
            ("{" + ",".join(ids) + "}",),
        ).fetchall()
    # Then it reads the events through their index, one id at a time
    text = "\n".join(row[0][:120] for row in plan)
    assert "Seq Scan" not in text and "Index" in text, text
