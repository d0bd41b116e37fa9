"""I4: a message delivered k times has the effect of once."""

from __future__ import annotations

import aio_pika

from services.reporting.bootstrap import runtime as reporting_runtime
from shared.kernel.metrics import CONSUMED
from shared.kernel.settings import ReportingSettings
from shared.messaging.contracts import CONTENT_TYPE, encode
from tests.support import AMQP_URL, Isolation, eventually


def pledge_envelope(sequence: int, code: str) -> dict:
    return {
        "specversion": "1.0",
        "id": f"00000000-0000-4000-8000-{sequence:012d}",
        "source": "tdkt/registration",
        "type": "tdkt.registration.pledge-registered.v1",
        "subject": f"10000000-0000-4000-8000-{sequence:012d}",
        "time": "2023-02-01T08:00:00+07:00",
        "federation": "bac-kan",
        "sequence": sequence,
        "actor": "clerk",
        "version": 1,
        "correlationid": "c",
        "causationid": "c",
        "data": {
            "federation": "bac-kan",
            "movement": "td-2023",
            "movement_name": "TĐ 2023",
            "year": 2023,
            "phase": None,
            "award": "bang-khen-ldld",
            "award_name": "BK",
            "subject_kind": "member",
            "subject_code": code,
            "subject_name": code,
            "unit": "cdcs-a",
            "unit_path": ["cdcs-a"],
            "submitted_by": "cdcs-a",
            "pledged_on": "2023-02-01",
        },
    }


async def publish(isolation: Isolation, envelopes: list[dict]) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(isolation.exchange, "topic", durable=True)
        for e in envelopes:
            await exchange.publish(
                aio_pika.Message(
                    encode(e),
                    message_id=e["id"],
                    content_type=CONTENT_TYPE,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key="bac-kan.registration.pledge-registered",
            )


async def test_a_message_delivered_twice_is_counted_once(isolation: Isolation) -> None:
    rt = reporting_runtime(isolation.settings(ReportingSettings), frozenset({"consumer"}))
    await rt.start()
    duplicates = CONSUMED.labels("reporting", "duplicate")
    before = duplicates._value.get()
    try:
        first, second = pledge_envelope(1, "dv-1"), pledge_envelope(2, "dv-2")
        await publish(isolation, [first, first, second, first, second])

        async def processed() -> None:
            rows = await rt.db.fetch("SELECT subject_code FROM reporting.pledges ORDER BY 1")
            assert [r["subject_code"] for r in rows] == ["dv-1", "dv-2"]
            n = await rt.db.fetchval("SELECT count(*) FROM reporting.processed_events")
            assert n == 2
            assert duplicates._value.get() - before == 3  # all five deliveries were handled

        await eventually(processed)
        history = await rt.db.fetchval("SELECT count(*) FROM reporting.history")
        assert history == 2
    finally:
        await rt.stop()
