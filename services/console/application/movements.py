"""Launching a movement: the form's fields as registration's LaunchMovement command; the awards it
may open (the federation's catalogue in force that day, from awards); who launched it."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.console.adapters.services import ServiceError
from services.console.application.formatting import parse_date_vn
from shared.kernel.catalogue import DEFAULT_AWARDS

PHASE_ROWS = 3  # without JavaScript a form has a fixed number of phase rows
FIELDS = ("code", "name", "theme", "year", "kind", "registration_deadline", "launcher", "launcher_name")


async def award_options(services: Any, federation: str, token: str, on: date) -> list[tuple[str, str]]:
    """The awards in force on `on` in the federation's catalogue (its own beside the defaults);
    the defaults alone if awards does not answer."""
    try:
        found = await services.awards.get(f"/v1/federations/{federation}/catalogue", token, on=on.isoformat())
    except ServiceError:
        return [(a.code, a.name) for a in DEFAULT_AWARDS]
    return [(str(a["code"]), str(a["name"])) for a in found]


def movement_body(form: dict[str, Any], awards: list[str]) -> dict[str, Any]:
    """The command from the form. A date in dd/mm/yyyy is sent as a date; anything else as typed,
    so registration names every field with a problem at once (a text that is not a date comes
    back as "Nhập ngày theo dạng dd/mm/yyyy")."""
    body: dict[str, Any] = {k: str(form.get(k) or "").strip() for k in ("code", "name", "kind")}
    theme = str(form.get("theme") or "").strip()
    if theme:
        body["theme"] = theme
    year = str(form.get("year") or "").strip()
    body["year"] = int(year) if year.isdigit() else year
    body["awards"] = awards  # none: a campaign
    for key in ("launcher", "launcher_name"):  # who launched it; absent: the federation
        text = str(form.get(key) or "").strip()
        if text:
            body[key] = text
    deadline = str(form.get("registration_deadline") or "").strip()
    parsed = parse_date_vn(deadline)
    body["registration_deadline"] = parsed.isoformat() if parsed else deadline
    phases: list[dict[str, Any]] = []
    for i in range(PHASE_ROWS):
        name = str(form.get(f"phases-{i}-name") or "").strip()
        starts = str(form.get(f"phases-{i}-starts") or "").strip()
        ends = str(form.get(f"phases-{i}-ends") or "").strip()
        if not (name or starts or ends):
            continue
        phase: dict[str, Any] = {"name": name}
        for key, text in (("starts", starts), ("ends", ends)):
            day = parse_date_vn(text)
            phase[key] = day.isoformat() if day else text
        phases.append(phase)
    body["phases"] = phases
    return body


def form_values(form: dict[str, Any]) -> dict[str, Any]:
    values = {k: str(form.get(k) or "") for k in FIELDS}
    for i in range(PHASE_ROWS):
        for key in ("name", "starts", "ends"):
            values[f"phases-{i}-{key}"] = str(form.get(f"phases-{i}-{key}") or "")
    return values
