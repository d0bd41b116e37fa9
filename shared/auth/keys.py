"""The public keys at registration's JWKS URL, fetched and kept per process."""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request

import jwt

from shared.kernel.errors import DomainError, Unauthorized
from shared.kernel.settings import ServiceSettings

log = logging.getLogger("tdkt.auth")


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
