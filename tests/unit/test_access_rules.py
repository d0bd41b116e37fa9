"""Who may grant what (domain.access): an admin within their own scope, nobody beyond it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.registration.domain.access import Assignment, check_granter
from shared.kernel.errors import Forbidden

ADMIN = frozenset({"admin"})


@pytest.mark.parametrize(
    ("scope", "target"),
    [
        ("*", "*"),
        ("*", "bac-kan"),
        ("bac-kan", "bac-kan"),
        ("bac-kan", "bac-kan/tp-1/cdcs-a"),
        ("bac-kan/tp-1", "bac-kan/tp-1/cdcs-a"),
    ],
)
def test_an_admin_grants_within_their_scope(scope: str, target: str) -> None:
    check_granter(ADMIN, scope, target)


@pytest.mark.parametrize(
    ("roles", "scope", "target"),
    [
        (ADMIN, "bac-kan", "*"),
        (ADMIN, "bac-kan", "cao-bang"),
        (ADMIN, "bac-kan/tp-1", "bac-kan"),
        (ADMIN, "bac-kan/tp-1", "bac-kan/tp-2"),
        (frozenset({"clerk", "approver", "auditor"}), "*", "bac-kan"),
    ],
)
def test_nobody_grants_beyond_their_scope_or_without_admin(
    roles: frozenset[str], scope: str, target: str
) -> None:
    with pytest.raises(Forbidden):
        check_granter(roles, scope, target)


def test_an_assignment_revoked_on_a_day_could_still_act_that_day_but_not_after() -> None:
    granted = datetime(2024, 3, 1, 2, tzinfo=UTC)
    held = Assignment("a", "approver", "bac-kan", None, (), date(2024, 3, 1), granted, "x", None, "r")
    revoked = Assignment(**{**held.__dict__, "revoked_at": granted + timedelta(days=14)})
    assert revoked.active_during(date(2024, 3, 15)) and not revoked.active_during(date(2024, 3, 16))
    assert not revoked.active_during(date(2024, 2, 29))
    assert revoked.allows("decision.issue") and not revoked.allows("council.vote")
