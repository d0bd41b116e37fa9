"""`Outside.of` makes the very Outside the dataclass makes, field for field; it stays frozen."""

from __future__ import annotations

import dataclasses

import pytest

from services.awards.application.subjects import Outside


def test_given_every_field_then_of_makes_what_the_dataclass_makes() -> None:
    given = {
        "name": "CĐCS A",
        "unit": "cdcs-a",
        "unit_path": ["tp", "cdcs-a"],
        "pledges": frozenset({("ttldtt", 2025)}),
        "initiatives": {2025: 1},
        "acclaimed": frozenset({2024}),
        "members": ("dv-1", "dv-2"),
        "formerly": ("bac-kan-cu",),
        "former_codes": ("cdcs-a-cu",),
    }
    made, expected = Outside.of(**given), Outside(**given)
    assert made == expected
    assert vars(made) == vars(expected) and list(vars(made)) == [f.name for f in dataclasses.fields(Outside)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.unit = "other"  # type: ignore[misc]
