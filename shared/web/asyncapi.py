"""The AsyncAPI 3.0 document of every event a service publishes: served at `GET /asyncapi`
(shared.web.subscriptions) and shipped as docs/asyncapi-<service>.json (`python -m
scripts.asyncapi` writes them; a test checks the shipped files match). Each message's `data` is a
JSON Schema typed from the domain event the service publishes (`data_schema`: the same class whose
fields `Contracts.envelope` sends), with the contract's fixed values, formats and an example."""

from __future__ import annotations

import json
import types
import typing
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import resolve_topic

from shared.kernel.ids import stable_id
from shared.messaging.contracts import CONTENT_TYPE, ENVELOPE_FIELDS, Contract, Contracts, sequence_text

ENVELOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["specversion", "id", "source", "type", "subject", "time", "federation", "sequence", "data"],
    "properties": {
        "specversion": {"const": "1.0"},
        "id": {"type": "string", "format": "uuid", "description": "the stored event's id; also message_id"},
        "source": {"type": "string"},
        "type": {"type": "string"},
        "subject": {"type": "string", "description": "the aggregate id"},
        "time": {"type": "string", "format": "date-time"},
        "datacontenttype": {"const": "application/json"},
        "federation": {"type": "string"},
        "sequence": {
            "type": "string",
            "pattern": "^[0-9]{20}$",
            "description": "position in the service's log, zero-padded to 20 digits so it orders as text "
            "as it does as a number (CloudEvents Sequence extension); resume the feed here (after=)",
        },
        "actor": {"type": "string"},
        "actorscope": {"type": "string"},
        "actorassignment": {
            "type": "string",
            "description": "the role assignment the actor acted under (absent for development tokens)",
        },
        "requestid": {"type": "string"},
        "correlationid": {"type": "string"},
        "causationid": {"type": "string"},
        "traceparent": {
            "type": "string",
            "pattern": "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
            "description": "the W3C trace context of the request that stored it (CloudEvents "
            "distributed-tracing extension); absent for events stored outside a request",
        },
        "version": {"type": "integer", "description": "the aggregate's version after this event"},
    },
}


_FORMATS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    date: {"type": "string", "format": "date"},
    datetime: {"type": "string", "format": "date-time"},
    UUID: {"type": "string", "format": "uuid"},
    dict: {"type": "object"},
    list: {"type": "array"},
    Any: {},
}


def _typed(hint: Any) -> dict[str, Any]:
    """The JSON Schema of a value of type `hint` as `jsonable` writes it."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return _nullable(_typed(rest[0])) if len(rest) == 1 else {}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin is list:
        return {"type": "array", **({"items": _typed(args[0])} if args else {})}
    if origin is dict:
        return {"type": "object"}
    return dict(_FORMATS.get(hint, {}))


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if "type" in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return schema


def data_schema(cls: type, contract: Contract) -> dict[str, Any]:
    """The JSON Schema of the `data` of `cls`'s events: its fields as `Contracts.envelope` publishes
    them, typed from the event's annotations, with the contract's fixed values and formats; `reason`
    when the command gave one."""
    hints = {
        n: h
        for n, h in typing.get_type_hints(cls).items()
        if n not in ENVELOPE_FIELDS and not n.startswith("_") and typing.get_origin(h) is not typing.ClassVar
    }
    properties: dict[str, Any] = {}
    for name, hint in sorted(hints.items()):
        schema = _typed(hint)
        if name in contract.formats:
            schema["format"] = contract.formats[name]
        if name in contract.enums:
            nullable = schema.get("type") == ["string", "null"]
            schema = {"enum": list(contract.enums[name]) + ([None] if nullable else [])}
        properties[name] = schema
    properties.setdefault("reason", {"type": "string", "description": "why, when the request said"})
    required = sorted(n for n in hints if n not in contract.optional)
    return {"type": "object", "required": required, "properties": properties}


def _example(ce_type: str, service: str, contract: Contract) -> dict[str, Any]:
    """A whole envelope around the contract's example data, as a subscriber receives it."""
    data = dict(contract.example)
    return {
        "specversion": "1.0",
        "id": str(stable_id("example-event", ce_type)),
        "source": f"tdkt/{service}",
        "type": ce_type,
        "subject": str(stable_id("example-aggregate", ce_type)),
        "time": "2026-03-16T02:15:40.123456+00:00",
        "datacontenttype": "application/json",
        "federation": data.get("federation", ""),
        "sequence": sequence_text(18342),
        "actor": "thu.bac-kan",
        "actorscope": data.get("federation", "*") or "*",
        "requestid": "5f0c3a2e9b7d4c1e8a6f2b3d4e5f6a7b",
        "correlationid": "ke-hoach-thi-dua-2026",
        "causationid": "5f0c3a2e9b7d4c1e8a6f2b3d4e5f6a7b",
        "version": 1,
        "data": data,
    }


def asyncapi(contracts: Contracts, exchange: str = "tdkt.events") -> dict[str, Any]:
    service = contracts.service
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic, contract in sorted(contracts.by_topic.items(), key=lambda kv: contracts.type_of(kv[1])):
        ce_type = contracts.type_of(contract)
        key = f"{contract.name}.v{contract.version}"
        data = data_schema(resolve_topic(topic), contract)
        messages[key] = {
            "name": ce_type,
            "title": contract.name,
            "contentType": CONTENT_TYPE,
            "payload": {
                **ENVELOPE_SCHEMA,
                "properties": {**ENVELOPE_SCHEMA["properties"], "type": {"const": ce_type}, "data": data},
            },
            "examples": [{"name": contract.name, "payload": _example(ce_type, service, contract)}],
        }
        channels[key] = {
            "address": f"{{federation}}.{service}.{contract.name}",
            "description": f"routing key on the topic exchange `{exchange}`",
            "parameters": {"federation": {"description": "the federation's code (`national` for none)"}},
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
            "bindings": {
                "amqp": {"is": "routingKey", "exchange": {"name": exchange, "type": "topic", "durable": True}}
            },
        }
        operations[f"publish.{key}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{key}"},
            "bindings": {"amqp": {"deliveryMode": 2}},
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": f"TĐKT {service} events",
            "version": "1",
            "description": "CloudEvents 1.0 in structured JSON mode. Subscribe with "
            "POST /v1/federations/{federation}/subscriptions; catch up from the feed "
            "GET /v1/federations/{federation}/events?after=<sequence>.",
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
