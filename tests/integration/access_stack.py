"""The three services with product-issued tokens (tests/integration/test_access_*): a trusted
OpenID provider that signs ID tokens with a test RSA key and serves its discovery document and
key set over HTTP; registration served over real HTTP (its /.well-known/jwks.json is what awards,
reporting and registration itself fetch); awards and reporting in this process. Outside
development by default: no HS256 token is accepted, every call carries a product-issued one."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support import Isolation, free_port, in_process

ISSUER = "https://tdkt.test/registration"
AUDIENCE = "tdkt"
CONSOLE = "tdkt-console"
ROOT_EMAIL = "root@tdkt.test"


class Provider:
    """An OpenID provider's signing side: ID tokens and the documents that publish its keys."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "idp-1"
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.endswith("/openid-configuration"):
                    body = {"issuer": provider.issuer, "jwks_uri": provider.issuer + "/certs"}
                else:
                    body = provider.jwks
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}/realms/tdkt"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def id_token(self, subject: str, email: str | None, key: Any = None, **changes: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": CONSOLE,
            "sub": subject,
            "email": email,
            "email_verified": True,
            "name": subject.title(),
            "iat": now,
            "exp": now + 300,
        }
        claims.update(changes)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def close(self) -> None:
        self.server.shutdown()


@dataclass
class Stack:
    provider: Provider
    reg: httpx.AsyncClient
    awards: httpx.AsyncClient
    reporting: httpx.AsyncClient
    runtimes: dict[str, Any] = field(default_factory=dict)

    async def exchange(self, id_token: str, assignment: str | None = None) -> httpx.Response:
        body: dict[str, Any] = {"id_token": id_token}
        if assignment:
            body["assignment"] = assignment
        return await self.reg.post("/v1/access/tokens", json=body)

    async def sign_in(self, subject: str, email: str | None, assignment: str | None = None) -> dict[str, Any]:
        """A person's sign-in: the token under `assignment`, or under their only one."""
        id_token = self.provider.id_token(subject, email)
        r = await self.exchange(id_token)
        assert r.status_code == 200, r.text
        if assignment is None:
            choices = r.json()["assignments"]
            assert len(choices) == 1, choices
            assignment = choices[0]["id"]
        r = await self.exchange(id_token, assignment)
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    async def as_person(
        self, subject: str, email: str | None, assignment: str | None = None
    ) -> dict[str, str]:
        return {"Authorization": f"Bearer {(await self.sign_in(subject, email, assignment))['access_token']}"}

    async def heads(self) -> dict[str, int]:
        return {n: await rt.eventlog.head() for n, rt in self.runtimes.items() if rt.eventlog is not None}


async def _serve(app: Any, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    return server, task


# Outside development awards starts only with secrets of its own (not the public development ones).
AWARDS_SECRETS = {
    "verification_secret": "a-verification-secret-of-the-tests-own-0123456789",
    "ballot_kek": "a ballot key-encryption passphrase of the tests' own",
}


@contextlib.asynccontextmanager
async def access_stack(isolation: Isolation, development: bool = False) -> AsyncIterator[Stack]:
    from services.awards import bootstrap as awards
    from services.registration import bootstrap as registration
    from services.reporting import bootstrap as reporting
    from shared.kernel.settings import AwardsSettings, RegistrationSettings, ReportingSettings

    provider = Provider()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    common = {
        "development": development,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "jwks_url": url + "/.well-known/jwks.json",
        "jwks_refetch_seconds": 0.5,
        "registration_url": url,
    }
    reg_settings = isolation.settings(
        RegistrationSettings,
        oidc_providers=[{"issuer": provider.issuer, "audience": CONSOLE}],
        first_admin_email=ROOT_EMAIL,
        **common,
    )
    reg_rt = registration.runtime(reg_settings, frozenset({"api", "relay"}))
    await reg_rt.start()
    server, task = await _serve(registration.build_app(reg_rt), port)
    try:
        async with (
            httpx.AsyncClient(base_url=url, timeout=30) as reg,
            in_process(
                awards.runtime(
                    isolation.settings(AwardsSettings, **common, **AWARDS_SECRETS),
                    frozenset({"api", "relay", "consumer"}),
                ),
                awards.build_app,
            ) as aw,
            in_process(
                reporting.runtime(
                    isolation.settings(ReportingSettings, **common), frozenset({"api", "consumer"})
                ),
                reporting.build_app,
            ) as rp,
        ):
            stack = Stack(provider, reg, aw, rp)
            stack.runtimes = {
                "registration": reg_rt,
                "awards": aw._transport.app.state.runtime,  # type: ignore[attr-defined]
                "reporting": rp._transport.app.state.runtime,  # type: ignore[attr-defined]
            }
            yield stack
    finally:
        server.should_exit = True
        await task
        await reg_rt.stop()
        provider.close()
