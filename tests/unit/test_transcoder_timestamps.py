"""Every event's timestamp goes through the fast encoder's own path (orjson writes a UTC datetime
as isoformat() does): written byte for byte as with the stdlib encoder, and other datetimes read
back as with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.unit.test_transcoder import assert_same_outcome, fast, reference

UTC_TIMES = [
    datetime(2026, 12, 7, 4, 21, 46, 394375, tzinfo=UTC),
    datetime(2026, 12, 7, 4, 21, 46, tzinfo=UTC),  # no microseconds: none written
    datetime(2026, 12, 7, 4, 21, 46, 5, tzinfo=UTC),
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
]


@pytest.mark.parametrize("at", UTC_TIMES)
def test_a_utc_timestamp_is_written_byte_for_byte_as_with_the_stdlib(at: datetime) -> None:
    state = {"timestamp": at, "nested": [{"at": at}]}
    assert fast().encode(state) == reference().encode(state)


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 12, 7, 11, 0, 0, 5, tzinfo=timezone(timedelta(hours=7))),
        datetime(2026, 12, 7, 11, 0, 0, 5),
    ],
    ids=["another zone", "naive"],
)
def test_any_other_datetime_reads_back_as_with_the_stdlib(at: datetime) -> None:
    assert_same_outcome({"at": at})
    assert fast().encode({"at": at}) == reference().encode({"at": at})
