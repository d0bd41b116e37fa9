"""One running stack for the property-based tests of this package (test_fuzz.py and
test_conformance.py share it, and the requests Schemathesis generates: fuzz_generation.findings)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.fuzz_stack import Stack, started


@pytest.fixture(scope="package")
def stack() -> Iterator[Stack]:
    with started() as running:
        yield running
