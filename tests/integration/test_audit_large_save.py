"""A large save is sealed in its own transaction and verifies (10,000 events at once used to
stall in the library's pipeline when the chain read every stored row back)."""

from __future__ import annotations

import asyncio

from services.registration.domain.organisation import Unit
from shared.kernel.settings import RegistrationSettings
from shared.store.audit.verification import verify
from shared.store.eventstore import ServiceApplication
from tests.support import Isolation


async def test_ten_thousand_events_in_one_save_are_sealed(isolation: Isolation) -> None:
    settings = isolation.settings(RegistrationSettings)

    def save() -> str:
        app = ServiceApplication(settings)
        table = app.recorder.events_table_name  # type: ignore[attr-defined]
        units = [
            Unit(
                federation="bac-kan",
                code=f"u{i}",
                name=f"U{i}",
                kind="grassroots",
                parent=None,
                ancestry=[f"u{i}"],
                effective_on=None,
                meta={"actor": "t"},
            )
            for i in range(10_000)
        ]
        app.save(*units)
        app.close()
        return str(table)

    table = await asyncio.wait_for(asyncio.to_thread(save), timeout=240)
    verdict = await asyncio.to_thread(verify, settings.database_url, settings.schema_name, table)
    assert verdict.ok and verdict.checked == 10_000, verdict
