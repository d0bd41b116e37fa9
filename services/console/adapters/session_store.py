"""Sessions in PostgreSQL, for several console replicas behind one address: a person signed in on
one is signed in on all, and a replica's death signs nobody out. Each row is keyed by a hash of
the session id (a dump holds no usable cookie) and holds the session encrypted (Fernet, under
TDKT_CONSOLE_SESSION_KEY): the tokens in it are never readable in the database.

A request's session is read once at its start (`load`) and written once at its end (`settle`),
with what the request created or ended (`put`, `delete`, recorded as it runs). A page that changed
nothing in the session does not write it: only its `last_seen`, at most once per TOUCH_EVERY
seconds (idle sign-outs are that much less exact)."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import time
from typing import Any

import asyncpg
import orjson
from cryptography.fernet import Fernet, InvalidToken

from services.console.adapters.migrations import VERSIONS
from services.console.application.sessions import PendingSignIn, Person, ProviderGrant, Session
from shared.auth.principal import Principal
from shared.ops.migrations import at_head, migrate

SCHEMA = "console"
TABLE = f'"{SCHEMA}".sessions'  # created by the console's migrations (adapters/migrations)
SWEEP_EVERY = 60.0
TOUCH_EVERY = 60.0
KEPT_DIGESTS = 10_000  # sessions whose last written state this replica remembers


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def encode(session: Session, seen: bool = True) -> bytes:
    """The session as stored; `seen=False` leaves out `last_seen` (what a page view changes)."""
    left_out = ("lock",) if seen else ("lock", "last_seen")
    data = {f.name: getattr(session, f.name) for f in dataclasses.fields(session) if f.name not in left_out}
    for name in ("person", "provider"):
        data[name] = dataclasses.asdict(data[name]) if data[name] is not None else None
    data["pending"] = {k: dataclasses.asdict(v) for k, v in session.pending.items()}
    p = session.principal
    data["principal"] = None if p is None else {
        "sub": p.sub,
        "scope": p.scope,
        "roles": sorted(p.roles),
        "assignment": p.assignment,
    }
    return orjson.dumps(data)


def decode(raw: bytes) -> Session:
    data: dict[str, Any] = orjson.loads(raw)
    data["person"] = Person(**data["person"]) if data["person"] else None
    data["provider"] = ProviderGrant(**data["provider"]) if data["provider"] else None
    data["pending"] = {k: PendingSignIn(**v) for k, v in data["pending"].items()}
    p = data["principal"]
    if p is not None:
        data["principal"] = Principal(p["sub"], p["scope"], frozenset(p["roles"]), p["assignment"])
    return Session(**data)


def _digest(session: Session) -> bytes:
    return hashlib.sha256(encode(session, seen=False)).digest()


class PostgresStore:
    def __init__(self, database_url: str, key: str, idle: float, longest: float) -> None:
        self.database_url = database_url
        self.fernet = Fernet(key.encode())
        self.idle, self.longest = idle, longest
        self.pool: asyncpg.Pool | None = None
        self._put: dict[str, Session] = {}
        self._deleted: set[str] = set()
        self._swept = 0.0
        # session id -> (digest of the state last read or written, its last_seen then)
        self._stored: dict[str, tuple[bytes, float]] = {}

    async def start(self) -> None:
        self.pool = await asyncpg.create_pool(self.database_url, min_size=1, max_size=10)
        if not await at_head(self.pool, SCHEMA, VERSIONS):  # replicas starting together: once
            await asyncio.to_thread(migrate, self.database_url, SCHEMA, VERSIONS)

    async def stop(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    def get(self, session_id: str) -> Session | None:
        raise TypeError("sessions in PostgreSQL are read with `await load(...)`")

    def put(self, session: Session) -> None:
        self._put[session.id] = session

    def delete(self, session_id: str) -> None:
        self._put.pop(session_id, None)
        self._deleted.add(session_id)

    async def load(self, session_id: str) -> Session | None:
        assert self.pool is not None
        query = f"SELECT data, created, last_seen FROM {TABLE} WHERE key = $1"
        row = await self.pool.fetchrow(query, _key(session_id))
        now = time.time()
        if row is None or now - row["last_seen"] > self.idle or now - row["created"] > self.longest:
            return None
        try:
            session = decode(self.fernet.decrypt(bytes(row["data"])))
        except (InvalidToken, ValueError, TypeError, KeyError):
            return None  # written under another key, or by another version: sign in again
        if session.id != session_id:
            return None
        self._remember(session, row["last_seen"])
        session.last_seen = now
        return session

    def _remember(self, session: Session, last_seen: float) -> None:
        if len(self._stored) >= KEPT_DIGESTS:
            self._stored.clear()  # forgetting only costs a write
        self._stored[session.id] = (_digest(session), last_seen)

    async def settle(self, session: Session | None) -> None:
        """Write the request's session and what it created; remove what it ended."""
        assert self.pool is not None
        deleted, self._deleted = self._deleted, set()
        taken, self._put = list(self._put.values()), {}
        writes = {s.id: s for s in (*taken, *([session] if session else [])) if s.id not in deleted}
        async with self.pool.acquire() as conn:
            if deleted:
                await conn.execute(f"DELETE FROM {TABLE} WHERE key = ANY($1)", [_key(i) for i in deleted])
                for i in deleted:
                    self._stored.pop(i, None)
            for s in writes.values():
                stored = self._stored.get(s.id)
                if stored and stored[0] == _digest(s) and s.last_seen - stored[1] < TOUCH_EVERY:
                    continue  # nothing changed but the time, written recently enough
                await conn.execute(
                    f"INSERT INTO {TABLE} VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE "
                    "SET data = EXCLUDED.data, last_seen = EXCLUDED.last_seen",
                    _key(s.id),
                    self.fernet.encrypt(encode(s)),
                    s.created,
                    s.last_seen,
                )
                self._remember(s, s.last_seen)  # only once written: a failed write is tried again
            now = time.time()
            if now - self._swept > SWEEP_EVERY:  # idle and outlived sessions, once a minute
                self._swept = now
                ended = f"DELETE FROM {TABLE} WHERE last_seen < $1 OR created < $2"
                await conn.execute(ended, now - self.idle, now - self.longest)
