"""Wires awards' parts: application, event log, relay, the registration consumer, HTTP API."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from services.awards.adapters.directory import Directory
from services.awards.adapters.index import Index
from services.awards.application.contracts import CONTRACTS
from services.awards.application.service import AwardsApplication
from services.awards.entrypoints import api, cycle_api
from shared.consumer import Consumer
from shared.runtime import Runtime
from shared.settings import AwardsSettings
from shared.subscriptions import router as subscriptions
from shared.web import create_app


async def setup(rt: Runtime) -> None:
    assert isinstance(rt.settings, AwardsSettings)
    app = await asyncio.to_thread(AwardsApplication, rt.settings)
    eventlog = rt.attach(app, CONTRACTS)
    directory = Directory(rt.db, rt.settings.schema_name)
    await directory.create_tables()
    rt.extras["directory"] = directory
    rt.extras["federations"] = directory.knows_federation  # subscriptions only for these
    index = Index(rt.db, rt.settings.schema_name, eventlog)
    await index.create_tables()
    rt.extras["index"] = index
    if "api" in rt.components:
        rt.background.append(index.run)
    rt.consumers.append(
        Consumer(rt.settings, rt.db, "awards.registration", "*.registration.*", directory.handle)
    )


def runtime(
    settings: AwardsSettings | None = None,
    components: frozenset[str] = frozenset({"api", "relay", "consumer"}),
) -> Runtime:
    return Runtime(settings or AwardsSettings(), setup=setup, components=components)


def build_app(rt: Runtime) -> FastAPI:
    return create_app(
        rt,
        "TĐKT awards",
        "Catalogue and rules, ratings, discipline, nominations, councils, decisions, grants.",
        [api.router, cycle_api.router, subscriptions],
    )
