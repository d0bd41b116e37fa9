"""The event trail of one record, from the owning service's audit endpoint: who, when, why."""

from __future__ import annotations

from dataclasses import dataclass

from services.console.adapters.services import Services
from services.console.application.audit_words import EVENTS, facts, moment_vn, who


@dataclass
class TrailEvent:
    version: int
    sequence: int
    when: str
    what: str
    who: str
    scope: str
    reason: str
    facts: list[tuple[str, str]]


async def trail(
    services: Services, token: str, federation: str, service: str, record_id: str
) -> tuple[list[TrailEvent], str]:
    """The record's events, oldest first, and what the record is (its first event's words)."""
    client = services.registration if service == "registration" else services.awards
    body = await client.get(f"/v1/federations/{federation}/audit/records/{record_id}", token)
    events = []
    for e in body.get("events", []):
        name = (
            str(e.get("type", "")).split(".")[2] if e.get("type", "").count(".") >= 3 else e.get("type", "")
        )
        data = e.get("data") or {}
        events.append(
            TrailEvent(
                version=int(e.get("version") or 0),
                sequence=int(e.get("sequence") or 0),
                when=moment_vn(e.get("time")),
                what=EVENTS.get(name, name),
                who=who(e.get("actor")),
                scope=str(e.get("actorscope") or ""),
                reason=str(data.get("reason") or ""),
                facts=facts(data, skip=("reason",)),
            )
        )
    about = ""
    if events:
        first = body["events"][0].get("data") or {}
        about = str(
            first.get("subject_name")
            or first.get("full_name")
            or first.get("name")
            or first.get("number")
            or first.get("subject_code")
            or first.get("code")
            or ""
        )
    return events, about
