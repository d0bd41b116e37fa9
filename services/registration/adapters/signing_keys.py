"""The keys registration signs access tokens with, kept in its database so every replica signs
with the same key set, and their public halves served at /.well-known/jwks.json.

Rotation: a key signs from its `not_before` until a newer key's `not_before` comes. A key made
by age (`ensure`, at start and every few minutes) is published `publish_ahead` seconds before
it signs, longer than the services keep a fetched key set, so they know it before its first
token arrives. A key stays published until the last token it signed has expired (its successor's
`not_before` plus the tokens' life and a minute of clock skew), then it is deleted. `rotate`
(the CLI) makes one at once, or with `immediately`, one that signs at once (after a leak; the old
key can then be dropped with `retire`, which ends its tokens too).

The private keys are PEM, encrypted with TDKT_SIGNING_KEY_PASSPHRASE when it is set. They are
not events: a secret in the tamper-evident log could never be removed."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm

from shared.kernel.settings import RegistrationSettings

log = logging.getLogger("tdkt.registration.keys")
SKEW = timedelta(seconds=60)
RELOAD_SECONDS = 10.0

# The table `signing_keys` is created by registration's migrations (adapters/migrations).


@dataclass(frozen=True)
class SigningKey:
    kid: str
    alg: str
    private_pem: bytes
    public_jwk: dict[str, Any]
    created_at: datetime
    not_before: datetime


def _generate(alg: str, passphrase: str | None) -> tuple[bytes, dict[str, Any]]:
    private: Any
    if alg == "EdDSA":
        private = ed25519.Ed25519PrivateKey.generate()
        public = json.loads(OKPAlgorithm.to_jwk(private.public_key()))
    else:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    return pem, public


class SigningKeys:
    def __init__(self, pool: asyncpg.Pool, schema: str, settings: RegistrationSettings) -> None:
        self.pool = pool
        self.s = f'"{schema}"'
        self.settings = settings
        self._rows: list[SigningKey] = []
        self._loaded = float("-inf")
        self._private: dict[str, Any] = {}

    @property
    def token_life(self) -> timedelta:
        return timedelta(seconds=self.settings.access_token_seconds)

    async def _locked(self, conn: Any) -> list[SigningKey]:
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('registration-signing-keys'))")
        rows = await conn.fetch(f"SELECT * FROM {self.s}.signing_keys ORDER BY not_before, created_at")
        return [
            SigningKey(
                r["kid"],
                r["alg"],
                bytes(r["private_pem"]),
                json.loads(r["public_jwk"]),
                r["created_at"],
                r["not_before"],
            )
            for r in rows
        ]

    async def _insert(self, conn: Any, now: datetime, not_before: datetime) -> str:
        alg = self.settings.signing_algorithm
        pem, public = await asyncio.to_thread(_generate, alg, self.settings.signing_key_passphrase)
        kid = f"{now:%Y%m%d}-{secrets.token_hex(6)}"
        jwk = {**public, "kid": kid, "use": "sig", "alg": alg}
        await conn.execute(
            f"INSERT INTO {self.s}.signing_keys VALUES ($1, $2, $3, $4, $5, $6)",
            kid,
            alg,
            pem,
            json.dumps(jwk),
            now,
            not_before,
        )
        log.info("signing key %s made (%s), signs from %s", kid, alg, not_before.isoformat())
        self._loaded = float("-inf")
        return kid

    async def ensure(self, now: datetime | None = None) -> None:
        """A key that signs now, a successor made once the newest is older than the maximum age,
        and keys whose tokens have all expired deleted. Replicas take turns (an advisory lock)."""
        now = now or datetime.now(UTC)
        max_age = timedelta(days=self.settings.signing_key_max_age_days)
        ahead = timedelta(seconds=self.settings.signing_key_publish_ahead_seconds)
        async with self.pool.acquire() as conn, conn.transaction():
            keys = await self._locked(conn)
            if not any(k.not_before <= now for k in keys):
                await self._insert(conn, now, now)
            elif max(k.created_at for k in keys) + max_age - ahead <= now:
                await self._insert(conn, now, now + ahead)
            for key in self._expired(keys, now):
                await conn.execute(f"DELETE FROM {self.s}.signing_keys WHERE kid = $1", key.kid)
                log.info("signing key %s deleted: every token it signed has expired", key.kid)

    def _expired(self, keys: list[SigningKey], now: datetime) -> list[SigningKey]:
        signing = [k for k in keys if k.not_before <= now]
        out = []
        for older, newer in itertools.pairwise(signing):
            if newer.not_before + self.token_life + SKEW < now:
                out.append(older)
        return out

    async def rotate(self, immediately: bool = False, now: datetime | None = None) -> str:
        now = now or datetime.now(UTC)
        ahead = timedelta(0 if immediately else self.settings.signing_key_publish_ahead_seconds)
        async with self.pool.acquire() as conn, conn.transaction():
            await self._locked(conn)
            return await self._insert(conn, now, now + ahead)

    async def retire(self, kid: str) -> bool:
        """Drop a key at once (a leaked one): the tokens it signed stop being accepted as soon as
        the services refetch the key set."""
        async with self.pool.acquire() as conn, conn.transaction():
            keys = await self._locked(conn)
            if not any(k.kid != kid and k.not_before <= datetime.now(UTC) for k in keys):
                raise ValueError("retiring it would leave no key that signs now: rotate --immediately first")
            done = await conn.execute(f"DELETE FROM {self.s}.signing_keys WHERE kid = $1", kid)
        self._loaded = float("-inf")
        return bool(done.endswith(" 1"))

    async def keys(self) -> list[SigningKey]:
        if time.monotonic() - self._loaded > RELOAD_SECONDS:
            rows = await self.pool.fetch(
                f"SELECT * FROM {self.s}.signing_keys ORDER BY not_before, created_at"
            )
            self._rows = [
                SigningKey(
                    r["kid"],
                    r["alg"],
                    bytes(r["private_pem"]),
                    json.loads(r["public_jwk"]),
                    r["created_at"],
                    r["not_before"],
                )
                for r in rows
            ]
            self._loaded = time.monotonic()
        return self._rows

    async def jwks(self) -> dict[str, Any]:
        return {"keys": [k.public_jwk for k in await self.keys()]}

    async def sign(self, claims: dict[str, Any]) -> str:
        now = datetime.now(UTC)
        signing = [k for k in await self.keys() if k.not_before <= now]
        if not signing:
            await self.ensure(now)
            self._loaded = float("-inf")
            signing = [k for k in await self.keys() if k.not_before <= now]
        key = signing[-1]
        private: Any = self._private.get(key.kid)
        if private is None:
            passphrase = self.settings.signing_key_passphrase
            private = serialization.load_pem_private_key(
                key.private_pem, passphrase.encode() if passphrase else None
            )
            self._private[key.kid] = private
        return jwt.encode(claims, private, algorithm=key.alg, headers={"kid": key.kid, "typ": "at+jwt"})

    async def run(self, stopping: asyncio.Event, interval: float = 300.0) -> None:
        """Rotation by age in the background (every replica tries; the lock makes one do it)."""
        while not stopping.is_set():
            try:
                await self.ensure()
            except Exception:
                log.warning("signing keys could not be checked", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), interval)
