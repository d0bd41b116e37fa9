from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support import Isolation


@pytest.fixture
async def isolation() -> AsyncIterator[Isolation]:
    """Each test that touches PostgreSQL or RabbitMQ gets its own database and exchange."""
    iso = Isolation()
    yield iso
    iso.drop()
    await iso.drop_broker_objects()
