"""A member's or unit's history as of a date (reporting's history), with the awards held that day,
their decision, signer and who recorded them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.console.adapters.services import ServiceError, Services
from services.console.application.audit_words import EVENTS, facts, moment_vn, who
from services.console.application.formatting import date_vn
from services.console.application.labels import award_name
from services.console.application.report_kinds import authority_label


@dataclass
class Held:
    award: str
    year: int | None
    decision_number: str
    decision_date: str
    signer: str
    authority: str
    recorded_by: str
    recorded_at: str
    record: dict[str, Any] | None


@dataclass
class Line:
    when: str  # the moment it was recorded
    what: str
    what_code: str
    award: str
    year: Any
    facts: list[tuple[str, str]]
    reason: str
    recorded_by: str
    record: dict[str, Any] | None
    happened: str = ""  # the day it took effect (a decision's, a revocation's), dd/mm/yyyy


@dataclass
class HistoryView:
    kind: str
    code: str
    name: str
    as_of: date | None
    unit: str | None
    held: list[Held] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    revoked: int = 0


async def _name(services: Services, token: str, federation: str, kind: str, code: str) -> str:
    path = f"/v1/federations/{federation}/{'members' if kind == 'member' else 'units'}/{code}"
    try:
        body = await services.registration.get(path, token)
    except ServiceError:
        return code  # a subject known only from its facts (imported awards), or merged away
    return str(body.get("full_name") or body.get("name") or code)


async def history(
    services: Services, token: str, federation: str, kind: str, code: str, as_of: date | None
) -> HistoryView:
    report, name = await asyncio.gather(
        services.reporting.get(
            f"/v1/federations/{federation}/history/{kind}/{code}",
            token,
            as_of=as_of.isoformat() if as_of else None,
        ),
        _name(services, token, federation, kind, code),
    )
    view = HistoryView(kind, code, name, as_of, report.get("unit"))
    granted: dict[tuple[str, Any], dict[str, Any]] = {}
    for e in report.get("entries", []):
        if e["what"] == "award-granted":
            granted[(e.get("award"), e.get("year"))] = e
        elif e["what"] == "award-revoked":
            view.revoked += 1
        view.lines.append(
            Line(
                when=moment_vn(e.get("recorded_at") or e.get("occurred_at")),
                what=EVENTS.get(e["what"], e["what"]),
                what_code=e["what"],
                award=award_name(e.get("award")) if e.get("award") else "",
                year=e.get("year"),
                facts=facts(e, skip=("award", "award_name", "year", "reason")),
                reason=str(e.get("reason") or ""),
                recorded_by=who(e.get("actor")),
                record=e.get("record"),
                happened=date_vn(e.get("happened_on")),
            )
        )
    for h in report.get("awards_held", []):
        line = granted.get((h["award"], h.get("year")), {})
        view.held.append(
            Held(
                award=award_name(h["award"]),
                year=h.get("year"),
                decision_number=str(h.get("decision_number") or line.get("decision_number") or ""),
                decision_date=date_vn(h.get("decision_date") or line.get("decision_date")),
                signer=str(line.get("signer") or ""),
                authority=authority_label(str(line["authority"])) if line.get("authority") else "",
                recorded_by=who(line.get("actor")),
                recorded_at=moment_vn(line.get("occurred_at")) if line else "",
                record=line.get("record"),
            )
        )
    return view
