"""A period in each form a client, a sheet or a form may write it (shared.kernel.periods)."""

from __future__ import annotations

import pytest

from shared.kernel import periods
from shared.kernel.periods import Period


@pytest.mark.parametrize(
    ("written", "period"),
    [
        ("2023", Period("year", 2023, 2023)),
        (2023, Period("year", 2023, 2023)),
        ("Năm 2023", Period("year", 2023, 2023)),
        ("school-year:2022-2023", Period("school-year", 2022, 2023)),
        ("2022-2023", Period("school-year", 2022, 2023)),
        ("Năm học 2022 – 2023", Period("school-year", 2022, 2023)),
        ("nam hoc 2022-2023", Period("school-year", 2022, 2023)),
        ("phase:2021-2023", Period("phase", 2021, 2023)),
        ("2021–2023", Period("phase", 2021, 2023)),
        ("Giai đoạn 2021–2023", Period("phase", 2021, 2023)),
        ("Nhiệm kỳ 2023 - 2028", Period("phase", 2023, 2028)),
        ({"kind": "phase", "from": 2021, "to": 2023}, Period("phase", 2021, 2023)),
    ],
)
def test_a_period_written_in_any_form_reads_as_the_same_period(written: object, period: Period) -> None:
    assert periods.parse(written) == period


@pytest.mark.parametrize(
    "written",
    [
        "school-year:2021-2023",  # a school year is one year to the next
        "phase:2023-2023",  # a phase is at least two years
        "phase:2010-2023",  # and at most ten
        {"kind": "year", "from": 2022, "to": 2023},
        "2023-2021",
        "năm 2023 ; DROP",
        {"kind": "decade", "from": 2020, "to": 2029},
        True,
        {"kind": "year", "from": True, "to": 1},  # a bool is no year, though True == 1
        {"kind": "year", "from": None, "to": None},
        {"kind": "phase", "from": "2021", "to": 2023},
    ],
)
def test_what_is_no_period_is_refused_saying_why(written: object) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        periods.parse(written)


@pytest.mark.parametrize("bounds", [{"from": True, "to": 2024}, {"from": 2024, "to": True}, {"to": False}])
def test_a_bool_for_either_year_is_refused_as_no_number(bounds: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="years as numbers"):
        periods.parse({"kind": "year", **bounds})


def test_a_period_counts_for_the_year_it_ends_in_and_keys_a_calendar_year_by_its_number() -> None:
    phase = periods.parse("Giai đoạn 2021–2023")
    assert (phase.year, phase.key, phase.label) == (2023, "phase:2021-2023", "Giai đoạn 2021–2023")
    assert periods.calendar(2023).key == "2023"  # the grant ids of before periods
    assert periods.of(None, 2022) == Period("year", 2022, 2022)


def test_a_stored_period_read_again_is_the_same_period_and_a_bad_one_is_refused_each_time() -> None:
    stored = {"kind": "school-year", "from": 2022, "to": 2023}
    assert periods.parse(stored) is periods.parse(dict(stored)) == Period("school-year", 2022, 2023)
    assert periods.parse({"kind": "year", "to": 2024}) == Period("year", 2024, 2024)
    for _ in range(2):
        with pytest.raises(ValueError, match="same year"):
            periods.parse({"kind": "year", "from": 2022, "to": 2023})
