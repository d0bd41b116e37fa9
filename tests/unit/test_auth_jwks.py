"""Production tokens: RS256 keys from a JWKS URL, issuer, audience and expiry checked."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from shared.auth.config import check_config
from shared.auth.keys import Unavailable
from shared.auth.principal import Principal
from shared.auth.tokens import decode, mint
from shared.kernel.errors import Unauthorized
from shared.kernel.settings import ServiceSettings

ISSUER = "https://idp.example.test/realms/tdkt"
AUDIENCE = "tdkt-api"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


IDP_KEY = _key()
OTHER_KEY = _key()


def _jwks(*keys: tuple[str, rsa.RSAPrivateKey]) -> bytes:
    out = []
    for kid, key in keys:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        out.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
    return json.dumps({"keys": out}).encode()


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    body = _jwks(("k1", IDP_KEY))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/realms/tdkt/protocol/openid-connect/certs"
    server.shutdown()


def _settings(url: str) -> ServiceSettings:
    return ServiceSettings(jwks_url=url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE, jwt_secret="s" * 40)


def _token(key: Any = IDP_KEY, kid: str = "k1", alg: str = "RS256", **changes: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "lan",
        "scope": "bac-kan",
        "roles": ["clerk"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 300,
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


def test_a_token_signed_by_the_identity_provider_is_accepted(jwks_url: str) -> None:
    principal = decode(_token(), _settings(jwks_url))
    assert principal == Principal("lan", "bac-kan", frozenset({"clerk"}))


def _public_pem() -> bytes:
    return IDP_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


REFUSED = {
    "expired": lambda: _token(exp=int(time.time()) - 5),
    "not yet valid": lambda: _token(nbf=int(time.time()) + 600),
    "another issuer": lambda: _token(iss="https://evil.example.test"),
    "no issuer": lambda: _token(iss=None),
    "another audience": lambda: _token(aud="other-api"),
    "no audience": lambda: _token(aud=None),
    "no expiry": lambda: _token(exp=None),
    "another key, same kid": lambda: _token(key=OTHER_KEY),
    "unknown kid": lambda: _token(key=OTHER_KEY, kid="k2"),
    "dev HS256 secret": lambda: _token(key="s" * 40, alg="HS256"),
    # algorithm confusion: the public key used as an HMAC secret
    "public key as HS256 secret": lambda: _forge_hs256_with_public_key(),
    "unsigned": lambda: jwt.encode({"sub": "x", "scope": "*", "roles": ["admin"]}, None, algorithm="none"),
    "garbage": lambda: "not.a.token",
}


def _forge_hs256_with_public_key() -> str:
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k1"}).encode())
    now = int(time.time())
    payload = b64(
        json.dumps(
            {"sub": "x", "scope": "*", "roles": ["admin"], "iss": ISSUER, "aud": AUDIENCE, "exp": now + 60}
        ).encode()
    )
    signature = b64(hmac.new(_public_pem(), header + b"." + payload, hashlib.sha256).digest())
    return (header + b"." + payload + b"." + signature).decode()


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_tokens_the_provider_did_not_issue_for_us_are_refused(jwks_url: str, case: str) -> None:
    with pytest.raises(Unauthorized) as refused:
        decode(REFUSED[case](), _settings(jwks_url))
    assert refused.value.status == 401
    assert "BEGIN" not in refused.value.detail and jwks_url not in refused.value.detail


def test_an_unreachable_jwks_is_a_503_that_names_no_url() -> None:
    settings = _settings("http://127.0.0.1:9/certs")
    with pytest.raises(Unavailable) as unavailable:
        decode(_token(), settings)
    assert unavailable.value.status == 503 and "127.0.0.1" not in unavailable.value.detail


def test_a_jwks_without_issuer_and_audience_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="TDKT_JWT_ISSUER"):
        check_config(ServiceSettings(jwks_url="http://127.0.0.1:9/certs"))
    check_config(_settings("http://127.0.0.1:9/certs"))


@pytest.mark.parametrize("scope", ["", "bac-kan/", "bac-kan//x", "BAC-KAN", "*/x", "bac kan", "bac-kan/../x"])
def test_malformed_scopes_are_refused(scope: str) -> None:
    settings = ServiceSettings(jwt_secret="x" * 40, development=True)
    with pytest.raises(ValueError):
        mint(settings, "lan", scope, ["clerk"])
    claims = {"sub": "lan", "scope": scope, "roles": ["clerk"], "exp": int(time.time()) + 60}
    with pytest.raises(Unauthorized):
        decode(jwt.encode(claims, "x" * 40, algorithm="HS256"), settings)
