"""stable_id is uuid5 over the joined business key, exactly (ids of stored aggregates depend on it)."""

from __future__ import annotations

import pickle
import random
from uuid import UUID, uuid5

import pytest

from shared.kernel.ids import NAMESPACE, stable_id


def reference(*parts: str) -> UUID:
    return uuid5(NAMESPACE, "\x1f".join(parts))


def test_the_same_ids_as_uuid5() -> None:
    rng = random.Random(5)
    alphabet = "abcxyz-_0123456789 Đđăâêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ\x00\x1f\u2028😀"
    keys: list[tuple[str, ...]] = [(), ("",), ("pledge", "bac-kan", "td-2026", "member", "dv-000001", "ldtt")]
    for _ in range(5000):
        keys.append(
            tuple("".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(rng.randint(1, 6)))
        )
    for key in keys:
        got, expected = stable_id(*key), reference(*key)
        assert got == expected and got.int == expected.int and hash(got) == hash(expected)
        assert str(got) == str(expected) and got.version == 5 and got.variant == expected.variant
        assert got.is_safe == expected.is_safe
        assert pickle.loads(pickle.dumps(got)) == expected


def test_unencodable_text_is_refused_as_by_uuid5() -> None:
    with pytest.raises(UnicodeEncodeError):
        reference("\ud800")
    with pytest.raises(UnicodeEncodeError):
        stable_id("\ud800")
