"""Server-side sessions. The browser holds only a random session id (an HttpOnly cookie); the
person, their token and its expiry stay here.

A session holds the person as an identity provider names them (issuer + subject, display
name), the bearer token the console sends to the services on their behalf, and when it expires.
The development sign-in fills it with a token minted here; the OpenID Connect sign-in fills
the same fields from registration's token exchange, and keeps beside them what the provider
gave (its ID token, to exchange again, and its refresh token, for a fresh ID token) and the
sign-ins under way (state, nonce, PKCE verifier, where to return). None of it leaves the server."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Protocol

from shared.auth.principal import Principal


@dataclass(frozen=True)
class Person:
    issuer: str
    subject: str
    name: str


@dataclass(frozen=True)
class PendingSignIn:
    """A sign-in sent to the provider: its callback must bring back `state`; the ID token must
    carry `nonce`; the code is redeemed with `verifier` (PKCE)."""

    state: str
    nonce: str
    verifier: str
    return_to: str
    created: float


@dataclass
class ProviderGrant:
    """What the provider gave at sign-in: the ID token (exchanged again for each new access
    token while it is valid) and the refresh token (for a fresh ID token after)."""

    issuer: str
    subject: str
    id_token: str
    id_token_expires: float
    refresh_token: str | None


@dataclass
class Session:
    id: str
    csrf: str
    created: float
    last_seen: float
    person: Person | None = None
    token: str | None = None
    expires_at: float = 0.0  # the token's expiry (epoch seconds)
    principal: Principal | None = None  # the assignment the token carries: scope and roles
    label: str = ""  # who the person acts as ("Văn thư CĐCS Trường A")
    notices: list[str] = field(default_factory=list)  # shown once on the next page
    # The OpenID Connect sign-in: sign-ins under way by state, the provider's tokens, the
    # assignment acted under, when its access token was last exchanged, where to go after
    # the assignment is picked; one exchange at a time per session.
    pending: dict[str, PendingSignIn] = field(default_factory=dict)
    provider: ProviderGrant | None = None
    assignment: str | None = None
    refreshed_at: float = 0.0
    return_to: str = "/"
    several: bool = False  # the person held several assignments at sign-in: "Đổi vai trò" is offered
    lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False, compare=False)

    @property
    def signed_in(self) -> bool:
        return self.person is not None and self.token is not None and time.time() < self.expires_at

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def take_notices(self) -> list[str]:
        taken, self.notices = self.notices, []
        return taken


class SessionStore(Protocol):
    def put(self, session: Session) -> None: ...

    def delete(self, session_id: str) -> None: ...

    async def load(self, session_id: str) -> Session | None: ...

    async def settle(self, session: Session | None) -> None: ...


def new_session() -> Session:
    now = time.time()
    return Session(id=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), created=now, last_seen=now)


class MemoryStore:
    """Sessions in this process's memory, keyed by a hash of the id (a dump of the store holds no
    usable cookie). Idle sessions end after `idle` seconds, any session after `longest`; at most
    `capacity` are kept (the least recently used go first). One console process; with several,
    sessions live in PostgreSQL (adapters/session_store.py, TDKT_CONSOLE_SESSION_KEY set)."""

    def __init__(self, idle: float, longest: float, capacity: int = 50_000) -> None:
        self.idle = idle
        self.longest = longest
        self.capacity = capacity
        self._sessions: dict[str, Session] = {}

    @staticmethod
    def _key(session_id: str) -> str:
        return hashlib.sha256(session_id.encode()).hexdigest()

    def get(self, session_id: str) -> Session | None:
        key = self._key(session_id)
        session = self._sessions.get(key)
        if session is None:
            return None
        now = time.time()
        if now - session.last_seen > self.idle or now - session.created > self.longest:
            del self._sessions[key]
            return None
        session.last_seen = now
        self._sessions[key] = self._sessions.pop(key)  # most recently used last
        return session

    def put(self, session: Session) -> None:
        key = self._key(session.id)
        self._sessions.pop(key, None)
        self._sessions[key] = session
        while len(self._sessions) > self.capacity:
            self._sessions.pop(next(iter(self._sessions)))

    def delete(self, session_id: str) -> None:
        self._sessions.pop(self._key(session_id), None)

    # The request-scoped form every store has (adapters/session_store.PostgresStore reads and
    # writes the database here); in memory the session is the stored object itself.
    async def load(self, session_id: str) -> Session | None:
        return self.get(session_id)

    async def settle(self, session: Session | None) -> None:
        return None
