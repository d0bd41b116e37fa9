"""Aggregate ids derived from business keys: pure (no I/O), so domain modules may import it."""

from __future__ import annotations

import hashlib
from uuid import UUID, SafeUUID

NAMESPACE = UUID("6f1d3c2e-8a41-4f0e-9a53-2b7d9c1e0a10")

_NAMESPACE_BYTES = NAMESPACE.bytes
_VERSION_5_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_VERSION_5_SET = (0x8000 << 48) | (5 << 76)


def stable_id(*parts: str) -> UUID:
    """Aggregate ids derived from business keys, so a duplicate is a version clash in the store.

    uuid5(NAMESPACE, "\x1f".join(parts)) exactly, as the stdlib computes it, without its
    argument checks (a bulk list derives tens of thousands; tests/unit/test_bulk_ids.py)."""
    digest = hashlib.sha1(_NAMESPACE_BYTES + "\x1f".join(parts).encode()).digest()
    ident = object.__new__(UUID)
    object.__setattr__(ident, "int", (int.from_bytes(digest[:16]) & _VERSION_5_CLEAR) | _VERSION_5_SET)
    object.__setattr__(ident, "is_safe", SafeUUID.unknown)
    return ident
