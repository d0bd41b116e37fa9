"""Wires registration's parts: its application, event log, read model, relay and HTTP API.

The parts the routes use are one typed object, `RegistrationParts`, held by the runtime
(`rt.parts`); the routes reach it through `entrypoints.parts.parts_of`."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from fastapi import FastAPI

from services.registration.adapters.queries import Queries
from services.registration.adapters.readmodel import ReadModel
from services.registration.application import commands as c
from services.registration.application.contracts import CONTRACTS
from services.registration.application.service import RegistrationApplication
from services.registration.entrypoints import activities_api, api, pledges_api
from shared import subscriptions
from shared.eventstore import CommandResult, Context
from shared.grouping import Grouped
from shared.runtime import Runtime
from shared.settings import RegistrationSettings
from shared.web import create_app

log = logging.getLogger("tdkt.registration")


@dataclass
class RegistrationParts:
    application: RegistrationApplication
    # The lists' read model (rm_* tables), caught up before each read, and its queries.
    readmodel: ReadModel
    queries: Queries
    # Single pledges of concurrent requests, checked and stored together (shared.grouping).
    pledges: Grouped[tuple[Context, str, c.RegisterPledge], CommandResult]


async def setup(rt: Runtime) -> None:
    assert isinstance(rt.settings, RegistrationSettings)
    app = await asyncio.to_thread(RegistrationApplication, rt.settings)
    eventlog = rt.attach(app, CONTRACTS)
    readmodel = ReadModel(rt.db, rt.settings.schema_name, eventlog)
    await readmodel.migrate()
    if "api" in rt.components:  # the lists are the API's; a relay-only process leaves them alone
        # Serve once the lists are current: the first reads would wait for it anyway, and the
        # first commands would share the process with a long catch-up.
        try:
            await readmodel.catch_up()
        except Exception:  # as in the background loop: the next read or round retries
            log.warning("registration read model could not catch up at start", exc_info=True)
        rt.background.append(readmodel.run)
    rt.parts = RegistrationParts(
        application=app,
        readmodel=readmodel,
        queries=Queries(rt.db, rt.settings.schema_name),
        pledges=Grouped(app.register_pledge_group),
    )

    async def knows_federation(code: str) -> bool:  # subscriptions are for these only
        return await asyncio.to_thread(app.knows_federation, code)

    rt.extras[subscriptions.FEDERATIONS] = knows_federation  # the hook shared.subscriptions reads


def runtime(
    settings: RegistrationSettings | None = None, components: frozenset[str] = frozenset({"api", "relay"})
) -> Runtime:
    return Runtime(settings or RegistrationSettings(), setup=setup, components=components)


def build_app(rt: Runtime) -> FastAPI:
    return create_app(
        rt,
        "TĐKT registration",
        "Units, members, movements, pledges, covenants, targets, initiatives and works.",
        [api.router, pledges_api.router, activities_api.router, subscriptions.router],
        fast=pledges_api.FAST,
    )
