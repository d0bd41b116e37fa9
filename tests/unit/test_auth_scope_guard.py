"""shared.web.scope_guard: what a unit-scoped token may read back."""

from __future__ import annotations

from shared.auth.principal import Principal
from shared.web.scope_guard import outside

CLERK = Principal("x", "bac-kan/tp/cdcs-a", frozenset({"clerk"}))


def test_resources_inside_the_subtree_pass_and_any_outside_trips() -> None:
    mine = {"federation": "bac-kan", "code": "dv-1", "unit_path": "tp/cdcs-a"}
    below = {"code": "to-1", "kind": "collective", "path": "tp/cdcs-a/to-1"}
    sibling = {"federation": "bac-kan", "code": "dv-2", "unit_path": ["tp", "cdcs-b"]}
    parent = {"code": "tp", "kind": "upper", "path": "tp"}
    federation_wide = {"federation": "bac-kan", "code": "td-2023", "awards": ["ldtt"], "path": "x"}
    assert not outside({"items": [mine, below, federation_wide]}, CLERK, "bac-kan")
    assert outside({"items": [mine, sibling]}, CLERK, "bac-kan")
    assert outside({"deep": {"er": [[parent]]}}, CLERK, "bac-kan")
    assert outside({**mine, "federation": "cao-bang"}, CLERK, "bac-kan")
    assert outside(below, CLERK, "cao-bang")  # placed by the path's federation when it has none
    assert not outside("tp/cdcs-b", CLERK, "bac-kan")  # a bare string places nothing


def test_a_unit_named_without_its_placement_trips() -> None:
    own = {"federation": "bac-kan", "unit": "cdcs-a", "unit_path": "tp/cdcs-a", "score": 9}
    placed_below = {"unit": "to-1", "unit_path": ["tp", "cdcs-a", "to-1"]}
    assert not outside({"items": [own, placed_below, {"unit": None}]}, CLERK, "bac-kan")
    assert outside({"rows": [{"unit": "to-1", "score": 1}]}, CLERK, "bac-kan")  # inside? nothing says
    assert outside({"by_unit": [{"unit": "cdcs-b", "pledged": 1}]}, CLERK, "bac-kan")
    assert outside({"unit": "cdcs-a"}, CLERK, "bac-kan")  # even its own: every unit carries its path


def test_an_answer_the_screen_cannot_read_passes_only_once_its_endpoint_vouched() -> None:
    import pytest

    from shared.kernel.errors import NotFound
    from shared.web.scope_guard import VOUCHED, vouch

    scope: dict = {}
    with pytest.raises(NotFound):
        vouch(scope, {"rows": [{"unit": "cdcs-b", "unit_path": "tp/cdcs-b"}]}, CLERK, "bac-kan")
    assert VOUCHED not in scope.get("state", {})
    vouch(scope, {"rows": [{"unit": "cdcs-a", "unit_path": "tp/cdcs-a"}]}, CLERK, "bac-kan")
    assert scope["state"][VOUCHED]
    template: dict = {}
    vouch(template, None, CLERK, "bac-kan")  # a template: no records at all
    assert template["state"][VOUCHED]
