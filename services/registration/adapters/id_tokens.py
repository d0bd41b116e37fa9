"""ID tokens of the trusted OpenID providers (TDKT_OIDC_PROVIDERS): the proof of who a person is
that the token exchange accepts. Signature (the provider's keys, from its discovery document or
a configured JWKS URL, shared.auth.keys.KeySet: cached, refetched on an unknown kid, bounded), issuer,
audience (the console's client id there), expiry and issue time are checked. A nonce is the
console's business: it checked it when it received the token."""

from __future__ import annotations

import json
import threading
import urllib.request
from dataclasses import dataclass
from typing import Any

import jwt

from shared.auth.keys import KeySet, Unavailable, key_set
from shared.kernel.errors import FieldError, Unauthorized
from shared.kernel.settings import OidcProvider

ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]
LEEWAY = 30  # seconds of clock difference with the provider


@dataclass(frozen=True)
class SignedIn:
    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


def refused(message: str) -> Unauthorized:
    return Unauthorized(f"id_token: {message}", [FieldError("id_token", message)])


class IdTokens:
    def __init__(self, providers: list[OidcProvider], max_age: float = 300.0, refetch: float = 30.0) -> None:
        self.providers = {p.issuer: p for p in providers}
        self.max_age = max_age
        self.refetch = refetch
        self._jwks_urls: dict[str, str] = {}
        self._lock = threading.Lock()

    def verify(self, token: str) -> SignedIn:
        """Blocking (a key fetch may go over the network): call it from a worker thread."""
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise refused("not a JWT") from None
        issuer = unverified.get("iss")
        provider = self.providers.get(issuer) if isinstance(issuer, str) else None
        if provider is None:
            raise refused(f"issuer '{str(issuer)[:200]}' is not a trusted provider")
        if not isinstance(kid, str):
            raise refused("the token names no key (kid)")
        try:
            key = self._keys(provider).key_for(kid)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                issuer=provider.issuer,
                audience=provider.audience,
                leeway=LEEWAY,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except Unauthorized as exc:
            raise refused(exc.detail.removeprefix("invalid token: ")) from None
        except jwt.PyJWTError as exc:
            raise refused(
                str(exc) if not isinstance(exc, jwt.DecodeError) else "malformed or unverifiable"
            ) from None
        email = claims.get("email")
        return SignedIn(
            issuer=provider.issuer,
            subject=str(claims["sub"]),
            email=email if isinstance(email, str) else None,
            email_verified=claims.get("email_verified") is True,
            name=claims.get("name") if isinstance(claims.get("name"), str) else None,
        )

    def _keys(self, provider: OidcProvider) -> KeySet:
        return key_set(self._jwks_url(provider), self.max_age, self.refetch)

    def _jwks_url(self, provider: OidcProvider) -> str:
        if provider.jwks_url:
            return provider.jwks_url
        with self._lock:
            found = self._jwks_urls.get(provider.issuer)
            if found is None:
                found = self._jwks_urls[provider.issuer] = _discover(provider.issuer)
            return found


def _discover(issuer: str) -> str:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            document: Any = json.loads(answer.read(1_000_000))
        jwks_uri = document["jwks_uri"]
        assert isinstance(jwks_uri, str)
        return jwks_uri
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        raise Unavailable("the sign-in provider's discovery document is unavailable; retry later") from None
