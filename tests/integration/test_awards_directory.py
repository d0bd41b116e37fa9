"""Awards' copy of registration's facts arrives over the bus: delivered twice, applied once;
recognised initiatives and pledges reach the verdict."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator

import aio_pika
import httpx

from services.awards.bootstrap import build_app, parts_of, runtime
from shared.kernel.settings import AwardsSettings
from shared.messaging.contracts import encode
from shared.ops.runtime import Runtime
from tests.integration.awards_http import URL, registration
from tests.support import AMQP_URL, Isolation, bearer, eventually, in_process

ADMIN = bearer("bac-kan")


async def publish(isolation: Isolation, envelopes: list[dict]) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(isolation.exchange, "topic", durable=True)
        for e in envelopes:
            name = e["type"].split(".")[2]
            await exchange.publish(
                aio_pika.Message(
                    encode(e), message_id=e["id"], delivery_mode=aio_pika.DeliveryMode.PERSISTENT
                ),
                routing_key=f"bac-kan.registration.{name}",
            )


async def test_registration_facts_over_the_bus_reach_the_verdict(isolation: Isolation) -> None:
    rt = runtime(
        isolation.settings(AwardsSettings, consumer_max_deliveries=3), frozenset({"api", "consumer"})
    )
    async with in_process(rt, build_app) as http:
        unit = registration(
            "unit-registered",
            {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots", "ancestry": ["cdcs-a"]},
        )
        member = registration(
            "member-registered",
            {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a", "unit_path": ["cdcs-a"]},
        )
        initiative = registration(
            "initiative-recognised",
            {
                "initiative": "sk-1",
                "title": "Cải tiến",
                "author_kind": "member",
                "author_code": "dv-1",
                "unit": "cdcs-a",
                "unit_path": ["cdcs-a"],
                "year": 2025,
                "benefit_value": 5_000_000,
                "recognised_on": "2025-10-01",
                "recognised_by": "cdcs-a",
            },
            version=2,
        )
        pledge = registration(
            "pledge-registered",
            {
                "movement": "td-2025",
                "movement_name": "TĐ 2025",
                "year": 2025,
                "phase": None,
                "award": "ldtt",
                "award_name": "Lao động tiên tiến",
                "subject_kind": "member",
                "subject_code": "dv-1",
                "subject_name": "Nguyễn Văn An",
                "unit": "cdcs-a",
                "unit_path": ["cdcs-a"],
                "submitted_by": "cdcs-a",
                "pledged_on": "2025-02-01",
            },
        )
        await publish(isolation, [unit, member, initiative, initiative, pledge, pledge])
        await http.post(f"{URL}/policy", json={"pledge_required": True}, headers=ADMIN)

        async def verdict() -> dict:
            query = "subject_kind=member&subject_code=dv-1&award=cstd-co-so&year=2025&on=2025-12-01"
            r = await http.get(f"{URL}/eligibility?{query}", headers=ADMIN)
            assert r.status_code == 200, r.text
            body = r.json()
            clauses = {c["clause"]: c for c in body["clauses"]}
            initiative_used = clauses["excellent-or-initiative"]["facts_used"]["any"][1]["facts_used"]
            assert initiative_used["total"] == 1, body
            return clauses

        clauses = await eventually(verdict)
        assert clauses["pledged"]["passed"] is False  # pledged for ldtt, not for cstd-co-so

        async def pledged() -> None:
            query = "subject_kind=member&subject_code=dv-1&award=ldtt&year=2025"
            ldtt = await http.get(f"{URL}/eligibility?{query}", headers=ADMIN)
            assert json.loads(ldtt.text)["clauses"][0] == {
                "clause": "pledged",
                "passed": True,
                "facts_used": {"required": True, "pledged": True, "year": 2025},
            }

        await eventually(pledged)
        assert await rt.db.fetchval('SELECT count(*) FROM "awards".processed_events') == 4


async def test_a_federation_merge_keeps_member_history_and_moves_subjects(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        directory = parts_of(rt).facts
        unit = registration(
            "unit-registered",
            {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots", "ancestry": ["cdcs-a"]},
        )
        member = registration(
            "member-registered",
            {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a", "unit_path": ["cdcs-a"]},
        )
        async with rt.db.acquire() as conn, conn.transaction():
            for e in (unit, member):
                await directory.handle(conn, e)
        rating = {"subject_kind": "member", "subject_code": "dv-1", "year": 2024, "rating": "good"}
        assert (await http.post(f"{URL}/ratings", json=rating, headers=ADMIN)).status_code == 201
        merged = registration(
            "federation-merged", {"into": "thai-nguyen", "effective_on": "2025-07-01", "units": ["cdcs-a"]}
        )
        moved = registration(
            "unit-moved",
            {
                "code": "cdcs-a",
                "name": "CĐCS A",
                "kind": "grassroots",
                "from_parent": None,
                "to_parent": "tn-bk",
                "previous_ancestry": ["cdcs-a"],
                "ancestry": ["tn-bk", "cdcs-a"],
                "to_federation": "thai-nguyen",
                "effective_on": "2025-07-01",
            },
            version=2,
        )
        async with rt.db.acquire() as conn, conn.transaction():
            for e in (merged, moved):
                await directory.handle(conn, e)
        tn = bearer("thai-nguyen")
        query = "subject_kind=member&subject_code=dv-1&award=ldtt&year=2024&on=2025-12-01"
        r = await http.get(f"/v1/federations/thai-nguyen/eligibility?{query}", headers=tn)
        assert r.status_code == 200, r.text
        assert r.json()["eligible"] is True
        gone = await http.get(f"{URL}/eligibility?{query}", headers=ADMIN)
        assert gone.status_code == 422 and gone.json()["errors"][0]["field"] == "subject_code"


@contextlib.asynccontextmanager
async def unit_of_four(isolation: Isolation) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """Given cdcs-a with members dv-0 to dv-3, acclaimed leader of khoi-1 in 2025; dv-0 to dv-2
    rated good and the unit excellent for 2025."""
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        events = [
            registration(
                "unit-registered",
                {"code": "cdcs-a", "name": "A", "kind": "grassroots", "ancestry": ["cdcs-a"]},
            ),
            *(
                registration(
                    "member-registered",
                    {
                        "code": f"dv-{i}",
                        "full_name": f"Đoàn viên {i}",
                        "unit": "cdcs-a",
                        "unit_path": ["cdcs-a"],
                    },
                )
                for i in range(4)
            ),
            registration(
                "block-leader-acclaimed",
                {
                    "block": "khoi-1",
                    "block_name": "Khối 1",
                    "year": 2025,
                    "units": ["cdcs-a"],
                    "acclaimed_on": "2025-12-01",
                },
            ),
        ]
        await handle(rt, *events)
        ratings = [
            {"subject_kind": "member", "subject_code": f"dv-{i}", "year": 2025, "rating": "good"}
            for i in range(3)
        ] + [{"subject_kind": "unit", "subject_code": "cdcs-a", "year": 2025, "rating": "excellent"}]
        assert (
            await http.post(f"{URL}/ratings:batch", json={"ratings": ratings}, headers=ADMIN)
        ).status_code == 201
        yield http, rt


async def handle(rt: Runtime, *events: dict) -> None:
    async with rt.db.acquire() as conn, conn.transaction():
        for e in events:
            await parts_of(rt).facts.handle(conn, e)


async def unit_verdict(http: httpx.AsyncClient, award: str) -> dict:
    query = f"subject_kind=unit&subject_code=cdcs-a&award={award}&year=2025&on=2025-12-10"
    r = await http.get(f"{URL}/eligibility?{query}", headers=ADMIN)
    assert r.status_code == 200, r.text
    return {c["clause"]: c for c in r.json()["clauses"]}


async def test_an_acclaimed_block_leader_passes_the_leader_clause(isolation: Isolation) -> None:
    async with unit_of_four(isolation) as (http, _):
        clauses = await unit_verdict(http, "co-thi-dua-ldld")
    assert clauses["acclaimed-block-leader"]["passed"] is True


async def test_a_units_share_of_good_members_counts_every_member(isolation: Isolation) -> None:
    async with unit_of_four(isolation) as (http, _):
        share = (await unit_verdict(http, "ttldxs"))["70-percent-good"]
    assert share["passed"] is True and share["facts_used"]["members"] == 4
    assert share["facts_used"]["share"] == 0.75


async def test_a_member_who_left_no_longer_counts_for_the_unit(isolation: Isolation) -> None:
    async with unit_of_four(isolation) as (http, rt):
        left = registration(
            "member-left",
            {"code": "dv-3", "full_name": "Đoàn viên 3", "unit": "cdcs-a", "effective_on": "2025-06-30"},
            2,
        )
        await handle(rt, left)
        after = (await unit_verdict(http, "ttldxs"))["all-complete"]
    assert after["passed"] is True and after["facts_used"]["members"] == 3
