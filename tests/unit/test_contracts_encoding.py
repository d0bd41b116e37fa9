"""The bus encoding (orjson) reads back as the stdlib's did, and event ids stay uuid5's."""

from __future__ import annotations

import json
import math
import uuid

from shared.kernel.ids import NAMESPACE
from shared.messaging.contracts import encode, event_id


def stdlib(envelope: dict) -> bytes:
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


ENVELOPE = {
    "specversion": "1.0",
    "id": str(uuid.uuid4()),
    "type": "vn.tdkt.pledge-registered.v1",
    "federation": "bac-kan",
    "sequence": 12,
    "data": {
        "subject_name": "Nguyễn Văn An",
        "unit_path": ["ldld-bac-kan", "cdcs-a"],
        "year": 2025,
        "ratio": 0.1,
        "tiny": 1e-05,
        "phase": None,
        "accepted": True,
        "nested": [{"a": [1, 2.5, "ư"]}],
        "quote": 'a "b" \\ c\n\t\u2028',
    },
}


def test_an_envelope_reads_back_as_from_the_stdlib_encoder() -> None:
    assert json.loads(encode(ENVELOPE)) == json.loads(stdlib(ENVELOPE)) == ENVELOPE
    assert "Nguyễn".encode() in encode(ENVELOPE)  # UTF-8, not \\u escapes


def test_integers_beyond_64_bits_go_to_the_stdlib() -> None:
    envelope = {**ENVELOPE, "data": {"n": 2**70}}
    assert encode(envelope) == stdlib(envelope)
    assert json.loads(encode(envelope))["data"]["n"] == 2**70


def test_nan_is_written_as_null_which_jsonb_accepts() -> None:
    envelope = {**ENVELOPE, "data": {"x": math.nan}}
    assert json.loads(encode(envelope))["data"]["x"] is None


def test_event_ids_are_uuid5_of_aggregate_and_version() -> None:
    for _ in range(500):
        originator, version = uuid.uuid4(), 1 + (uuid.uuid4().int % 10_000)
        assert event_id(originator, version) == uuid.uuid5(NAMESPACE, f"{originator}:{version}")
