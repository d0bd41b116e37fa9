"""I6: a message that cannot be handled is dead-lettered with its error; the rest flow."""

from __future__ import annotations

import aio_pika

from services.reporting.bootstrap import runtime as reporting_runtime
from shared.kernel.settings import ReportingSettings
from tests.integration.test_consumer_idempotency import pledge_envelope, publish
from tests.support import AMQP_URL, Isolation, eventually


async def test_poison_goes_to_the_dead_letter_queue_and_the_rest_flow(isolation: Isolation) -> None:
    settings = isolation.settings(ReportingSettings, consumer_max_deliveries=3)
    rt = reporting_runtime(settings, frozenset({"consumer"}))
    await rt.start()
    try:
        unknown = {**pledge_envelope(2, "dv-2"), "type": "tdkt.registration.something-new.v1"}
        broken = pledge_envelope(4, "dv-4")
        del broken["data"]["award"]  # the handler fails on it every time
        await publish(isolation, [pledge_envelope(1, "dv-1"), unknown, broken, pledge_envelope(3, "dv-3")])
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            channel = await connection.channel()
            exchange = await channel.get_exchange(isolation.exchange)
            await exchange.publish(
                aio_pika.Message(b"{not json", message_id="garbage"),
                routing_key="bac-kan.registration.pledge-registered",
            )

            async def settled() -> None:
                rows = await rt.db.fetch("SELECT subject_code FROM reporting.pledges ORDER BY 1")
                assert [r["subject_code"] for r in rows] == ["dv-1", "dv-3"]
                dlq = await channel.declare_queue(f"{isolation.queue_prefix}reporting.dlq", passive=True)
                assert dlq.declaration_result.message_count == 3

            await eventually(settled)
        errors = {r["event_id"]: r for r in await rt.db.fetch("SELECT * FROM reporting.dead_letters")}
        assert "no projection for 'tdkt.registration.something-new.v1'" in errors[unknown["id"]]["error"]
        assert errors[unknown["id"]]["attempts"] == 1  # unknown type: dead-lettered at once
        assert "KeyError" in errors[broken["id"]]["error"]
        assert errors[broken["id"]]["attempts"] == 3  # bounded retries, then dead-lettered
        assert "not JSON" in errors["garbage"]["error"]
    finally:
        await rt.stop()
