"""Wires reporting's parts: read models, the consumer of every service's events, HTTP API."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from services.reporting.adapters.projections import projector
from services.reporting.adapters.readmodels import SCHEMA_SQL
from services.reporting.adapters.report_queries import Reads
from services.reporting.application.lag import LagWatcher
from services.reporting.entrypoints import api, tree_api
from shared.kernel.settings import ReportingSettings
from shared.messaging.consumer import Consumer
from shared.messaging.tracking import ensure_tracking_tables
from shared.ops.runtime import Runtime
from shared.web.app import create_app


@dataclass(frozen=True)
class ReportingParts:
    """What reporting's routes and health use, set on `Runtime.parts` by `setup`."""

    reads: Reads  # the read models the reports read
    lag: LagWatcher  # how far behind each source reporting is


async def setup(rt: Runtime) -> None:
    schema = rt.settings.schema_name
    await rt.db.execute(SCHEMA_SQL.format(s=schema))
    await ensure_tracking_tables(rt.db, schema)
    parts = ReportingParts(reads=Reads(rt.db, schema), lag=LagWatcher(rt.settings, rt.db))
    rt.parts = parts
    rt.background.append(parts.lag.run)
    rt.health_parts.append(parts.lag.health)
    project = projector(schema)
    rt.consumers.append(Consumer(rt.settings, rt.db, "reporting", "#", project, handle_batch=project.batch))


# The reports' statements are short reads over a year's facts: compiling them (JIT, which a large
# plan's estimate triggers) costs more than it saves.
SERVER_SETTINGS = {"jit": "off"}


def runtime(
    settings: ReportingSettings | None = None, components: frozenset[str] = frozenset({"api", "consumer"})
) -> Runtime:
    return Runtime(
        settings or ReportingSettings(), setup=setup, components=components, server_settings=SERVER_SETTINGS
    )


def build_app(rt: Runtime) -> FastAPI:
    return create_app(
        rt,
        "TĐKT reporting",
        "Reports, histories and exports projected from every service's events.",
        [api.router, tree_api.router],
        feed=False,
    )
