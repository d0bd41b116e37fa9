"""Bearer tokens, scopes and roles.

A token's `scope` is `*` (national), a federation code (`bac-kan`), or a unit path inside a
federation (`bac-kan/tp-bac-kan/cdcs-truong-a`): the federation, then the unit codes from the
top of its tree down to the unit whose subtree the user may act in."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

import jwt

from shared.errors import DomainError, Forbidden, NotFound, Unauthorized
from shared.settings import ServiceSettings

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
    }
)


# '*', or a federation code followed by unit codes (the code pattern of shared.commands.Code).
SCOPE = re.compile(r"\*|[a-z0-9][a-z0-9._-]{0,63}(/[a-z0-9][a-z0-9._-]{0,63})*")
DEV_SECRET = ServiceSettings.model_fields["jwt_secret"].default


def check_config(settings: ServiceSettings) -> None:
    """Refuse a production setup that would skip a check; warn about the public dev secret."""
    if settings.jwks_url and not (settings.jwt_issuer and settings.jwt_audience):
        raise ValueError("TDKT_JWKS_URL needs TDKT_JWT_ISSUER and TDKT_JWT_AUDIENCE to check tokens")
    if not settings.jwks_url and settings.jwt_secret == DEV_SECRET:
        log.warning("tokens are checked with the development secret: anyone can mint them")


def is_read(action: str) -> bool:
    return action == "read" or action.endswith(".read")


@dataclass(frozen=True)
class Principal:
    sub: str
    scope: str
    roles: frozenset[str]

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


# Tokens verified lately: a client sends the same token with every request, and checking its
# signature and claims costs more than a small command. An entry is used only until the token's
# `exp` and at most CHECKED_FOR seconds after its check (the check of a JWKS key is redone as
# often as the key client refreshes anyway); only successes are kept, under the settings used.
CHECKED_FOR = 60.0
_checked: dict[tuple[Any, ...], tuple[Principal, float]] = {}
_CHECKED_MAX = 4096


def decode(token: str, settings: ServiceSettings, jwks: Any | None = None) -> Principal:
    """Verify a bearer token: RS256 against the JWKS when one is configured (production),
    otherwise HS256 with the dev secret; never both, so a dev token is refused in production."""
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
    if settings.jwks_url:
        return await asyncio.to_thread(decode, token, settings, jwks)
    return decode(token, settings, jwks)


def recall(token: str, settings: ServiceSettings) -> Principal | None:
    """The principal of a token verified lately with these settings and still valid, if any."""
    hit = _checked.get(_cache_key(token, settings))
    return hit[0] if hit is not None and time.time() < hit[1] else None


def _cache_key(token: str, settings: ServiceSettings) -> tuple[Any, ...]:
    return (
        token,
        settings.jwks_url,
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
        if settings.jwks_url:
            client = jwks or jwt.PyJWKClient(settings.jwks_url)
            key: Any = client.get_signing_key_from_jwt(token).key
            algorithms = ["RS256"]
        else:
            key, algorithms = settings.jwt_secret, [settings.jwt_algorithm]
        claims = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            options={"require": required, "verify_aud": settings.jwt_audience is not None},
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
    return Principal(str(claims["sub"]), scope, frozenset(roles)), float(claims["exp"])


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
