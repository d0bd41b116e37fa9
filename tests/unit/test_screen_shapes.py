from __future__ import annotations


def test_screening_survives_a_kind_that_is_not_a_string() -> None:
    from shared.auth.principal import Principal
    from shared.web.scope_guard import outside

    clerk = Principal("c", "bac-kan/tp/cdcs-a", frozenset({"reader"}))
    assert outside({"kind": {"type": "object"}, "items": [{"unit_path": ["tp", "cdcs-b"]}]}, clerk, "bac-kan")
    assert not outside({"kind": {"type": "object"}}, clerk, "bac-kan")
