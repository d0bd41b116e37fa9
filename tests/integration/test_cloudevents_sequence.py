"""The envelopes as the official CloudEvents SDK reads them, with the Sequence extension: `sequence`
is a string that orders lexicographically as the log positions do, and the feed's `after` takes it
as well as the plain integer it took before."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import httpx
import pytest
from cloudevents.core.bindings import rabbitmq
from cloudevents.core.formats.json import JSONFormat

from scripts.asyncapi import shipped_documents
from services.registration import bootstrap as registration
from shared.kernel.settings import RegistrationSettings
from shared.messaging.contracts import sequence_text
from tests.support import BusTap, Isolation, bearer, eventually, in_process

NATIONAL = bearer("*", ["admin"], sub="lan.national")
SEQUENCE = re.compile(r"^[0-9]{20}$")  # the Sequence extension's string, as the contract pads it
EXAMPLES = [
    pytest.param(example["payload"], id=message["name"])
    for document in shipped_documents().values()
    for message in document["components"]["messages"].values()
    for example in message["examples"]
]


def read(body: bytes) -> Any:
    """The SDK's own structured-mode JSON reader (it refuses what CloudEvents 1.0 forbids)."""
    return JSONFormat().read(None, body)


def test_sequence_orders_as_text_as_it_does_as_a_number() -> None:
    positions = [1, 9, 10, 99, 100, 18342, 2**63 - 1]
    texts = [sequence_text(p) for p in positions]
    assert all(SEQUENCE.match(t) for t in texts), texts
    assert sorted(texts) == texts and [int(t) for t in texts] == positions


@pytest.mark.parametrize("envelope", EXAMPLES)
def test_every_documented_envelope_type_is_read_by_the_sdk(envelope: dict[str, Any]) -> None:
    """Given each published type's documented envelope, when the SDK reads it, then its
    attributes, data and Sequence extension come through."""
    event = read(json.dumps(envelope).encode())
    assert event.get_type() == envelope["type"] and event.get_specversion() == "1.0"
    assert event.get_data() == envelope["data"]
    assert SEQUENCE.match(event.get_extension("sequence")), event.get_extension("sequence")


async def test_every_envelope_on_the_bus_is_read_by_the_sdk_and_the_feed_resumes_from_its_sequence(
    isolation: Isolation,
) -> None:
    """Given registration publishing units and a member, when the SDK reads each
    message off the bus (its RabbitMQ binding, structured mode), then each carries a 20-digit
    `sequence` ordering as text as it does as a number; and the feed resumes after a sequence given
    as that string or as the integer."""
    rt = registration.runtime(isolation.settings(RegistrationSettings), frozenset({"api", "relay"}))
    async with contextlib.AsyncExitStack() as stack:
        tap = await stack.enter_async_context(BusTap(isolation))
        reg: httpx.AsyncClient = await stack.enter_async_context(in_process(rt, registration.build_app))
        r = await reg.post("/v1/federations", json={"code": "bac-kan", "name": "Bắc Kạn"}, headers=NATIONAL)
        assert r.status_code == 201, r.text
        fed = "/v1/federations/bac-kan"
        for code in ("cdcs-a", "cdcs-b"):
            unit = {"code": code, "name": f"Đơn vị {code}", "kind": "grassroots"}
            assert (await reg.post(f"{fed}/units", json=unit, headers=NATIONAL)).status_code == 201
        member = {"code": "dv-1", "full_name": "Nguyễn Văn A", "unit": "cdcs-a"}
        assert (await reg.post(f"{fed}/members", json=member, headers=NATIONAL)).status_code == 201

        async def four() -> list[Any]:
            assert len(tap.messages) >= 4, len(tap.messages)
            return list(tap.messages)

        messages = await eventually(four)
        events = []
        for message in messages:
            headers = {k: str(v) for k, v in (message.headers or {}).items()}
            wire = rabbitmq.RabbitMQMessage(
                headers=headers, content_type=message.content_type, body=message.body
            )
            events.append(rabbitmq.from_rabbitmq_event(wire))
        sequences = [e.get_extension("sequence") for e in events]
        assert all(isinstance(s, str) and SEQUENCE.match(s) for s in sequences), sequences
        assert sorted(sequences) == sorted(sequences, key=int)
        assert {e.get_type() for e in events} >= {
            "tdkt.registration.unit-registered.v1",
            "tdkt.registration.member-registered.v1",
        }

        feed = (await reg.get(f"{fed}/events", headers=NATIONAL)).json()
        first = feed["events"][0]["sequence"]
        assert SEQUENCE.match(first) and first in sequences
        for after in (first, int(first)):
            page = (await reg.get(f"{fed}/events", params={"after": after}, headers=NATIONAL)).json()
            assert [e["sequence"] for e in page["events"]] == [e["sequence"] for e in feed["events"][1:]]
