"""Bearer tokens, scopes and roles.

A token's `scope` is `*` (national), a federation code (`bac-kan`), or a unit path inside a
federation (`bac-kan/tp-bac-kan/cdcs-truong-a`): the federation, then the unit codes from the
top of its tree down to the unit whose subtree the user may act in."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

import jwt

from shared.kernel.errors import DomainError, Forbidden, NotFound, Unauthorized
from shared.kernel.settings import ServiceSettings

log = logging.getLogger("tdkt.auth")

ROLES = ("admin", "clerk", "council", "approver", "auditor", "reader")

# Who may do what: the one table every endpoint checks against (README, "Authorisation").
PERMISSIONS: dict[str, frozenset[str]] = {
    "federation.create": frozenset({"admin"}),
    "federation.merge": frozenset({"admin"}),
    "covenant.write": frozenset({"admin", "clerk"}),
    "tree.write": frozenset({"admin", "clerk"}),
    "movement.launch": frozenset({"admin"}),
    "pledge.submit": frozenset({"admin", "clerk"}),
    "pledge.review": frozenset({"admin"}),
    "target.assign": frozenset({"admin", "clerk"}),
    "initiative.write": frozenset({"admin", "clerk"}),
    "initiative.recognise": frozenset({"admin", "council"}),
    "work.write": frozenset({"admin", "clerk"}),
    "catalogue.write": frozenset({"admin"}),
    "history.record": frozenset({"admin", "clerk"}),
    "nomination.submit": frozenset({"admin", "clerk"}),
    "council.manage": frozenset({"admin"}),
    "council.vote": frozenset({"council"}),
    "decision.issue": frozenset({"admin", "approver"}),
    "grant.revoke": frozenset({"admin", "approver"}),
    "grant.import": frozenset({"admin"}),
    "nomination.forward": frozenset({"admin", "approver"}),
    "policy.write": frozenset({"admin"}),
    "read": frozenset(ROLES),
    "audit.read": frozenset({"admin", "auditor"}),
    "feed.read": frozenset({"admin", "auditor", "reader"}),
    "subscription.manage": frozenset({"admin"}),
    # People and role assignments (registration, /v1/access): grant and revoke within one's own
    # scope; read who holds what (the people lists); audit.read for histories and who-could.
    "access.manage": frozenset({"admin"}),
    "access.read": frozenset({"admin", "auditor"}),
}

# What a unit-scoped user may do inside its unit's subtree (the endpoint then checks the subtree
# of every unit it touches). Every other action needs a federation-wide or national token, so an
# action added to PERMISSIONS is federation-wide until it is listed here.
UNIT_ACTIONS = frozenset(
    {
        "read",
        "tree.write",
        "covenant.write",
        "movement.launch",
        "pledge.submit",
        "pledge.review",
        "target.assign",
        "initiative.write",
        "initiative.recognise",
        "work.write",
        "nomination.submit",
        "history.record",
        "council.vote",
        "access.manage",
        "access.read",
    }
)


# '*', or a federation code followed by unit codes (the code pattern of shared.kernel.commands.Code).
SCOPE = re.compile(r"\*|[a-z0-9][a-z0-9._-]{0,63}(/[a-z0-9][a-z0-9._-]{0,63})*")
DEV_SECRET = ServiceSettings.model_fields["jwt_secret"].default


# The product's access tokens are signed with one of these (registration's keys); HS256 is the
# development secret's, accepted only in development.
ASYMMETRIC = ("RS256", "EdDSA")


class ConfigError(ValueError):
    """A setup that must not start: the message says which setting to change."""


def check_config(settings: ServiceSettings) -> None:
    """Refuse, at start, a setup that would accept tokens anyone can mint or skip a check."""
    if settings.jwks_url and not (settings.jwt_issuer and settings.jwt_audience):
        raise ConfigError("TDKT_JWKS_URL needs TDKT_JWT_ISSUER and TDKT_JWT_AUDIENCE to check tokens")
    if settings.development:
        if settings.jwt_secret == DEV_SECRET:
            log.warning("development mode: tokens signed with the public development secret are accepted")
        return
    if settings.jwt_secret == DEV_SECRET:
        raise ConfigError(
            "refusing to start: TDKT_JWT_SECRET is the public development secret and TDKT_DEVELOPMENT "
            "is off. Outside development set TDKT_JWT_SECRET to a secret of your own (HS256 tokens are "
            "refused anyway) and TDKT_JWKS_URL to registration's /.well-known/jwks.json; on a "
            "developer's machine set TDKT_DEVELOPMENT=1"
        )
    if not settings.jwks_url:
        raise ConfigError(
            "refusing to start: TDKT_DEVELOPMENT is off and TDKT_JWKS_URL is not set, so no token could "
            "be verified. Set TDKT_JWKS_URL (registration's /.well-known/jwks.json), TDKT_JWT_ISSUER "
            "and TDKT_JWT_AUDIENCE, or TDKT_DEVELOPMENT=1 on a developer's machine"
        )


def is_read(action: str) -> bool:
    return action == "read" or action.endswith(".read")


@dataclass(frozen=True)
class Principal:
    sub: str
    scope: str
    roles: frozenset[str]
    # The role assignment a product-issued token was issued under (registration checks it is
    # still active before an access change); None for development tokens.
    assignment: str | None = None

    @property
    def is_national(self) -> bool:
        return self.scope == "*"

    @property
    def federation(self) -> str | None:
        return None if self.is_national else self.scope.split("/")[0]

    @property
    def unit_path(self) -> tuple[str, ...]:
        """Unit codes from the top of the federation down to the user's unit; () for staff."""
        return () if self.is_national else tuple(self.scope.split("/")[1:])

    @property
    def unit(self) -> str | None:
        return self.unit_path[-1] if self.unit_path else None

    def may(self, action: str) -> bool:
        return bool(self.roles & PERMISSIONS[action])

    def require(self, action: str, federation: str | None = None) -> None:
        """Refuse unless the role allows `action` and the scope covers `federation`.

        A foreign federation is answered 404, as if it did not exist (I5)."""
        if federation is not None and not self.covers(federation):
            raise NotFound(f"federation '{federation}' does not exist")
        if not self.may(action):
            raise Forbidden(f"the roles {sorted(self.roles)} may not {action}")
        if self.unit_path and action not in UNIT_ACTIONS:
            raise Forbidden(f"{action} needs a federation-wide token; this one is for unit {self.unit}")

    def may_write(self) -> bool:
        return any(self.may(action) for action in PERMISSIONS if not is_read(action))

    def covers(self, federation: str) -> bool:
        return self.is_national or self.federation == federation

    def covers_unit(self, federation: str, ancestry: tuple[str, ...]) -> bool:
        return scope_covers(self.scope, federation, ancestry)


def scope_within(inner: str, outer: str) -> bool:
    """Whether every place `inner` reaches is reached by `outer` (both scopes)."""
    if outer == "*":
        return True
    if inner == "*":
        return False
    top, *path = inner.split("/")
    return scope_covers(outer, top, tuple(path))


def scope_covers(scope: str, federation: str, ancestry: tuple[str, ...]) -> bool:
    """Whether `scope` may act on a unit given as its codes from the top of its federation's
    tree (`()` for the federation itself)."""
    if scope == "*":
        return True
    top, *path = scope.split("/")
    return top == federation and tuple(ancestry[: len(path)]) == tuple(path)


class Unavailable(DomainError):
    """The identity provider's keys could not be fetched: not the caller's fault."""

    status = 503
    title = "Service unavailable"
    slug = "unavailable"


class KeySet:
    """The public keys at a JWKS URL: fetched when first needed, kept `max_age` seconds, fetched
    again at once when a token names a `kid` not in the set (a rotation) but at most once per
    `refetch` seconds, so tokens with made-up kids cannot make the service hammer the URL.
    Thread-safe: tokens are checked in worker threads."""

    MAX_KEYS = 64

    def __init__(self, url: str, max_age: float = 300.0, refetch: float = 30.0, timeout: float = 5.0) -> None:
        self.url = url
        self.max_age = max_age
        self.refetch = refetch
        self.timeout = timeout
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched = float("-inf")
        self._lock = threading.Lock()

    def key_for(self, kid: str) -> jwt.PyJWK:
        with self._lock:
            now = time.monotonic()
            if now - self._fetched > self.max_age or (
                kid not in self._keys and now - self._fetched > self.refetch
            ):
                self._keys = self._fetch()
                self._fetched = now
            key = self._keys.get(kid)
        if key is None:
            raise Unauthorized(f"invalid token: signed with an unknown key (kid '{kid[:64]}')")
        return key

    def _fetch(self) -> dict[str, jwt.PyJWK]:
        try:
            with urllib.request.urlopen(self.url, timeout=self.timeout) as answer:
                document = json.loads(answer.read(1_000_000))
        except (OSError, ValueError):
            log.warning("the key set at the configured JWKS URL could not be fetched")
            raise Unavailable("the token signing keys are unavailable; retry later") from None
        keys: dict[str, jwt.PyJWK] = {}
        for jwk in (document.get("keys") or [])[: self.MAX_KEYS] if isinstance(document, dict) else []:
            if (
                not isinstance(jwk, dict)
                or not isinstance(jwk.get("kid"), str)
                or jwk.get("use", "sig") != "sig"
            ):
                continue
            try:
                keys[jwk["kid"]] = jwt.PyJWK(jwk)
            except jwt.PyJWTError:
                continue  # a key type or algorithm this service does not use
        return keys


_key_sets: dict[tuple[str, float, float], KeySet] = {}
_key_sets_lock = threading.Lock()


def key_set(url: str, max_age: float = 300.0, refetch: float = 30.0) -> KeySet:
    """One KeySet per URL in the process, shared by every request (and every runtime)."""
    with _key_sets_lock:
        found = _key_sets.get((url, max_age, refetch))
        if found is None:
            found = _key_sets[(url, max_age, refetch)] = KeySet(url, max_age, refetch)
        return found


def keys_of(settings: ServiceSettings) -> KeySet | None:
    if not settings.jwks_url:
        return None
    return key_set(settings.jwks_url, settings.jwks_max_age_seconds, settings.jwks_refetch_seconds)


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


def document_security(app: Any, settings: ServiceSettings) -> None:
    """Declare the security schemes in the app's OpenAPI, so /docs has an Authorize button: HTTP
    bearer (a product-issued access token, or in development a `tdkt token`), and the sign-in
    provider's OpenID Connect discovery URL when TDKT_OIDC_DISCOVERY_URL is set. Every operation
    but the public ones (shared.web.gate.PUBLIC) requires the bearer."""
    from shared.web.gate import is_public  # the gate imports this module

    build = app.openapi
    done: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if "schema" in done:
            return done["schema"]  # type: ignore[no-any-return]
        schema: dict[str, Any] = build()
        schemes: dict[str, Any] = {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "An access token from registration's POST /v1/access/tokens (at most "
                "10 minutes; RS256 or EdDSA, keys at /.well-known/jwks.json); in development also "
                "an HS256 token from `tdkt token`.",
            }
        }
        if settings.oidc_discovery_url:
            schemes["openid"] = {
                "type": "openIdConnect",
                "openIdConnectUrl": settings.oidc_discovery_url,
                "description": "Where people sign in. The provider's ID token is exchanged for the "
                "product's access token at registration's POST /v1/access/tokens; the services "
                "accept only that access token.",
            }
        schema.setdefault("components", {})["securitySchemes"] = schemes
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                if isinstance(operation, dict):
                    operation["security"] = [] if is_public(path) else [{"bearer": []}]
        done["schema"] = schema
        return schema

    app.openapi = openapi
