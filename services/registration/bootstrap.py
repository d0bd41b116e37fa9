"""Wires registration's parts: its application, event log, read model, relay and HTTP API.

The parts the routes use are one typed object, `RegistrationParts`, held by the runtime
(`rt.parts`); the routes reach it through `entrypoints.parts.parts_of`."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from fastapi import FastAPI

from services.registration.adapters import award_catalogue
from services.registration.adapters.id_tokens import IdTokens
from services.registration.adapters.migrations import VERSIONS
from services.registration.adapters.queries import Queries
from services.registration.adapters.readmodel import ReadModel
from services.registration.adapters.signing_keys import SigningKeys
from services.registration.application import access
from services.registration.application import commands as c
from services.registration.application.contracts import CONTRACTS
from services.registration.application.service import RegistrationApplication
from services.registration.entrypoints import access_api, activities_api, api, pledges_api
from shared.kernel.errors import Conflict
from shared.kernel.settings import RegistrationSettings
from shared.messaging.consumer import Consumer
from shared.ops.runtime import Runtime
from shared.store.eventstore import CommandResult, Context
from shared.store.group_commit import Grouped
from shared.web.app import create_app
from shared.web.subscriptions import subscriptions_router

log = logging.getLogger("tdkt.registration")


@dataclass
class RegistrationParts:
    application: RegistrationApplication
    # The lists' read model (rm_* tables), caught up before each read, and its queries.
    readmodel: ReadModel
    queries: Queries
    # Single pledges of concurrent requests, checked and stored together (shared.store.group_commit).
    pledges: Grouped[tuple[Context, str, c.RegisterPledge], CommandResult]
    # People and access: the token signing keys and the trusted providers' ID tokens.
    access: access_api.AccessParts | None = None


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
    # the federations' own awards, as awards publishes them (adapters.award_catalogue)
    handle = award_catalogue.handler(rt.settings.schema_name)
    bindings = award_catalogue.BINDINGS
    rt.consumers.append(
        Consumer(
            rt.settings,
            rt.db,
            "registration.awards",
            bindings[0],
            handle,
            handle_batch=None,
            also=bindings[1:],
        )
    )
    keys = SigningKeys(rt.db, rt.settings.schema_name, rt.settings)
    if "api" in rt.components:
        await keys.ensure()
        rt.background.append(keys.run)
        await asyncio.to_thread(first_admin, app, rt.settings)
    rt.parts = RegistrationParts(
        application=app,
        readmodel=readmodel,
        queries=Queries(rt.db, rt.settings.schema_name),
        pledges=Grouped(app.register_pledge_group),
        access=access_api.AccessParts(
            keys,
            IdTokens(
                rt.settings.oidc_providers, rt.settings.jwks_max_age_seconds, rt.settings.jwks_refetch_seconds
            ),
        ),
    )


def first_admin(app: RegistrationApplication, settings: RegistrationSettings) -> None:
    """The installation's first national admin (TDKT_FIRST_ADMIN_EMAIL, or _ISSUER and
    _SUBJECT), granted once; a no-op on every later start."""
    issuer, subject = settings.first_admin_issuer, settings.first_admin_subject
    if settings.first_admin_email or (issuer and subject):
        reason = "the installation's first national administrator (TDKT_FIRST_ADMIN_*)"
        try:
            access.first_admin(app, settings.first_admin_email, issuer, subject, reason)
        except Conflict:  # another replica, starting at the same time, made them
            log.info("the first national admin was made by another process")


async def knows_federation(rt: Runtime, code: str) -> bool:
    """Subscriptions (shared.web.subscriptions) are for registration's own federations only."""
    parts = rt.parts
    if not isinstance(parts, RegistrationParts):  # not set up: no federation is known yet
        return False
    return await asyncio.to_thread(parts.application.knows_federation, code)


def runtime(
    settings: RegistrationSettings | None = None, components: frozenset[str] = frozenset({"api", "relay"})
) -> Runtime:
    return Runtime(
        settings or RegistrationSettings(), setup=setup, components=components, migrations=VERSIONS
    )


def build_app(rt: Runtime) -> FastAPI:
    return create_app(
        rt,
        "TĐKT registration",
        "Units, members, movements, pledges, covenants, targets, initiatives and works; people, "
        "their role assignments and the product's access tokens.",
        [
            api.router,
            pledges_api.router,
            activities_api.router,
            subscriptions_router(knows_federation),
            access_api.router,
        ],
        fast=pledges_api.FAST,
    )
