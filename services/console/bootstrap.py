"""Wires the console: settings, the session store, the clients of the three services, the
pages, and what wraps every answer (session cookie and security headers: entrypoints/middleware;
error pages: entrypoints/error_handlers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import make_asgi_app

from services.console.adapters.services import Services
from services.console.adapters.session_store import PostgresStore
from services.console.application.sessions import MemoryStore, SessionStore
from services.console.entrypoints import activities as activity_pages
from services.console.entrypoints import audit as audit_pages
from services.console.entrypoints import catalogue as catalogue_pages
from services.console.entrypoints import (
    common,
    corrections,
    council_convening,
    council_resolving,
    error_handlers,
    home,
    member_changes,
    middleware,
    movements,
    national_people,
    nominations,
    oidc_signin,
    pledges,
    service_secret,
    signin,
    tree,
    who_could,
)
from services.console.entrypoints import councils as council_pages
from services.console.entrypoints import decisions as decision_pages
from services.console.entrypoints import disclosure as disclosure_pages
from services.console.entrypoints import dossiers as dossier_pages
from services.console.entrypoints import downloads as download_pages
from services.console.entrypoints import headcounts as headcount_pages
from services.console.entrypoints import list_uploads as list_upload_pages
from services.console.entrypoints import national as national_pages
from services.console.entrypoints import paper as paper_pages
from services.console.entrypoints import people as people_pages
from services.console.entrypoints import printing as printing_pages
from services.console.entrypoints import reports as report_pages
from services.console.entrypoints import targets as target_pages
from services.console.timing import ServerTiming
from shared.kernel.settings import ConsoleSettings


def build_app(
    settings: ConsoleSettings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    sessions: SessionStore | None = None,
) -> FastAPI:
    settings = settings or ConsoleSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = Services.connect(settings, transport)
        store = app.state.sessions
        if isinstance(store, PostgresStore):
            await store.start()
        try:
            yield
        finally:
            if isinstance(store, PostgresStore):
                await store.stop()
            await app.state.services.close()
            oidc = getattr(app.state, "oidc", None)
            if oidc is not None:
                await oidc.http.aclose()

    app = FastAPI(
        title="TĐKT console",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        dependencies=[Depends(common.check_csrf)],
    )
    app.state.settings = settings
    app.state.sessions = sessions or session_store(settings)

    middleware.add_session_and_headers(app, settings)

    app.add_middleware(ServerTiming)  # outermost: Server-Timing and /metrics' histogram (timing.py)

    error_handlers.add_error_handlers(app)

    @app.get("/health", include_in_schema=False)
    async def health() -> JSONResponse:
        return JSONResponse({"status": "ok", "service": "console"})

    app.mount("/static", StaticFiles(directory=common.HERE / "static"), name="static")
    app.mount("/metrics", make_asgi_app())
    # Each list's .xlsx before the pages: /units/{code}/members.xlsx is not a unit change's form.
    app.include_router(download_pages.router)
    app.include_router(corrections.router)  # before tree's and member_changes' /{action} routes
    app.include_router(headcount_pages.router)  # …/units/{code}/so-lieu, before tree's /{action}
    for module in (signin, oidc_signin, home, tree, pledges, movements, nominations):
        app.include_router(module.router)
    app.include_router(list_upload_pages.router)  # lists uploaded as .xlsx, each kind's template
    app.include_router(member_changes.router)  # a member transferred, or recorded as having left
    app.include_router(people_pages.router)  # people and access: invite, grant, revoke, history
    app.include_router(national_people.router)  # the same nationally: national roles, federation admins
    app.include_router(service_secret.router)  # a service account's secret, shown once
    app.include_router(who_could.router)  # who could do an action on a day, and who allowed it
    # convening before the council's pages: /councils/new is not a council's code
    app.include_router(council_convening.router)  # convening, the secret ballot's key
    app.include_router(council_pages.router)  # councils: list, agenda, ballots, written votes
    app.include_router(council_resolving.router)  # resolving
    app.include_router(decision_pages.router)  # decisions from passed nominations, revocations
    app.include_router(dossier_pages.router)  # a nomination's dossier files, a decision's signed scan
    app.include_router(printing_pages.router)  # a decision and its certificates printed; /xac-minh, public
    app.include_router(paper_pages.router)  # mẫu in: the wording and images decisions are printed with
    app.include_router(disclosure_pages.router)  # /cong-khai/{federation}, public; disclosure, objections
    app.include_router(activity_pages.router)  # initiatives, works
    app.include_router(catalogue_pages.router)  # the catalogue, read only: dates, retired awards
    app.include_router(target_pages.router)  # targets: progress, .xlsx, setting a unit's
    app.include_router(national_pages.router)  # the national roll-up, nominations forwarded upward
    app.include_router(report_pages.router)  # every report: filters, chart, table, .xlsx
    app.include_router(audit_pages.router)  # auditors: histories as of a date, record trails, chains
    return app


def session_store(settings: ConsoleSettings) -> MemoryStore | PostgresStore:
    """In PostgreSQL, shared by every replica, when a session key is set; else in memory."""
    idle, longest = settings.console_session_idle_seconds, settings.console_session_max_seconds
    if settings.console_session_key:
        return PostgresStore(settings.database_url, settings.console_session_key, idle, longest)
    return MemoryStore(idle, longest)
