"""The chain's link hash: every field counts, and no two field splits collide."""

from __future__ import annotations

from uuid import UUID

from shared.store.audit.chain import GENESIS, link_hash

OID = UUID("6f1d3c2e-8a41-4f0e-9a53-2b7d9c1e0a10")


def test_each_field_changes_the_link_and_fields_are_framed() -> None:
    base = link_hash(GENESIS, 7, OID, 1, "a:B", b'{"x":1}')
    assert base == link_hash(GENESIS, 7, str(OID), 1, "a:B", b'{"x":1}')  # as read back by verify
    variants = [
        link_hash(b"\x01" * 32, 7, OID, 1, "a:B", b'{"x":1}'),
        link_hash(GENESIS, 8, OID, 1, "a:B", b'{"x":1}'),
        link_hash(GENESIS, 7, UUID(int=OID.int + 1), 1, "a:B", b'{"x":1}'),
        link_hash(GENESIS, 7, OID, 2, "a:B", b'{"x":1}'),
        link_hash(GENESIS, 7, OID, 1, "a:C", b'{"x":1}'),
        link_hash(GENESIS, 7, OID, 1, "a:B", b'{"x":2}'),
        link_hash(GENESIS, 7, OID, 1, "a:B{", b'"x":1}'),  # the same bytes, split differently
    ]
    assert len({base, *variants}) == len(variants) + 1
    assert len(base) == 32
