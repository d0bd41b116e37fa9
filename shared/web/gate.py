"""Deny by default, before any route runs: every request but /health, /metrics, the docs,
awards' /v1/verify (a certificate's public check) and /v1/public (its disclosure board) needs a
valid token; a path under another
federation answers 404; a token with no role, or a write by roles that may only read, is 403; a
body over the limit is 413 even without a Content-Length.

Runs before routing and body parsing, so a refused caller never reaches validation (no 422
that tells a stranger how a body should look) and no endpoint can forget the check. Each
endpoint still checks its own action with `Principal.require` (role x scope); what a unit-scoped
token reads is screened for resources outside its subtree (`shared.web.scope_guard`: a JSON answer is
read whole; any other successful answer passes only if its endpoint vouched for its data)."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth.config import check_config
from shared.auth.principal import Principal
from shared.auth.tokens import verified
from shared.kernel.errors import DomainError, Forbidden, NotFound, Unauthorized
from shared.kernel.settings import ServiceSettings
from shared.web import problems
from shared.web.scope_guard import screened

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# /.well-known (registration's JWKS) and the token exchange, whose caller proves who it is with
# the provider's ID token in the body instead of a bearer token.
PUBLIC = (
    "/health",
    "/metrics",
    "/openapi.json",
    "/asyncapi",
    "/docs",
    "/redoc",
    "/.well-known",
    "/v1/access/tokens",
    "/v1/verify",  # awards' check of a certificate's code, for anyone holding one
    "/v1/public",  # what the law makes public: awards' board of nominations under disclosure
)


def is_public(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PUBLIC)


def federation_of(path: str) -> str | None:
    """The `{federation}` of a `/v1/federations/{federation}/…` path ("bac-kan:merge" → "bac-kan")."""
    parts = path.split("/")
    if len(parts) >= 4 and parts[1] == "v1" and parts[2] == "federations" and parts[3]:
        return parts[3].split(":")[0]  # as the router sees it: the ASGI path is already decoded
    return None


def bearer(headers: dict[str, str]) -> str:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("a bearer token is required")
    return token.strip()


async def admit(
    method: str, path: str, headers: dict[str, str], settings: ServiceSettings, jwks: Any
) -> Principal:
    principal = await verified(bearer(headers), settings, jwks)
    federation = federation_of(path)
    if federation is not None and not principal.covers(federation):
        raise NotFound(f"federation '{federation}' does not exist")
    if not principal.roles:
        raise Forbidden("the token grants no role")
    if method in WRITES and not principal.may_write():
        raise Forbidden(f"the roles {sorted(principal.roles)} may only read")
    return principal


class Gate:
    """ASGI middleware; the admitted principal is left in scope["state"]["principal"]."""

    def __init__(self, app: ASGIApp, runtime: Any) -> None:
        check_config(runtime.settings)
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings: ServiceSettings = self.runtime.settings
        path: str = scope["path"]
        if not is_public(path):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            try:
                principal = await admit(scope["method"], path, headers, settings, self.runtime.jwks)
            except DomainError as exc:
                await problems.from_error(exc)(scope, receive, send)
                return
            scope.setdefault("state", {})["principal"] = principal
            if principal.unit_path and scope["method"] in ("GET", "HEAD"):
                send = screened(send, scope, receive, principal, federation_of(path))
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _limited(receive, settings.max_body_bytes), tracked)
        except Exception as exc:
            # Answered here, not re-raised: the server would log the exception's message (SQL,
            # values) with its traceback.
            request_id = scope.get("state", {}).get("request_id", "")
            response = problems.unexpected(exc, scope["method"], path, request_id)
            if not started:
                await response(scope, receive, send)


def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                # FastAPI re-raises HTTPException from body reading; problems maps it to 413.
                raise HTTPException(413, f"the body is larger than the limit of {limit} bytes")
        return message

    return wrapped
