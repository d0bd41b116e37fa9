"""shared.screen: what a unit-scoped token may read back."""

from __future__ import annotations

from shared.auth import Principal
from shared.screen import outside

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
