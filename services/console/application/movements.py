"""Launching a movement: the form's fields as registration's LaunchMovement command; the awards it
may open (the federation's catalogue in force that day, from awards); who launched it."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.console.adapters.services import ServiceError
from services.console.application.corrections import reasoned
from services.console.application.formatting import date_vn, parse_date_vn
from services.console.application.problems import FormErrors
from shared.kernel import clock
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


def movement_body(form: dict[str, Any], awards: list[str], rows: int = PHASE_ROWS) -> dict[str, Any]:
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
    for i in range(rows):
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


def form_values(form: dict[str, Any], rows: int = PHASE_ROWS) -> dict[str, Any]:
    values = {k: str(form.get(k) or "") for k in FIELDS}
    for i in range(rows):
        for key in ("name", "starts", "ends"):
            values[f"phases-{i}-{key}"] = str(form.get(f"phases-{i}-{key}") or "")
    return values


# What an amendment may change; the code, year, kind and launcher are the movement's identity.
AMENDABLE = ("name", "theme", "phases", "awards", "registration_deadline")


async def amendment_options(
    services: Any, federation: str, token: str, movement: dict[str, Any]
) -> list[tuple[str, str]]:
    """The awards the movement may open: the catalogue at its year's end (registration checks
    them against the year), and every award it opens now, whatever the catalogue says — so a
    retired or unlisted award stays ticked and is only closed when unticked."""
    year = int(movement.get("year") or clock.today().year)
    options = await award_options(services, federation, token, date(year, 12, 31))
    listed = {code for code, _ in options}
    names = {a.code: a.name for a in DEFAULT_AWARDS}
    return options + [(c, names.get(c, c)) for c in movement.get("awards") or [] if c not in listed]


def phase_rows(movement: dict[str, Any]) -> int:
    """The amendment form's phase rows: every phase stored and one empty row to add one."""
    return max(PHASE_ROWS, len(movement.get("phases") or []) + 1)


def amendment_values(movement: dict[str, Any]) -> dict[str, Any]:
    """The amendment form as the movement is stored, dates as dd/mm/yyyy, its awards ticked."""
    values = {k: "" if movement.get(k) is None else str(movement[k]) for k in ("name", "theme")}
    values["registration_deadline"] = date_vn(movement.get("registration_deadline"))
    for i, phase in enumerate(movement.get("phases") or []):
        values[f"phases-{i}-name"] = str(phase.get("name") or "")
        for key in ("starts", "ends"):
            values[f"phases-{i}-{key}"] = date_vn(phase.get(key))
    awards = list(movement.get("awards") or [])
    return values | {"awards": awards, "version": str(movement.get("version", "")), "reason": ""}


def amendment(
    movement: dict[str, Any], form: dict[str, Any], awards: list[str]
) -> tuple[dict[str, Any], dict[str, Any], FormErrors]:
    """What was typed (the awards ticked among it), registration's AmendMovement (what differs
    from the movement as stored; the awards in the form's order), and what can be said before
    anything is sent."""
    rows = phase_rows(movement)
    values = form_values(form, rows) | {k: str(form.get(k) or "").strip() for k in ("version", "reason")}
    values["awards"] = awards
    typed = {"theme": ""} | movement_body(form, awards, rows)
    empty: dict[str, Any] = {"name": "", "theme": "", "phases": [], "awards": [], "registration_deadline": ""}
    body: dict[str, Any] = {}
    for name in AMENDABLE:
        now, was = typed[name], movement.get(name) or empty[name]
        if (set(now) != set(was)) if name == "awards" else (now != was):
            body[name] = now  # a theme emptied is stored empty
    ask = "Nhập lý do sửa đổi (ví dụ: gia hạn đăng ký theo chỉ đạo của Thường trực)"
    return reasoned(values, body, FormErrors(), "name", ask, "Chưa có gì khác với phong trào đã lưu")
