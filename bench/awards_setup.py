"""What the benches of awards' HTTP API (councils.py, documents.py) set up alike: awards started
as its own process for one step, tokens for the bench federation's users, registration's facts
written into awards as registration's consumer would, and a POST that must answer its status."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import asyncpg
import httpx

from services.awards.adapters.registration_facts import RegistrationFacts
from shared.auth.tokens import mint
from shared.kernel.settings import AwardsSettings, ServiceSettings

if TYPE_CHECKING:
    from bench.env import Isolation, Service
    from bench.run import Run

AsUser = Callable[[str, list[str]], dict[str, str]]  # (user, roles) -> the request's headers


async def on_awards(
    run: Run, iso: Isolation, step: str, measure: Callable[[Service], Awaitable[dict[str, Any]]]
) -> dict[str, Any] | None:
    """The run's step `step`: `measure` with awards' API started for it, stopped after."""
    svc = run.start("awards", iso, "api")
    try:
        return await run.step(step, lambda: measure(svc))
    finally:
        run.stop(svc)


def users(iso: Isolation, federation: str) -> AsUser:
    """Headers for a user of `federation`; the settings are read once, outside any timing."""
    settings = ServiceSettings(jwt_secret=iso.secret)

    def as_user(sub: str, roles: list[str]) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint(settings, sub, federation, roles, 7200)}"}

    return as_user


async def learn(iso: Isolation, federation: str, facts: list[tuple[str, dict[str, Any]]]) -> None:
    """Awards learns registration's facts, each (event name, data), in order and in one
    transaction, as registration's consumer would tell it."""
    settings = iso.settings(AwardsSettings)
    pool = await asyncpg.create_pool(iso.database_url, min_size=1, max_size=2)
    try:
        handler = RegistrationFacts(pool, settings.schema_name)
        async with pool.acquire() as conn, conn.transaction():
            for seq, (name, data) in enumerate(facts, start=1):
                await handler.handle(conn, _envelope(federation, seq, name, data))
    finally:
        await pool.close()


def _envelope(federation: str, seq: int, name: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": f"tdkt.registration.{name}.v1",
        "source": "tdkt/registration",
        "sequence": seq,
        "version": 1,
        "data": {"federation": federation, **data},
    }


async def post(
    http: httpx.AsyncClient, path: str, body: Any, headers: dict[str, str] | None = None, status: int = 201
) -> Any:
    """The answer's JSON; any other status than `status` fails the step."""
    r = await http.post(path, json=body, headers=headers)
    if r.status_code != status:
        raise RuntimeError(f"POST {path} -> {r.status_code}: {r.text[:500]}")
    return r.json()
