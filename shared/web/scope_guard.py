"""A tripwire for unit-scoped reads: an answer to a unit-scoped token that holds any record placed
outside the token's subtree, or naming a unit it cannot place, is replaced by a 404.

Endpoints are expected to check the subtree themselves (and answer an out-of-scope record
exactly as a missing one); this catches the ones that forget (I5), so the failure mode of a
missing check is a refusal, not a leak.

* A JSON answer is read whole. A record is placed by its `unit_path` (a member, pledge, grant,
  initiative …) or, for a unit (an object with a unit `kind`), its `path`: the unit codes from the
  top of the federation down, as a list or joined with "/". A record that names a `unit` by code
  must carry its placement too: without one it is taken for outside.
* Any other answer (an .xlsx export, a template) cannot be read here, so it goes through only if
  its endpoint vouched for it (`vouch`): it checked the data the answer is rendered from with the
  same rules, or the answer carries no records at all."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from shared.auth.permissions import scope_covers
from shared.auth.principal import Principal
from shared.kernel.errors import DomainError, NotFound
from shared.web import problems

UNIT_KINDS = frozenset({"upper", "grassroots", "collective", "block"})
REFUSAL = "the resource does not exist in your scope"
VOUCHED = "screened"  # set in scope["state"] by `vouch`


def _placement(node: dict[str, Any]) -> list[str] | None:
    raw = node.get("unit_path") if "unit_path" in node else None
    kind = node.get("kind")
    if raw is None and isinstance(kind, str) and kind in UNIT_KINDS:
        raw = node.get("path")
    if isinstance(raw, str):
        return [p for p in raw.split("/") if p]
    if isinstance(raw, list) and all(isinstance(p, str) for p in raw):
        return raw
    return None


def outside(node: Any, principal: Principal, federation: str | None) -> bool:
    """Whether anything in `node` is placed outside the principal's subtree, or names a unit
    without its placement."""
    if isinstance(node, list):
        return any(outside(item, principal, federation) for item in node)
    if not isinstance(node, dict):
        return False
    fed = node.get("federation") if isinstance(node.get("federation"), str) else federation
    path = _placement(node)
    if path is not None:
        if fed is not None and not scope_covers(principal.scope, fed, tuple(path)):
            return True
    elif isinstance(node.get("unit"), str) and node["unit"]:
        return True  # names a unit by code, and nothing says where it sits
    return any(outside(value, principal, fed) for value in node.values())


def require_inside(body: Any, principal: Principal, federation: str | None, missing: DomainError) -> None:
    """An endpoint's own check of what it is about to answer a unit-scoped principal: `missing`
    (the error the resource gives when it does not exist) if the answer would be refused."""
    if principal.unit_path and outside(body, principal, federation):
        raise missing


def vouch(
    scope: Scope,
    body: Any,
    principal: Principal,
    federation: str | None,
    missing: DomainError | None = None,
) -> None:
    """For an answer the gate cannot read (an .xlsx), rendered from `body` (None: it carries no
    records): check `body` as a JSON answer would be checked, then let the answer through."""
    if body is not None:
        require_inside(body, principal, federation, missing or NotFound(REFUSAL))
    scope.setdefault("state", {})[VOUCHED] = True


def screened(
    send: Send, scope: Scope, receive: Receive, principal: Principal, federation: str | None
) -> Send:
    """`send`, holding back a JSON answer until it is complete and checked, and refusing any
    other successful answer its endpoint did not vouch for."""
    held: Message | None = None
    chunks: list[bytes] = []
    refused = False

    async def refuse() -> None:
        await problems.from_error(NotFound(REFUSAL))(scope, receive, send)

    async def wrapped(message: Message) -> None:
        nonlocal held, refused
        if refused:
            return
        if message["type"] == "http.response.start":
            content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            if content_type.startswith(b"application/json"):
                held = message
                return
            status = int(message.get("status", 200))
            if 200 <= status < 300 and not scope.get("state", {}).get(VOUCHED):
                refused = True
                await refuse()
                return
        if held is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(chunks)
        try:
            leaks = outside(json.loads(body), principal, federation)
        except ValueError:
            leaks = False
        if leaks:
            await refuse()
            return
        await send(held)
        await send({"type": "http.response.body", "body": body})

    return wrapped
