"""Wires awards' parts: the application (event store and use cases), its event log and relay,
awards' copy of registration's facts with the consumer that fills it, the lists (index) of its
own nominations and grants, and the HTTP API. `AwardsParts` is what the routes and tests reach."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass

from fastapi import FastAPI

from services.awards.adapters.blobs import Blobs
from services.awards.adapters.documents.renderer import Renderer
from services.awards.adapters.index import Index
from services.awards.adapters.migrations import VERSIONS
from services.awards.adapters.registration_facts import RegistrationFacts
from services.awards.application.app import AwardsApplication
from services.awards.application.contracts import CONTRACTS
from services.awards.domain import verification
from services.awards.entrypoints import (
    api,
    attachments_api,
    catalogue_api,
    councils_api,
    disclosures_api,
    documents_api,
    history_api,
    national_api,
    nomination_lists_api,
    nominations_api,
    verify_api,
)
from shared.kernel.settings import AwardsSettings
from shared.messaging.consumer import Consumer
from shared.ops.runtime import Runtime
from shared.web.app import create_app
from shared.web.subscriptions import subscriptions_router


@dataclass(frozen=True)
class AwardsParts:
    application: AwardsApplication
    facts: RegistrationFacts  # awards' copy of registration's facts (subjects, pledges, ...)
    index: Index  # lists of awards' own nominations and grants
    blobs: Blobs  # the bytes of dossier files, by their SHA-256
    renderer: Renderer  # renders decisions and certificates in awards' document processes


def parts_of(rt: Runtime) -> AwardsParts:
    """The parts `setup` placed on the runtime."""
    assert isinstance(rt.parts, AwardsParts), "awards' runtime not started"
    return rt.parts


async def setup(rt: Runtime) -> None:
    assert isinstance(rt.settings, AwardsSettings)
    app = await asyncio.to_thread(AwardsApplication, rt.settings)
    eventlog = rt.attach(app, CONTRACTS)
    facts = RegistrationFacts(rt.db, rt.settings.schema_name)
    secret = rt.settings.verification_secret.get_secret_value().encode()
    index = Index(rt.db, rt.settings.schema_name, eventlog, functools.partial(verification.code_of, secret))
    await index.create_tables()
    blobs = Blobs(rt.db, rt.settings.schema_name)
    renderer = Renderer(rt.settings.document_processes)
    rt.parts = AwardsParts(application=app, facts=facts, index=index, blobs=blobs, renderer=renderer)
    if "api" in rt.components:
        rt.background.append(index.run)
        rt.background.append(renderer.run)
    consumer = Consumer(
        rt.settings, rt.db, "awards.registration", "*.registration.*", facts.handle, handle_batch=None
    )
    rt.consumers.append(consumer)


async def knows_federation(rt: Runtime, code: str) -> bool:
    """Subscriptions (shared.web.subscriptions) are only for the federations awards' copy of
    registration's facts knows."""
    parts = rt.parts
    if not isinstance(parts, AwardsParts):  # not set up: no federation is known yet
        return False
    return await parts.facts.knows_federation(code)


def runtime(
    settings: AwardsSettings | None = None,
    components: frozenset[str] = frozenset({"api", "relay", "consumer"}),
) -> Runtime:
    return Runtime(settings or AwardsSettings(), setup=setup, components=components, migrations=VERSIONS)


def build_app(rt: Runtime) -> FastAPI:
    return create_app(
        rt,
        "TĐKT awards",
        "Catalogue and rules, ratings, discipline, nominations, councils, decisions, grants.",
        [
            api.router,
            catalogue_api.router,
            history_api.router,
            nominations_api.router,
            nomination_lists_api.router,
            attachments_api.router,
            councils_api.router,
            disclosures_api.router,
            national_api.router,
            documents_api.router,
            verify_api.router,
            subscriptions_router(knows_federation),
        ],
    )
