"""Bearer tokens: verifying one (and recalling one verified lately), minting a development one."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import jwt

from shared.auth.keys import KeySet, Unavailable, keys_of
from shared.auth.permissions import ROLES, SCOPE
from shared.auth.principal import Principal
from shared.kernel.errors import Unauthorized
from shared.kernel.settings import ServiceSettings

log = logging.getLogger("tdkt.auth")

# The product's access tokens are signed with one of these (registration's keys); HS256 is the
# development secret's, accepted only in development.
ASYMMETRIC = ("RS256", "EdDSA")


# Tokens verified lately: a client sends the same token with every request, and checking its
# signature and claims costs more than a small command. An entry is used only until the token's
# `exp` and at most CHECKED_FOR seconds after its check (the check of a JWKS key is redone as
# often as the key client refreshes anyway); only successes are kept, under the settings used.
CHECKED_FOR = 60.0
_checked: dict[tuple[Any, ...], tuple[Principal, float]] = {}
_CHECKED_MAX = 4096


def decode(token: str, settings: ServiceSettings, jwks: Any | None = None) -> Principal:
    """Verify a bearer token: a product-issued one (RS256 or EdDSA, its `kid` in the key set at
    TDKT_JWKS_URL, `iss`, `aud` and `exp` checked), or in development only an HS256 one signed
    with TDKT_JWT_SECRET. Which check applies is chosen by the token's `alg`, and each check
    accepts only its own algorithms, so a public key can never serve as an HMAC secret."""
    principal = recall(token, settings)
    if principal is not None:
        return principal
    now = time.time()
    principal, exp = _verify(token, settings, jwks)
    if len(_checked) >= _CHECKED_MAX:
        _checked.clear()
    _checked[_cache_key(token, settings)] = (principal, min(exp, now + CHECKED_FOR))
    return principal


async def verified(token: str, settings: ServiceSettings, jwks: Any | None = None) -> Principal:
    """`decode` from the event loop: a token verified lately answers at once; otherwise a JWKS
    check runs in a worker thread (the key fetch may block on the network)."""
    principal = recall(token, settings)
    if principal is not None:
        return principal
    if settings.jwks_url and not _is_hs256(token):
        return await asyncio.to_thread(decode, token, settings, jwks)
    return decode(token, settings, jwks)


def _is_hs256(token: str) -> bool:
    try:
        return jwt.get_unverified_header(token).get("alg") == "HS256"
    except jwt.PyJWTError:
        return True  # refused by decode at once, without a worker thread


def recall(token: str, settings: ServiceSettings) -> Principal | None:
    """The principal of a token verified lately with these settings and still valid, if any."""
    hit = _checked.get(_cache_key(token, settings))
    return hit[0] if hit is not None and time.time() < hit[1] else None


def _cache_key(token: str, settings: ServiceSettings) -> tuple[Any, ...]:
    return (
        token,
        settings.jwks_url,
        settings.development,
        settings.jwt_secret,
        settings.jwt_algorithm,
        settings.jwt_issuer,
        settings.jwt_audience,
    )


def _verify(token: str, settings: ServiceSettings, jwks: Any | None) -> tuple[Principal, float]:
    required = ["sub", "exp"]
    if settings.jwt_issuer:
        required.append("iss")
    if settings.jwt_audience:
        required.append("aud")
    try:
        header = jwt.get_unverified_header(token)
        alg, kid = header.get("alg"), header.get("kid")
        if alg in ASYMMETRIC:
            if not settings.jwks_url:
                raise Unauthorized(
                    "invalid token: this service has no key set for signed tokens (TDKT_JWKS_URL)"
                )
            if not isinstance(kid, str) or not kid:
                raise Unauthorized("invalid token: a signed token must name its key (kid)")
            key: Any = _signing_key(jwks, settings, kid, token)
            algorithms = [alg]
        elif alg == "HS256" and settings.development:
            key, algorithms = settings.jwt_secret, [settings.jwt_algorithm]
        elif alg == "HS256":
            raise Unauthorized(
                "invalid token: HS256 development tokens are accepted only in development (TDKT_DEVELOPMENT)"
            )
        else:
            raise Unauthorized(f"invalid token: the algorithm must be one of {list(ASYMMETRIC)}")
        # A development token is checked by its secret alone: `iss` and `aud` (set by `mint`
        # when configured) are the product's, and a test's or a tool's token may lack them.
        product = alg in ASYMMETRIC
        claims = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            issuer=settings.jwt_issuer if product else None,
            audience=settings.jwt_audience if product else None,
            options={
                "require": required if product else ["sub", "exp"],
                "verify_aud": product and settings.jwt_audience is not None,
            },
        )
    except jwt.PyJWKClientConnectionError:
        log.warning("the JWKS at the configured TDKT_JWKS_URL could not be fetched")
        raise Unavailable("the identity provider's keys are unavailable; retry later") from None
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {_reason(exc)}") from None
    scope, roles = claims.get("scope"), claims.get("roles")
    if not isinstance(scope, str) or not SCOPE.fullmatch(scope):
        raise Unauthorized("invalid token: claim 'scope' must be '*', a federation code or a unit path")
    if not isinstance(roles, list) or not set(roles) <= set(ROLES):
        raise Unauthorized(f"invalid token: claim 'roles' must be a list drawn from {ROLES}")
    assignment = claims.get("assignment")
    return (
        Principal(
            str(claims["sub"]), scope, frozenset(roles), assignment if isinstance(assignment, str) else None
        ),
        float(claims["exp"]),
    )


def _signing_key(jwks: Any | None, settings: ServiceSettings, kid: str, token: str) -> Any:
    """The public key named by `kid`: from this module's KeySet (bounded refetches), or from a
    client given by the caller (a PyJWKClient in older wiring or a test)."""
    if isinstance(jwks, KeySet):
        return jwks.key_for(kid).key
    if jwks is not None and not isinstance(jwks, jwt.PyJWKClient):
        return jwks.get_signing_key_from_jwt(token).key
    found = keys_of(settings)
    assert found is not None
    return found.key_for(kid).key


def _reason(exc: jwt.PyJWTError) -> str:
    # PyJWT's own messages name the failed check; anything else is summarised, not echoed.
    known = (
        jwt.ExpiredSignatureError,
        jwt.InvalidAudienceError,
        jwt.InvalidIssuerError,
        jwt.MissingRequiredClaimError,
        jwt.InvalidSignatureError,
        jwt.ImmatureSignatureError,
        jwt.InvalidAlgorithmError,
    )
    return str(exc) if isinstance(exc, known) else "malformed or unverifiable"


def mint(
    settings: ServiceSettings, sub: str, scope: str, roles: list[str], ttl_seconds: int = 8 * 3600
) -> str:
    """A development token signed with the HS256 secret (`tdkt token`)."""
    if not SCOPE.fullmatch(scope):
        raise ValueError(f"scope {scope!r} is not '*', a federation code or a unit path")
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; choose from {ROLES}")
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub,
        "scope": scope,
        "roles": roles,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")
