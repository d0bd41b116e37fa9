"""The authorisation table in the README is the one in code (`PERMISSIONS`, `UNIT_ACTIONS`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.auth.permissions import PERMISSIONS, ROLES, UNIT_ACTIONS, is_read
from shared.auth.principal import Principal
from shared.kernel.errors import Forbidden

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `([\w.:-]+)` \| ([^|]+) \| (yes|no) \|", re.MULTILINE)


def test_the_readme_table_lists_every_action_with_its_roles_and_unit_scope() -> None:
    documented = {}
    for action, roles, unit in ROW.findall(README.read_text()):
        names = set(ROLES) if roles.strip() == "every role" else {r.strip() for r in roles.split(",")}
        documented[action] = (frozenset(names), unit == "yes")
    in_code = {action: (roles, action in UNIT_ACTIONS) for action, roles in PERMISSIONS.items()}
    assert documented == in_code


def test_unit_actions_are_permissions_and_readers_never_write() -> None:
    assert UNIT_ACTIONS.issubset(PERMISSIONS)
    for role in ("reader", "auditor"):
        assert not Principal("x", "bac-kan", frozenset({role})).may_write()
    writes = [a for a in PERMISSIONS if not is_read(a)]
    assert all("reader" not in PERMISSIONS[a] for a in writes)


def test_a_unit_scoped_token_is_refused_federation_wide_actions() -> None:
    clerk = Principal("x", "bac-kan/cdcs-a", frozenset(ROLES))
    for action in PERMISSIONS:
        if action in UNIT_ACTIONS:
            clerk.require(action, "bac-kan")
        else:
            with pytest.raises(Forbidden):
                clerk.require(action, "bac-kan")
