"""`Facts.of` makes the very Facts the dataclass makes (every field, the same defaults), without
the frozen __init__'s cost; it stays frozen."""

from __future__ import annotations

import dataclasses

import pytest

from services.awards.domain.facts import Facts, GrantFact

FULL = {
    "ratings": {2024: "good", 2025: "excellent"},
    "disciplines": [(2023, "reprimand")],
    "grants": [GrantFact("ldtt", 2024, "grassroots")],
    "policy": {"pledge_required": True},
    "initiatives": {2025: 2},
    "pledges": frozenset({("cstd-co-so", 2025)}),
    "acclaimed": frozenset({2025}),
    "members": (Facts("member", "dv-2"),),
    "unit_counts": {("ldtt", 2025): 3},
}


@pytest.mark.parametrize(
    "given",
    [FULL, {k: FULL[k] for k in ("ratings", "disciplines", "grants", "policy")}],
    ids=["every field", "the defaults"],
)
def test_given_the_same_arguments_then_of_makes_what_the_dataclass_makes(given: dict) -> None:
    made, expected = Facts.of("unit", "cdcs-a", **given), Facts("unit", "cdcs-a", **given)
    assert made == expected
    assert [getattr(made, f.name) for f in dataclasses.fields(Facts)] == [
        getattr(expected, f.name) for f in dataclasses.fields(Facts)
    ]
    assert vars(made).keys() == vars(expected).keys()
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.subject_code = "other"  # type: ignore[misc]
