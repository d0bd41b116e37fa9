"""Tokens a service sends when it calls another (reporting's lag watcher and rebuild).

Outside development a service acts as a service account (README, "Access"): it sends its client
id and secret with an assignment to registration's `POST /v1/access/tokens` and uses the
short-lived access token it gets until shortly before it expires. In development, without an
account configured, it mints an HS256 token with the development secret instead.

A refusal is a `TokenUnavailable` whose message names the account and what registration said,
never the secret."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Protocol

import httpx

from shared.auth.tokens import mint
from shared.kernel.settings import ServiceSettings

EXCHANGE = "/v1/access/tokens"


class TokenUnavailable(Exception):
    """No token to call another service with: the message says why (and is safe to log)."""


class TokenSource(Protocol):
    async def token(self, client: httpx.AsyncClient) -> str: ...

    def forget(self) -> None:
        """Drop a kept token (another service refused it): the next call gets a new one."""


class DevelopmentTokens:
    """HS256 tokens signed with the development secret (TDKT_DEVELOPMENT only)."""

    def __init__(self, settings: ServiceSettings, sub: str, scope: str, roles: list[str], ttl: int) -> None:
        self.settings, self.sub, self.scope, self.roles, self.ttl = settings, sub, scope, roles, ttl

    async def token(self, client: httpx.AsyncClient) -> str:
        return mint(self.settings, self.sub, self.scope, self.roles, self.ttl)

    def forget(self) -> None:
        pass


class NoAccount:
    """Outside development without a service account: every call says what to configure."""

    def __init__(self, service: str) -> None:
        self.service = service

    async def token(self, client: httpx.AsyncClient) -> str:
        raise TokenUnavailable(
            f"{self.service} has no service account: outside development set TDKT_SERVICE_CLIENT_ID "
            "and TDKT_SERVICE_CLIENT_SECRET (README, 'Access')"
        )

    def forget(self) -> None:
        pass


class ServiceAccountTokens:
    """A service account's access token, exchanged at registration and kept until `margin`
    before its expiry (a quarter of its life at most); one exchange at a time."""

    def __init__(
        self,
        registration_url: str,
        client_id: str,
        client_secret: str,
        assignment: str | None = None,
        margin: float = 60.0,
    ) -> None:
        self.url = registration_url.rstrip("/") + EXCHANGE
        self.client_id = client_id
        self._secret = client_secret
        self.assignment = assignment
        self.margin = margin
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:  # never the secret
        return f"ServiceAccountTokens(client_id={self.client_id!r}, assignment={self.assignment!r})"

    async def token(self, client: httpx.AsyncClient) -> str:
        async with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                self._token = None
                body = await self._exchange(client, self.assignment or await self._only_assignment(client))
                life = float(body.get("expires_in", 0))
                self._token = str(body["access_token"])
                self._renew_at = time.monotonic() + life - min(self.margin, life / 4)
            return self._token

    def forget(self) -> None:
        self._token = None

    async def _only_assignment(self, client: httpx.AsyncClient) -> str:
        held = (await self._exchange(client, None)).get("assignments") or []
        if len(held) != 1:
            raise TokenUnavailable(
                f"service account {self.client_id} holds {len(held)} assignments in force: "
                + (
                    "grant it one (was its assignment revoked?)"
                    if not held
                    else "set TDKT_SERVICE_CLIENT_ASSIGNMENT to one of them"
                )
            )
        return str(held[0]["id"])

    async def _exchange(self, client: httpx.AsyncClient, assignment: str | None) -> dict[str, Any]:
        request: dict[str, Any] = {"client_id": self.client_id, "client_secret": self._secret}
        if assignment is not None:
            request["assignment"] = assignment
        try:
            r = await client.post(self.url, json=request)
        except httpx.HTTPError as exc:
            raise TokenUnavailable(
                f"registration's token exchange is unreachable ({type(exc).__name__})"
            ) from None
        if r.status_code != 200:
            raise TokenUnavailable(
                f"registration's token exchange refused service account {self.client_id}: "
                f"{r.status_code} {_detail(r)}"
            )
        try:
            answer = r.json()
        except ValueError:
            raise TokenUnavailable("registration's token exchange answered no JSON") from None
        if assignment is not None and not isinstance(answer.get("access_token"), str):
            raise TokenUnavailable("registration's token exchange answered no access token")
        return answer  # type: ignore[no-any-return]


def _detail(r: httpx.Response) -> str:
    try:
        detail = r.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail)[:300] if detail else r.reason_phrase


def token_source(settings: ServiceSettings, sub: str, scope: str, roles: list[str], ttl: int) -> TokenSource:
    """The service account when one is configured; else in development a minted token for `sub`
    with `scope` and `roles`; else a source that refuses, saying what to configure."""
    if settings.service_client_id and settings.service_client_secret:
        return ServiceAccountTokens(
            settings.registration_url,
            settings.service_client_id,
            settings.service_client_secret.get_secret_value(),
            settings.service_client_assignment,
        )
    if settings.development:
        return DevelopmentTokens(settings, sub, scope, roles, ttl)
    return NoAccount(settings.service)
