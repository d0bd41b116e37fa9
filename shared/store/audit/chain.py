"""A link of the chain: its hash, the links of rows in notification order, the table beside a log."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from typing import Any

GENESIS = bytes(32)

_HEAD = struct.Struct("!32sqI")  # prev, notification_id, length of the originator id
_INT8_LEN4 = struct.Struct("!qI")  # version, length of the topic
_LEN4 = struct.Struct("!I")


def link_hash(
    prev: bytes, notification_id: int, originator_id: Any, version: int, topic: str, state: bytes
) -> bytes:
    """sha256(prev || notification_id || originator_id || version || topic || state), integers
    8-byte big-endian signed, the three strings length-prefixed (4 bytes), hashed in one call."""
    oid = str(originator_id).encode()
    topic_b = topic.encode()
    return hashlib.sha256(
        b"".join(
            (
                _HEAD.pack(prev, notification_id, len(oid)),
                oid,
                _INT8_LEN4.pack(version, len(topic_b)),
                topic_b,
                _LEN4.pack(len(state)),
                state,
            )
        )
    ).digest()


def chain_rows(
    prev_id: int, prev: bytes, rows: Iterable[tuple[int, Any, int, str, bytes]]
) -> tuple[list[int], list[int], list[bytes]]:
    """The links of `rows` — (notification_id, originator_id, version, topic, state), in
    notification order — after the link (prev_id, prev); (0, GENESIS) before the first."""
    ids: list[int] = []
    prevs: list[int] = []
    hashes: list[bytes] = []
    for nid, originator_id, version, topic, state in rows:
        prev = link_hash(prev, nid, originator_id, version, topic, bytes(state))
        ids.append(nid)
        prevs.append(prev_id)
        hashes.append(prev)
        prev_id = nid
    return ids, prevs, hashes


def chain_table(events_table: str) -> str:
    return f"{events_table}_chain"
