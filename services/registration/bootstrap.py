"""Wires registration's parts: its application, event log, relay and HTTP API."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from services.registration.application.contracts import CONTRACTS
from services.registration.application.service import RegistrationApplication
from services.registration.entrypoints import api
from shared.eventlog import EventLog
from shared.relay import Relay
from shared.runtime import Runtime
from shared.settings import RegistrationSettings
from shared.web import create_app


async def setup(rt: Runtime) -> None:
    assert isinstance(rt.settings, RegistrationSettings)
    app = await asyncio.to_thread(RegistrationApplication, rt.settings)
    rt.application = app
    rt.eventlog = EventLog(
        rt.db,
        rt.settings.schema_name,
        app.recorder.events_table_name,  # type: ignore[attr-defined]
        app.mapper,
        CONTRACTS,
    )
    rt.relay = Relay(rt.settings, rt.db, rt.eventlog)


def runtime(
    settings: RegistrationSettings | None = None, components: frozenset[str] = frozenset({"api", "relay"})
) -> Runtime:
    return Runtime(settings or RegistrationSettings(), setup=setup, components=components)


def build_app(rt: Runtime) -> FastAPI:
    return create_app(
        rt,
        "TĐKT registration",
        "Units, members, movements, pledges, covenants, targets, initiatives and works.",
        [api.router],
    )
