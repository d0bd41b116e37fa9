"""I1 and I3 under concurrency: twenty commands racing on one aggregate, and a writer that
holds its transaction open while a later one wants to commit."""

from __future__ import annotations

import asyncio
import threading
import uuid

import psycopg

from tests.failure.harness import ADMIN
from tests.failure.inproc import ok, registration, stored
from tests.failure.verdict import compare
from tests.support import BusTap, Isolation, eventually

FED = "/v1/federations/bac-kan"


async def _member_with_units(http, units: int) -> None:  # type: ignore[no-untyped-def]
    await ok(http, "/v1/federations", {"code": "bac-kan", "name": "Bắc Kạn"})
    for u in range(units):
        await ok(http, f"{FED}/units", {"code": f"cdcs-{u}", "name": f"CĐCS {u}", "kind": "grassroots"})
    await ok(http, f"{FED}/members", {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-0"})


# The store's events table (the library names it), not the tracking table beside it.
EVENTS_TABLE = (
    "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
    "AND table_name LIKE '%%events' AND table_name <> 'processed_events' ORDER BY table_name LIMIT 1"
)


def _versions(database_url: str, schema: str, originator_id: str) -> list[int]:
    with psycopg.connect(database_url) as conn:
        table = conn.execute(
            EVENTS_TABLE,
            (schema,),
        ).fetchone()
        assert table is not None
        rows = conn.execute(
            f'SELECT originator_version FROM "{schema}"."{table[0]}" WHERE originator_id = %s ORDER BY 1',
            (originator_id,),
        ).fetchall()
    return [r[0] for r in rows]


async def test_twenty_concurrent_commands_on_one_aggregate(isolation: Isolation) -> None:
    async with registration(isolation) as (rt, http):
        await _member_with_units(http, 41)
        r = await http.get(f"{FED}/members/dv-1", headers=ADMIN)
        etag = r.headers["etag"]

        async def transfer(u: int, if_match: str | None) -> int:
            headers = {**ADMIN, **({"If-Match": if_match} if if_match else {})}
            body = {"unit": f"cdcs-{u}", "effective_on": "2023-06-01"}
            return (await http.post(f"{FED}/members/dv-1:transfer", json=body, headers=headers)).status_code

        # All twenty read the same version: exactly one wins, the others get a clean conflict.
        stale = await asyncio.gather(*(transfer(u, etag) for u in range(1, 21)))
        # Twenty blind writers: each succeeds or gets a clean conflict; none is lost or doubled.
        # (each to a unit the member was never in, so none is refused as a no-op)
        blind = await asyncio.gather(*(transfer(u, None) for u in range(21, 41)))
        print(f"\nwith If-Match: {sorted(stale)}\nwithout: {sorted(blind)}")
        assert stale.count(200) == 1 and all(s in (409, 412) for s in stale if s != 200)
        assert blind.count(200) + sum(s == 409 for s in blind) == 20
        member = next(e for e in await stored(rt) if e["type"].endswith("member-registered.v1"))
        versions = _versions(isolation.database_url, "registration", member["subject"])
        transfers = [e for e in await stored(rt) if e["type"].endswith("member-transferred.v1")]
        assert len(transfers) == 1 + blind.count(200)
        # contiguous from 1, and every success is exactly one stored event (no other events on it)
        assert versions == list(range(1, len(versions) + 1))
        assert len(versions) >= 1 + len(transfers)


async def test_a_slow_transaction_holding_a_lower_sequence_is_not_skipped(isolation: Isolation) -> None:
    """The first writer takes the recorder's table lock and holds its transaction open; a
    later command must wait rather than commit a higher notification id first, so the relay
    and the feed, tailing by id, never pass the earlier event."""
    async with registration(isolation, frozenset({"api", "relay"})) as (rt, http), BusTap(isolation) as tap:
        await _member_with_units(http, 2)
        events = await stored(rt)
        template = next(e for e in events if e["type"].endswith("unit-registered.v1"))
        held = threading.Event()
        release = threading.Event()
        slow_id = uuid.uuid4()

        def slow_writer() -> None:
            # The eventsourcing recorder's insert protocol, with a pause before COMMIT.
            with psycopg.connect(isolation.database_url) as conn, conn.transaction():
                table = conn.execute(
                    EVENTS_TABLE,
                    ("registration",),
                ).fetchone()
                assert table is not None
                name = f'registration."{table[0]}"'
                conn.execute(f"LOCK TABLE {name} IN EXCLUSIVE MODE")
                conn.execute(
                    f"INSERT INTO {name} (originator_id, originator_version, topic, state) "
                    f"SELECT %s, 1, topic, state FROM {name} WHERE originator_id = %s",
                    (slow_id, template["subject"]),
                )
                held.set()
                release.wait(30)

        writer = threading.Thread(target=slow_writer)
        writer.start()
        try:
            assert await asyncio.to_thread(held.wait, 10)
            later = asyncio.create_task(
                http.post(
                    f"{FED}/members", json={"code": "dv-2", "full_name": "B", "unit": "cdcs-1"}, headers=ADMIN
                )
            )
            await asyncio.sleep(1.5)
            assert not later.done()  # the later command waits for the earlier transaction
        finally:
            release.set()
            await asyncio.to_thread(writer.join)
        assert (await later).status_code == 201
        final = await stored(rt)
        sequences = [e["sequence"] for e in final]
        slow = next(e for e in final if e["subject"] == str(slow_id))
        fresh = next(e for e in final if e["data"].get("code") == "dv-2")
        assert slow["sequence"] < fresh["sequence"]
        assert sequences == sorted(sequences)

        async def both_on_bus() -> None:
            ids = {e["id"] for e in tap.envelopes()}
            assert {e["id"] for e in final} <= ids, "the relay skipped an event"

        await eventually(both_on_bus)

        async def position_saved() -> None:  # saved just after the confirms
            assert rt.relay is not None and await rt.relay.position() >= int(fresh["sequence"])

        await eventually(position_saved)


async def test_harness_catches_writers_without_the_table_lock(isolation: Isolation) -> None:
    """The mechanism switched off (what POSTGRES_ENABLE_DB_FUNCTIONS' insert function does: no
    table lock): the later writer commits a higher id first, the relay moves past it, and the
    earlier event, committed afterwards, is never published. The comparison reports it lost."""
    async with registration(isolation) as (rt, http), BusTap(isolation) as tap:
        await _member_with_units(http, 2)
        assert rt.relay is not None
        await rt.relay.start()
        template = next(e for e in await stored(rt) if e["type"].endswith("unit-registered.v1"))

        def insert(conn: psycopg.Connection) -> None:
            table = conn.execute(
                EVENTS_TABLE,
                ("registration",),
            ).fetchone()
            assert table is not None
            name = f'registration."{table[0]}"'
            conn.execute(
                f"INSERT INTO {name} (originator_id, originator_version, topic, state) "
                f"SELECT %s, 1, topic, state FROM {name} WHERE originator_id = %s",
                (uuid.uuid4(), template["subject"]),
            )

        with (
            psycopg.connect(isolation.database_url) as early,
            psycopg.connect(isolation.database_url) as late,
        ):
            insert(early)  # takes the lower notification id, stays uncommitted
            insert(late)
            late.commit()
            await rt.relay.drain()  # tails past the gap
            early.commit()
        await rt.relay.drain()
        final = await stored(rt)

        async def settled() -> None:
            assert {e["id"] for e in tap.envelopes()} >= {e["id"] for e in final} - {final[-2]["id"]}

        await eventually(settled)
        lost = compare("published vs stored", {e["id"] for e in final}, [e["id"] for e in tap.envelopes()])
        print(f"\nwithout the lock: {lost.report()}")
        await rt.relay.stop()
        assert len(lost.lost) == 1
