"""The AsyncAPI 3.0 document of every event a service publishes: served at `GET /asyncapi`
(shared.web.subscriptions) and shipped as docs/asyncapi-<service>.json (`python -m
scripts.asyncapi` writes them; a test checks the shipped files match)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from eventsourcing.utils import resolve_topic

from shared.messaging.contracts import CONTENT_TYPE, ENVELOPE_FIELDS, Contracts

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
        "sequence": {"type": "integer", "description": "position in the service's log; resume the feed here"},
        "actor": {"type": "string"},
        "actorscope": {"type": "string"},
        "actorassignment": {
            "type": "string",
            "description": "the role assignment the actor acted under (absent for development tokens)",
        },
        "requestid": {"type": "string"},
        "correlationid": {"type": "string"},
        "causationid": {"type": "string"},
        "version": {"type": "integer", "description": "the aggregate's version after this event"},
    },
}


def _data_fields(cls: type) -> list[str]:
    if dataclasses.is_dataclass(cls):
        names = [f.name for f in dataclasses.fields(cls)]
    else:
        names = [n for klass in reversed(cls.__mro__) for n in getattr(klass, "__annotations__", {})]
    return sorted({n for n in names if n not in ENVELOPE_FIELDS and not n.startswith("_")})


def asyncapi(contracts: Contracts, exchange: str = "tdkt.events") -> dict[str, Any]:
    service = contracts.service
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic, contract in sorted(contracts.by_topic.items(), key=lambda kv: contracts.type_of(kv[1])):
        ce_type = contracts.type_of(contract)
        key = f"{contract.name}.v{contract.version}"
        # The field names as a list, not as `properties`: shared.web.scope_guard walks every JSON answer
        # and cannot take a dict under a key named `kind` (a TypeError, unhashable dict).
        data = {"type": "object", "x-fields": _data_fields(resolve_topic(topic))}
        messages[key] = {
            "name": ce_type,
            "title": contract.name,
            "contentType": CONTENT_TYPE,
            "payload": {
                **ENVELOPE_SCHEMA,
                "properties": {**ENVELOPE_SCHEMA["properties"], "type": {"const": ce_type}, "data": data},
            },
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
