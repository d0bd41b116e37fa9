"""The quick profile's registration data, stored by the product's own application and recorder
(its aggregates, saved a few hundred per transaction), so the relay, the feed and the commands
see a log exactly as the service writes it."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate

from bench.generate import PLEDGE_AWARDS, Federation
from services.registration.application.service import RegistrationApplication
from services.registration.domain.movements import Movement
from services.registration.domain.organisation import Federation as FederationAggregate
from services.registration.domain.organisation import Member, Unit
from shared.kernel.settings import RegistrationSettings

META = {"actor": "bench", "scope": "*", "request_id": "", "correlation_id": "bench", "causation_id": "bench"}
MOVEMENT = "td-2026"


def aggregates(fed: Federation) -> list[Aggregate]:
    f = fed.code
    out: list[Aggregate] = [FederationAggregate(federation=f, name=fed.name, meta=META)]
    units = {}
    for u in fed.units:
        units[u.code] = Unit(
            federation=f,
            code=u.code,
            name=u.name,
            kind=u.kind,
            parent=u.ancestry[-2] if len(u.ancestry) > 1 else None,
            ancestry=list(u.ancestry),
            effective_on=None,
            meta=META,
        )
        out.append(units[u.code])
    for m in fed.members:
        out.append(
            Member(
                federation=f,
                code=m.code,
                full_name=m.full_name,
                unit=m.unit.code,
                unit_name=m.unit.name,
                unit_path=list(m.unit.ancestry),
                meta=META,
                birth_year=m.birth_year,
            )
        )
    out.append(
        Movement(
            federation=f,
            code=MOVEMENT,
            name="Thi đua 2026",
            theme="",
            year=2026,
            kind="annual",
            phases=[],
            awards=list(PLEDGE_AWARDS),
            registration_deadline=date(2026, 12, 31),
            launched_by=None,
            meta=META,
        )
    )
    return out


def seed(settings: RegistrationSettings, fed: Federation, per_save: int = 500) -> dict[str, Any]:
    app = RegistrationApplication(settings)
    try:
        todo = aggregates(fed)
        started = time.perf_counter()
        for i in range(0, len(todo), per_save):
            app.save(*todo[i : i + per_save])
        return {
            "events": len(todo),
            "seconds": round(time.perf_counter() - started, 2),
            "table": app.recorder.events_table_name,  # type: ignore[attr-defined]
        }
    finally:
        app.close()
