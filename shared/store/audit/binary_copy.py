"""Events and their links in COPY's binary format, for the recorder's large saves."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from uuid import UUID

from eventsourcing.persistence import StoredEvent

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"
_UUID_ROW = struct.Struct("!hi16siqi")  # 5 fields; uuid; version; length of the topic
_LINK_ROW = struct.Struct("!hiqiqi32s")


def encode_events(events: Sequence[StoredEvent], ids: Sequence[int], uuid_ids: bool) -> bytes:
    """The rows in COPY's binary format (originator_id, version, topic, state, notification_id)."""
    parts = [_COPY_HEADER]
    append = parts.append
    int4 = struct.Struct("!i").pack
    nid_field = struct.Struct("!iq").pack
    for e, nid in zip(events, ids, strict=True):
        topic = e.topic.encode()
        state = bytes(e.state)
        if uuid_ids:
            oid = e.originator_id if isinstance(e.originator_id, UUID) else UUID(str(e.originator_id))
            append(_UUID_ROW.pack(5, 16, oid.bytes, 8, e.originator_version, len(topic)))
        else:
            text = str(e.originator_id).encode()
            append(
                struct.pack(f"!hi{len(text)}siqi", 5, len(text), text, 8, e.originator_version, len(topic))
            )
        append(topic)
        append(int4(len(state)))
        append(state)
        append(nid_field(8, nid))
    append(_COPY_TRAILER)
    return b"".join(parts)


def encode_links(ids: list[int], prevs: list[int], hashes: list[bytes]) -> bytes:
    """The links in COPY's binary format (notification_id, prev_id, hash)."""
    pack = _LINK_ROW.pack
    return b"".join(
        [
            _COPY_HEADER,
            *(pack(3, 8, i, 8, p, 32, h) for i, p, h in zip(ids, prevs, hashes, strict=True)),
            _COPY_TRAILER,
        ]
    )
