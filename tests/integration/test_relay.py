"""I2: every stored event reaches the bus at least once; the relay's position only moves
after the broker confirmed, so a crash between publish and save republishes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.registration.bootstrap import build_app as registration_app
from services.registration.bootstrap import runtime as registration_runtime
from services.reporting.bootstrap import runtime as reporting_runtime
from shared.kernel.settings import RegistrationSettings, ReportingSettings
from tests.support import BusTap, Isolation, bearer, eventually, in_process

ADMIN = bearer("*")


async def seed(http: httpx.AsyncClient, pledgers: int) -> None:
    async def ok(path: str, body: dict) -> None:
        r = await http.post(path, json=body, headers=ADMIN)
        assert r.status_code == 201, r.text

    await ok("/v1/federations", {"code": "bac-kan", "name": "Bắc Kạn"})
    await ok("/v1/federations/bac-kan/units", {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots"})
    await ok(
        "/v1/federations/bac-kan/movements",
        {
            "code": "td-2023",
            "name": "TĐ 2023",
            "year": 2023,
            "awards": ["ldtt"],
            "registration_deadline": "2023-03-31",
        },
    )
    for i in range(pledgers):
        await ok(
            "/v1/federations/bac-kan/members",
            {"code": f"dv-{i}", "full_name": f"Người {i}", "unit": "cdcs-a"},
        )
        await ok(
            "/v1/federations/bac-kan/pledges",
            {
                "movement": "td-2023",
                "award": "ldtt",
                "subject_kind": "member",
                "subject_code": f"dv-{i}",
                "pledged_on": "2023-01-10",
            },
        )


def pledges_on_bus(tap: BusTap) -> list[dict[str, Any]]:
    return [e for e in tap.envelopes() if e["type"] == "tdkt.registration.pledge-registered.v1"]


async def test_relay_killed_between_publish_and_save_republishes_and_is_counted_once(
    isolation: Isolation,
) -> None:
    registration = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    reporting = reporting_runtime(isolation.settings(ReportingSettings), frozenset({"consumer"}))
    await reporting.start()
    try:
        async with in_process(registration, registration_app) as http, BusTap(isolation) as tap:
            await seed(http, pledgers=3)
            relay = registration.relay
            assert relay is not None
            await relay.start()
            head = await registration.eventlog.head()  # type: ignore[union-attr]

            async def crash(_: int) -> None:
                raise RuntimeError("relay killed after the broker confirmed")

            relay.before_save = crash
            with pytest.raises(RuntimeError):
                await relay.pump()
            assert await relay.position() == 0

            async def published_once() -> None:
                assert len(pledges_on_bus(tap)) == 3

            await eventually(published_once)

            relay.before_save = None
            await relay.drain()
            assert await relay.position() == head

            async def published_twice() -> None:
                assert len(pledges_on_bus(tap)) == 6
                assert {e["id"] for e in pledges_on_bus(tap)} == {e["id"] for e in pledges_on_bus(tap)[:3]}

            await eventually(published_twice)

            async def counted_once() -> None:
                rows = await reporting.db.fetch("SELECT subject_code, state FROM reporting.pledges")
                assert sorted(r["subject_code"] for r in rows) == ["dv-0", "dv-1", "dv-2"]
                dup = await reporting.db.fetchval(
                    "SELECT count(*) FROM reporting.processed_events WHERE source = 'tdkt/registration'"
                )
                assert dup == head  # every stored event once, though all were delivered twice

            await eventually(counted_once)
            await relay.stop()
    finally:
        await reporting.stop()


async def test_position_does_not_move_when_the_broker_refuses(isolation: Isolation) -> None:
    registration = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(registration, registration_app) as http:
        await seed(http, pledgers=2)
        relay = registration.relay
        assert relay is not None
        await relay.start()
        real_publish = relay.broker.publish
        calls = 0

        async def flaky_publish(*args: Any, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == 4:
                raise ConnectionError("broker nacked / connection lost")
            return await real_publish(*args, **kwargs)

        relay.broker.publish = flaky_publish  # type: ignore[method-assign]
        with pytest.raises(ConnectionError):
            await relay.pump()
        assert await relay.position() == 0
        relay.broker.publish = real_publish  # type: ignore[method-assign]
        await relay.drain()
        assert await relay.position() == await registration.eventlog.head()  # type: ignore[union-attr]
        await relay.stop()
