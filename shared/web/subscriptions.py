"""Subscriptions for other systems, and the AsyncAPI document of what they can subscribe to.

`POST /v1/federations/{federation}/subscriptions` provisions a durable quorum queue with its
own dead-letter queue, bound to the exchange with that federation's routing keys only
(`<federation>.<service>.<event-name>`, I5); `POST /v1/subscriptions` (national scope) binds
every federation. Records live in the service's schema; the queue is declared inside the
record's transaction, so a record never exists without its queue (a queue left by a failed
commit is re-used by the retry: declaring is idempotent). `GET /asyncapi` describes every
published event of the service (shared.web.asyncapi).

A subscription's federation is one the service knows (the `knows_federation` each publishing
service's bootstrap passes to `subscriptions_router`: registration's own federations, awards'
copy of registration's facts), named by a code that makes a valid queue name and routing key;
`*` is not a federation (the national subscriptions have their own path)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import aio_pika
import asyncpg
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from shared.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from shared.messaging.contracts import Contracts
from shared.ops.runtime import Runtime
from shared.web.asyncapi import asyncapi
from shared.web.caller import Caller, runtime

NAME = r"^[a-z0-9][a-z0-9-]{0,62}$"
NATIONAL = "*"
FEDERATION = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")  # a federation's code (shared.kernel.commands.Code)
# Whether the service (its runtime) knows a federation: each publishing service's own answer.
KnowsFederation = Callable[[Runtime, str], Awaitable[bool]]


class NewSubscription(BaseModel):
    name: Annotated[
        str, Field(pattern=NAME, description="unique within the federation; part of the queue name")
    ]
    event_types: list[str] = Field(
        default_factory=list,
        description="CloudEvents types (`tdkt.registration.pledge-registered.v1`) or event names "
        "(`pledge-registered`); empty: every event the service publishes",
    )
    max_deliveries: Annotated[int, Field(ge=1, le=100)] = 5


def _contracts(rt: Runtime) -> Contracts:
    assert rt.eventlog is not None, "this service publishes no events"
    return rt.eventlog.contracts


def _names(rt: Runtime, requested: list[str]) -> list[str]:
    """Event names (kebab-case) for the requested types; every published one if none."""
    contracts = _contracts(rt)
    known = {t.split(".")[2]: t for t in contracts.types()}
    if not requested:
        return sorted(known)
    names = []
    for i, wanted in enumerate(requested):
        name = wanted.split(".")[2] if wanted.startswith("tdkt.") and wanted.count(".") == 3 else wanted
        if name not in known or (wanted.startswith("tdkt.") and wanted not in contracts.types()):
            raise Invalid.on(f"event_types[{i}]", f"'{wanted}' is not an event this service publishes")
        names.append(name)
    return sorted(set(names))


def queue_names(rt: Runtime, federation: str, name: str) -> tuple[str, str]:
    scope = "national" if federation == NATIONAL else federation
    queue = f"{rt.settings.queue_prefix}sub.{rt.settings.service}.{scope}.{name}"
    return queue, f"{queue}.dlq"


def bindings(rt: Runtime, federation: str, names: list[str]) -> list[str]:
    scope = "*" if federation == NATIONAL else federation
    return [f"{scope}.{rt.settings.service}.{n}" for n in names]


class Subscriptions:
    """What the routes share: the service's `knows_federation`, and its table (created by the
    service's migrations, shared.ops.migrations)."""

    def __init__(self, knows_federation: KnowsFederation) -> None:
        self.knows_federation = knows_federation

    async def table(self, rt: Runtime) -> str:
        return f'"{rt.settings.schema_name}".subscriptions'

    async def known(self, rt: Runtime, federation: str) -> None:
        """Refuse a federation the service does not know (or that no code could name) as missing."""
        if not FEDERATION.fullmatch(federation) or not await self.knows_federation(rt, federation):
            hint = " (subscriptions to every federation: /v1/subscriptions)" if federation == NATIONAL else ""
            raise NotFound(f"federation '{federation}' does not exist{hint}")


def _view(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "federation": row["federation"],
        "name": row["name"],
        "event_types": list(row["event_types"]),
        "bindings": list(row["bindings"]),
        "queue": row["queue"],
        "dead_letter_queue": row["dead_letter_queue"],
        "max_deliveries": row["max_deliveries"],
        "created_by": row["created_by"],
        "created_at": row["created_at"].isoformat(),
    }


async def provision(rt: Runtime, record: dict[str, Any]) -> None:
    connection = await aio_pika.connect(rt.settings.amqp_url, timeout=10)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(rt.settings.exchange, "topic", durable=True)
        await channel.declare_queue(
            record["dead_letter_queue"], durable=True, arguments={"x-queue-type": "quorum"}
        )
        queue = await channel.declare_queue(
            record["queue"],
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": record["max_deliveries"],
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": record["dead_letter_queue"],
            },
        )
        for key in record["bindings"]:
            await queue.bind(exchange, key)


async def unprovision(rt: Runtime, record: dict[str, Any]) -> None:
    connection = await aio_pika.connect(rt.settings.amqp_url, timeout=10)
    async with connection:
        for name in (record["queue"], record["dead_letter_queue"]):
            channel = await connection.channel()
            with contextlib.suppress(aio_pika.exceptions.ChannelNotFoundEntity):
                await channel.queue_delete(name)


async def _create(
    rt: Runtime, table: str, caller: Any, federation: str, body: NewSubscription
) -> JSONResponse:
    names = _names(rt, body.event_types)
    queue, dlq = queue_names(rt, federation, body.name)
    record = {
        "federation": federation,
        "name": body.name,
        "event_types": [t for t in _contracts(rt).types() if t.split(".")[2] in names],
        "bindings": bindings(rt, federation, names),
        "queue": queue,
        "dead_letter_queue": dlq,
        "max_deliveries": body.max_deliveries,
    }
    async with rt.db.acquire() as conn, conn.transaction():
        existing = await conn.fetchrow(
            f"SELECT * FROM {table} WHERE federation = $1 AND name = $2 FOR UPDATE", federation, body.name
        )
        if existing is not None:
            if all(_view(existing)[k] == v for k, v in record.items()):
                await provision(rt, record)  # the same request again: re-declare what went missing
                return JSONResponse(_view(existing), status_code=200)
            raise Conflict(f"a subscription named '{body.name}' exists with other settings")
        row = await conn.fetchrow(
            f"INSERT INTO {table} (federation, name, event_types, bindings, queue, dead_letter_queue, "
            "max_deliveries, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
            *record.values(),
            caller.sub,
        )
        await provision(rt, record)
    return JSONResponse(_view(row), status_code=201)


async def _list(rt: Runtime, table: str, federation: str | None) -> list[dict[str, Any]]:
    if federation is None:
        rows = await rt.db.fetch(f"SELECT * FROM {table} ORDER BY federation, name")
    else:
        rows = await rt.db.fetch(f"SELECT * FROM {table} WHERE federation = $1 ORDER BY name", federation)
    return [_view(r) for r in rows]


async def _delete(rt: Runtime, table: str, federation: str, name: str) -> Response:
    async with rt.db.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            f"DELETE FROM {table} WHERE federation = $1 AND name = $2 RETURNING *", federation, name
        )
        if row is None:
            raise NotFound(f"no subscription named '{name}'")
        await unprovision(rt, _view(row))
    return Response(status_code=204)


def _national(caller: Any) -> None:
    caller.require("subscription.manage")
    if not caller.is_national:
        raise Forbidden("subscribing to every federation needs a national-scope token")


FED = "/v1/federations/{federation}/subscriptions"


def subscriptions_router(knows_federation: KnowsFederation) -> APIRouter:
    """The subscription routes and /asyncapi; subscriptions are only for the federations
    `knows_federation` knows."""
    router = APIRouter(tags=["subscriptions"])
    subs = Subscriptions(knows_federation)
    _federation_routes(router, subs)
    _national_routes(router, subs)

    @router.get("/asyncapi", tags=["operations"], summary="AsyncAPI document of every published event")
    async def asyncapi_document(request: Request) -> dict[str, Any]:
        rt = runtime(request)
        return asyncapi(_contracts(rt), rt.settings.exchange)

    return router


def _federation_routes(router: APIRouter, subs: Subscriptions) -> None:
    @router.post(FED, status_code=201, summary="Subscribe another system to the federation's events")
    async def create_subscription(
        federation: str, body: NewSubscription, caller: Caller, request: Request
    ) -> JSONResponse:
        """Provisions a durable quorum queue (with a dead-letter queue after `max_deliveries`)
        bound to this federation's routing keys for the chosen events. The same request again
        answers 200 with the existing subscription; the same name with other settings is 409."""
        caller.require("subscription.manage", federation)
        rt = runtime(request)
        await subs.known(rt, federation)
        return await _create(rt, await subs.table(rt), caller, federation, body)

    @router.get(FED, summary="The federation's subscriptions")
    async def list_subscriptions(federation: str, caller: Caller, request: Request) -> list[dict[str, Any]]:
        caller.require("subscription.manage", federation)
        rt = runtime(request)
        await subs.known(rt, federation)
        return await _list(rt, await subs.table(rt), federation)

    @router.delete(FED + "/{name}", status_code=204, summary="Delete a subscription and its queues")
    async def delete_subscription(federation: str, name: str, caller: Caller, request: Request) -> Response:
        caller.require("subscription.manage", federation)
        rt = runtime(request)
        await subs.known(rt, federation)
        return await _delete(rt, await subs.table(rt), federation, name)


def _national_routes(router: APIRouter, subs: Subscriptions) -> None:
    @router.post("/v1/subscriptions", status_code=201, summary="Subscribe to every federation (national)")
    async def create_national_subscription(
        body: NewSubscription, caller: Caller, request: Request
    ) -> JSONResponse:
        _national(caller)
        rt = runtime(request)
        return await _create(rt, await subs.table(rt), caller, NATIONAL, body)

    @router.get("/v1/subscriptions", summary="Every subscription (national)")
    async def list_all_subscriptions(caller: Caller, request: Request) -> list[dict[str, Any]]:
        _national(caller)
        rt = runtime(request)
        return await _list(rt, await subs.table(rt), None)

    @router.delete("/v1/subscriptions/{name}", status_code=204, summary="Delete a national subscription")
    async def delete_national_subscription(name: str, caller: Caller, request: Request) -> Response:
        _national(caller)
        rt = runtime(request)
        return await _delete(rt, await subs.table(rt), NATIONAL, name)
