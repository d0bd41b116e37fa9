"""HTTP clients of the three services' public APIs. Every call carries the signed-in person's
bearer token; an answer that is not a success raises ServiceError with the problem details."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from shared.kernel.settings import ConsoleSettings


@dataclass
class ServiceError(Exception):
    """A service answered with a problem (RFC 9457), or did not answer (status 503)."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status}: {self.body.get('detail', '')}"


class ServiceClient:
    def __init__(self, name: str, base_url: str, http: httpx.AsyncClient) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.http = http

    async def request(
        self,
        method: str,
        path: str,
        token: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        files: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        clean = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
        # A read is asked once more when a kept-alive connection was closed under it (the
        # service's idle timeout racing our reuse): the request never reached a handler. Writes
        # are not repeated here.
        for attempt in (1, 2):
            try:
                response = await self.http.request(
                    method,
                    self.base_url + path,
                    params=clean,
                    json=json,
                    files=files,
                    headers={"Authorization": f"Bearer {token}", **(headers or {})},
                )
                break
            except (httpx.RemoteProtocolError, httpx.ReadError):
                if method == "GET" and attempt == 1:
                    continue
                raise ServiceError(503, {"detail": f"{self.name} did not answer"}) from None
            except httpx.HTTPError:
                raise ServiceError(503, {"detail": f"{self.name} did not answer"}) from None
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            raise ServiceError(response.status_code, body if isinstance(body, dict) else {})
        return response

    async def get(self, path: str, token: str, **params: Any) -> Any:
        return (await self.request("GET", path, token, params=params)).json()

    async def post(self, path: str, token: str, body: Any = None, **kwargs: Any) -> Any:
        response = await self.request("POST", path, token, json=body, **kwargs)
        return response.json() if response.content else {}

    async def pages(self, path: str, token: str, **params: Any) -> list[Any]:
        """Every item of a paged list (`cursor` in, `next_cursor` out)."""
        items: list[Any] = []
        cursor: Any = None
        while True:
            page = await self.get(path, token, **params, **({"cursor": cursor} if cursor is not None else {}))
            items.extend(page.get("items", []))
            cursor = page.get("next_cursor")
            if cursor is None:
                return items


@dataclass
class Services:
    registration: ServiceClient
    awards: ServiceClient
    reporting: ServiceClient
    http: httpx.AsyncClient

    @classmethod
    def connect(
        cls, settings: ConsoleSettings, transport: httpx.AsyncBaseTransport | None = None
    ) -> Services:
        http = httpx.AsyncClient(
            timeout=settings.console_service_timeout_seconds,
            transport=transport,
            # Idle connections let go before the services' own keep-alive timeout (uvicorn: 5 s).
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20, keepalive_expiry=2.0),
        )
        return cls(
            ServiceClient("registration", settings.registration_url, http),
            ServiceClient("awards", settings.awards_url, http),
            ServiceClient("reporting", settings.reporting_url, http),
            http,
        )

    async def close(self) -> None:
        await self.http.aclose()
