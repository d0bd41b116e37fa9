"""Integration events: the wire names of published domain events, and the CloudEvents
envelope they travel in (docs/architecture.md, "The public contract"). Domain events not listed here
(idempotency records, internal bookkeeping) are stored but never published."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic

from shared.kernel.ids import stable_id
from shared.store.eventstore import jsonable

ENVELOPE_FIELDS = {"originator_id", "originator_version", "timestamp", "meta", "originator_topic"}
CONTENT_TYPE = "application/cloudevents+json"
# Digits of the envelope's `sequence` (CloudEvents Sequence extension: a string ordering as the numbers).
SEQUENCE_DIGITS = 20


@dataclass(frozen=True)
class Contract:
    """An event's wire name and version, and what its `data` holds beyond what the domain event's
    annotations say (`data` is the event's fields, `Contracts.envelope`; its JSON Schema is typed from
    those annotations, shared.web.asyncapi): the fixed values of a string field (`enums`), a string's
    format (`formats`: "uuid", …), the fields older events may lack (`optional`), and a realistic
    `example` of the data (the AsyncAPI documents; a test validates each against the schema)."""

    name: str  # kebab-case, past tense: "pledge-registered"
    version: int = 1
    enums: Mapping[str, Sequence[str]] = field(default_factory=dict, compare=False)
    formats: Mapping[str, str] = field(default_factory=dict, compare=False)
    optional: tuple[str, ...] = field(default=(), compare=False)
    example: Mapping[str, Any] = field(default_factory=dict, compare=False)


def event_id(originator_id: UUID, version: int, epoch: UUID | None = None) -> UUID:
    """The stored event's UUID: stable for (aggregate, version) within the store epoch of its
    position (shared.messaging.epochs), so every re-publication matches and an event written
    after a restore never takes a lost one's id."""
    if epoch is None:  # events stored before epochs began keep the ids they were published with
        return stable_id(f"{originator_id}:{version}")  # uuid5(NAMESPACE, that string)
    return stable_id(f"{epoch}:{originator_id}:{version}")


class Contracts:
    def __init__(self, service: str, table: dict[type, Contract]) -> None:
        self.service = service
        self.by_topic = {get_topic(cls): contract for cls, contract in table.items()}

    def contract_for(self, domain_event: DomainEventProtocol) -> Contract | None:
        return self.by_topic.get(get_topic(type(domain_event)))

    def types(self) -> list[str]:
        return sorted(self.type_of(c) for c in self.by_topic.values())

    def type_of(self, contract: Contract) -> str:
        return f"tdkt.{self.service}.{contract.name}.v{contract.version}"

    def envelope(self, domain_event: Any, sequence: int, epoch: UUID | None = None) -> dict[str, Any] | None:
        """`epoch`: the store epoch of `sequence` (the event log knows it)."""
        contract = self.contract_for(domain_event)
        if contract is None:
            return None
        meta = getattr(domain_event, "meta", {}) or {}
        data = {k: v for k, v in domain_event.__dict__.items() if k not in ENVELOPE_FIELDS}
        # The role assignment the actor acted under, when their token named one (product tokens).
        under = {"actorassignment": meta["assignment"]} if meta.get("assignment") else {}
        # The CloudEvents distributed-tracing extension: the trace of the request that stored it.
        if meta.get("traceparent"):
            under["traceparent"] = meta["traceparent"]
        return {
            "specversion": "1.0",
            "id": str(
                event_id(domain_event.originator_id, domain_event.originator_version, epoch)
            ),
            "source": f"tdkt/{self.service}",
            "type": self.type_of(contract),
            "subject": str(domain_event.originator_id),
            "time": domain_event.timestamp.isoformat(),
            "datacontenttype": "application/json",
            "federation": data.get("federation", ""),
            "sequence": sequence_text(sequence),
            "actor": meta.get("actor", ""),
            "actorscope": meta.get("scope", ""),
            "requestid": meta.get("request_id", ""),
            "correlationid": meta.get("correlation_id", ""),
            "causationid": meta.get("causation_id", ""),
            **under,
            "version": domain_event.originator_version,
            "data": jsonable(data) | ({"reason": meta["reason"]} if meta.get("reason") else {}),
        }


def sequence_text(sequence: int) -> str:
    """The CloudEvents Sequence extension's `sequence`: a string that orders lexicographically as
    the numbers do — the log position zero-padded to 20 decimal digits (a bigint has at most 19)."""
    return f"{sequence:0{SEQUENCE_DIGITS}d}"


def routing_key(envelope: dict[str, Any]) -> str:
    """`<federation>.<service>.<event-name>`; national events use `national` as federation."""
    _, service, name, _ = envelope["type"].split(".")
    return f"{envelope['federation'] or 'national'}.{service}.{name}"


def encode(envelope: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON. The envelope holds only JSON types (`jsonable`), which read back from
    orjson's text as from the stdlib's, except NaN and infinities (null, which PostgreSQL's jsonb
    accepts and the stdlib's bare NaN is not); what orjson refuses (integers beyond 64 bits)
    goes to the stdlib."""
    try:
        return orjson.dumps(envelope)
    except orjson.JSONEncodeError:
        return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()
