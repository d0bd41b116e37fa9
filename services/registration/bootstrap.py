"""Wires registration's parts: its application, event log, read model, relay and HTTP API."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from services.registration.adapters.queries import Queries
from services.registration.adapters.readmodel import ReadModel
from services.registration.application.contracts import CONTRACTS
from services.registration.application.service import RegistrationApplication
from services.registration.entrypoints import activities_api, api, pledges_api
from shared.runtime import Runtime
from shared.settings import RegistrationSettings
from shared.subscriptions import router as subscriptions
from shared.web import create_app


async def setup(rt: Runtime) -> None:
    assert isinstance(rt.settings, RegistrationSettings)
    app = await asyncio.to_thread(RegistrationApplication, rt.settings)
    eventlog = rt.attach(app, CONTRACTS)
    readmodel = ReadModel(rt.db, rt.settings.schema_name, eventlog)
    await readmodel.migrate()
    rt.extras["readmodel"] = readmodel
    if "api" in rt.components:  # the lists are the API's; a relay-only process leaves them alone
        rt.background.append(readmodel.run)
    rt.extras["queries"] = Queries(rt.db, rt.settings.schema_name)


def runtime(
    settings: RegistrationSettings | None = None, components: frozenset[str] = frozenset({"api", "relay"})
) -> Runtime:
    return Runtime(settings or RegistrationSettings(), setup=setup, components=components)


def build_app(rt: Runtime) -> FastAPI:
    return create_app(
        rt,
        "TĐKT registration",
        "Units, members, movements, pledges, covenants, targets, initiatives and works.",
        [api.router, pledges_api.router, activities_api.router, subscriptions],
    )
