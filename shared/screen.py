"""A tripwire for unit-scoped reads: a JSON answer to a unit-scoped token that holds any resource
placed outside the token's subtree is replaced by a 404.

Endpoints are expected to filter by subtree themselves; this catches the ones that forget (I5),
so the failure mode of a missing check is a refusal, not a leak. A resource is placed by its
`unit_path` (a member, pledge, grant …) or, for a unit (an object with a unit `kind`), its `path`:
the unit codes from the top of the federation down, as a list or joined with "/"."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from shared import problems
from shared.auth import Principal, scope_covers
from shared.errors import NotFound

UNIT_KINDS = frozenset({"upper", "grassroots", "collective", "block"})


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
    """Whether anything in `node` is placed outside the principal's subtree."""
    if isinstance(node, list):
        return any(outside(item, principal, federation) for item in node)
    if not isinstance(node, dict):
        return False
    fed = node.get("federation") if isinstance(node.get("federation"), str) else federation
    path = _placement(node)
    if path is not None and fed is not None and not scope_covers(principal.scope, fed, tuple(path)):
        return True
    return any(outside(value, principal, fed) for value in node.values())


def screened(
    send: Send, scope: Scope, receive: Receive, principal: Principal, federation: str | None
) -> Send:
    """`send`, holding back a JSON answer until it is complete and checked."""
    held: Message | None = None
    chunks: list[bytes] = []

    async def wrapped(message: Message) -> None:
        nonlocal held
        if message["type"] == "http.response.start":
            content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            if content_type.startswith(b"application/json"):
                held = message
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
            await problems.from_error(NotFound("the resource does not exist in your scope"))(
                scope, receive, send
            )
            return
        await send(held)
        await send({"type": "http.response.body", "body": body})

    return wrapped
