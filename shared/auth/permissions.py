"""Roles, who may do what, and what a scope covers."""

from __future__ import annotations

import re

ROLES = ("admin", "clerk", "council", "approver", "auditor", "reader")

# Who may do what: the one table every endpoint checks against (README, "Authorisation").
PERMISSIONS: dict[str, frozenset[str]] = {
    "federation.create": frozenset({"admin"}),
    "federation.merge": frozenset({"admin"}),
    "covenant.write": frozenset({"admin", "clerk"}),
    "tree.write": frozenset({"admin", "clerk"}),
    "movement.launch": frozenset({"admin"}),
    "pledge.submit": frozenset({"admin", "clerk"}),
    "pledge.review": frozenset({"admin"}),
    "target.assign": frozenset({"admin", "clerk"}),
    "initiative.write": frozenset({"admin", "clerk"}),
    "initiative.recognise": frozenset({"admin", "council"}),
    "work.write": frozenset({"admin", "clerk"}),
    "catalogue.write": frozenset({"admin"}),
    "history.record": frozenset({"admin", "clerk"}),
    "nomination.submit": frozenset({"admin", "clerk"}),
    "council.manage": frozenset({"admin"}),
    "council.vote": frozenset({"council"}),
    "decision.issue": frozenset({"admin", "approver"}),
    "grant.revoke": frozenset({"admin", "approver"}),
    "grant.import": frozenset({"admin"}),
    "nomination.forward": frozenset({"admin", "approver"}),
    "policy.write": frozenset({"admin"}),
    "read": frozenset(ROLES),
    "audit.read": frozenset({"admin", "auditor"}),
    "feed.read": frozenset({"admin", "auditor", "reader"}),
    "subscription.manage": frozenset({"admin"}),
    # People and role assignments (registration, /v1/access): grant and revoke within one's own
    # scope; read who holds what (the people lists); audit.read for histories and who-could.
    "access.manage": frozenset({"admin"}),
    "access.read": frozenset({"admin", "auditor"}),
}

# What a unit-scoped user may do inside its unit's subtree (the endpoint then checks the subtree
# of every unit it touches). Every other action needs a federation-wide or national token, so an
# action added to PERMISSIONS is federation-wide until it is listed here.
UNIT_ACTIONS = frozenset(
    {
        "read",
        "tree.write",
        "covenant.write",
        "movement.launch",
        "pledge.submit",
        "pledge.review",
        "target.assign",
        "initiative.write",
        "initiative.recognise",
        "work.write",
        "nomination.submit",
        "history.record",
        "council.vote",
        # a unit's own councils (members of its subtree) and decisions (`unit:<code>`); the use
        # cases check the subtree
        "council.manage",
        "decision.issue",
        "access.manage",
        "access.read",
    }
)


# '*', or a federation code followed by unit codes (the code pattern of shared.kernel.commands.Code).
SCOPE = re.compile(r"\*|[a-z0-9][a-z0-9._-]{0,63}(/[a-z0-9][a-z0-9._-]{0,63})*")


def is_read(action: str) -> bool:
    return action == "read" or action.endswith(".read")


def scope_within(inner: str, outer: str) -> bool:
    """Whether every place `inner` reaches is reached by `outer` (both scopes)."""
    if outer == "*":
        return True
    if inner == "*":
        return False
    top, *path = inner.split("/")
    return scope_covers(outer, top, tuple(path))


def scope_covers(scope: str, federation: str, ancestry: tuple[str, ...]) -> bool:
    """Whether `scope` may act on a unit given as its codes from the top of its federation's
    tree (`()` for the federation itself)."""
    if scope == "*":
        return True
    top, *path = scope.split("/")
    return top == federation and tuple(ancestry[: len(path)]) == tuple(path)
