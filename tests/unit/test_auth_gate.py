"""shared.web.gate without a database: production tokens (RS256 from a JWKS) through the HTTP gate."""

from __future__ import annotations

from types import SimpleNamespace

import httpx
import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from shared.web.gate import Gate
from tests.unit.test_auth_jwks import _settings, _token, jwks_url  # noqa: F401  (fixture)


async def _echo(request: Request) -> JSONResponse:
    principal = request.scope.get("state", {}).get("principal")
    return JSONResponse({"sub": principal.sub if principal else None})


def _client(url: str) -> httpx.AsyncClient:
    settings = _settings(url)
    app = Starlette(routes=[Route("/{path:path}", _echo, methods=["GET", "POST"])])
    runtime = SimpleNamespace(settings=settings, jwks=jwt.PyJWKClient(url))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=Gate(app, runtime)), base_url="http://t")


async def test_the_gate_admits_provider_tokens_and_refuses_the_rest(jwks_url: str) -> None:  # noqa: F811
    async with _client(jwks_url) as client:
        own = {"Authorization": f"Bearer {_token()}"}
        r = await client.get("/v1/federations/bac-kan/units", headers=own)
        assert r.status_code == 200 and r.json() == {"sub": "lan"}
        assert (await client.get("/v1/federations/cao-bang/units", headers=own)).status_code == 404
        assert (await client.get("/v1/federations/bac-kan:merge", headers=own)).status_code == 200
        reader = {"Authorization": f"Bearer {_token(roles=['reader'])}"}
        assert (await client.get("/v1/federations/bac-kan/units", headers=reader)).status_code == 200
        assert (await client.post("/v1/federations/bac-kan/units", headers=reader)).status_code == 403
        nobody = {"Authorization": f"Bearer {_token(roles=[])}"}
        assert (await client.get("/v1/federations/bac-kan/units", headers=nobody)).status_code == 403
        dev = {"Authorization": f"Bearer {_token(key='s' * 40, alg='HS256')}"}
        for headers in ({}, dev, {"Authorization": "Bearer "}):
            r = await client.get("/v1/federations/bac-kan/units", headers=headers)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
            assert r.headers["content-type"] == "application/problem+json"
        for public in ("/health", "/metrics", "/openapi.json", "/docs"):
            assert (await client.get(public)).status_code == 200
        assert (await client.get("/healthz")).status_code == 401  # only the exact public paths
