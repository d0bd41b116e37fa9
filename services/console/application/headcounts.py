"""Units' declared figures — workers (CNVCLĐ) and, of them, union members — counted on a day: a
unit's figures over time, and one form for a unit and the units directly under it (an upper
union types its grassroots unions' figures at once), sent as one list to registration."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.console.adapters.services import Services
from services.console.application.formatting import parse_date_vn
from services.console.application.problems import FieldProblem, FormErrors, from_problem, vietnamese
from shared.kernel.text import fold

COUNT = re.compile(r"^\d{1,3}(?:[.\s]\d{3})+$|^\d+$")  # 1530, 1.530 or 1 530


@dataclass
class HeadcountForm:
    """The unit, the units it counts for (itself first, then those directly under it on the
    day), and their figures as last recorded."""

    unit: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    last: dict[str, dict[str, Any]] = field(default_factory=dict)  # unit -> latest counts entry


async def form_of(services: Services, token: str, federation: str, code: str, on: date) -> HeadcountForm:
    base = f"/v1/federations/{federation}"
    unit, children = await asyncio.gather(
        services.registration.get(f"{base}/units/{code}", token),
        services.registration.get(f"{base}/units", token, parent=code, as_of=on.isoformat(), limit=1000),
    )
    under = [u for u in children.get("items", []) if u.get("kind") != "block"]  # a block has no workers
    under.sort(key=lambda u: fold(str(u.get("name") or "")))
    rows = [unit] if unit.get("kind") != "block" else []
    rows += under
    at_once = asyncio.Semaphore(8)  # an upper union may have hundreds of units under it

    async def counted(unit: str) -> dict[str, Any]:
        async with at_once:
            return await services.registration.get(f"{base}/units/{unit}/headcounts", token)  # type: ignore[no-any-return]

    found = await asyncio.gather(*(counted(r["code"]) for r in rows))
    last = {r["code"]: (h.get("counts") or [None])[-1] for r, h in zip(rows, found, strict=True)}
    return HeadcountForm(unit, rows, {k: v for k, v in last.items() if v})


MAX_ROWS = 1001  # a unit and the units directly under it


def rows_typed(form: dict[str, str]) -> list[dict[str, Any]]:
    """The units of a form sent, by its hidden `headcounts-<i>-unit` fields, in order."""
    rows: list[dict[str, Any]] = []
    while len(rows) < MAX_ROWS and (code := form.get(f"headcounts-{len(rows)}-unit")):
        rows.append({"code": code.strip()})
    return rows


def rows_named(codes: list[str], known: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of `codes`, each with its unit's details where the form knows it."""
    by_code = {str(u.get("code")): u for u in known}
    return [by_code.get(code, {"code": code, "name": code}) for code in codes]


def _count(text: str) -> int | None:
    text = text.strip()
    return int(re.sub(r"[.\s]", "", text)) if COUNT.match(text) else None


def headcounts_body(
    rows: list[dict[str, Any]], form: dict[str, str]
) -> tuple[dict[str, str], dict[str, Any], list[int], FormErrors]:
    """What was typed, registration's RecordHeadcounts (the rows typed; blank rows skipped), the
    form's row of each line sent, and what can be said before anything is sent."""
    names = ["counted_on", "reason"]
    names += [f"headcounts-{i}-{k}" for i in range(len(rows)) for k in ("workers", "members")]
    values = {name: str(form.get(name) or "").strip() for name in names}
    errors = FormErrors()
    counted_on = parse_date_vn(values["counted_on"])
    if counted_on is None:
        typed_day = values["counted_on"]
        errors.add("counted_on", "Nhập ngày theo dạng dd/mm/yyyy" if typed_day else "Nhập ngày thống kê")
    lines: list[dict[str, Any]] = []
    sent: list[int] = []
    for i, row in enumerate(rows):
        typed = {k: values[f"headcounts-{i}-{k}"] for k in ("workers", "members")}
        if not any(typed.values()):
            continue
        counts = {k: _count(v) for k, v in typed.items()}
        for k, v in typed.items():
            if not v:
                errors.add(f"headcounts.{i}.{k}", "Nhập cả số lao động và số đoàn viên của đơn vị này")
            elif counts[k] is None:
                errors.add(f"headcounts.{i}.{k}", "Nhập số bằng chữ số, ví dụ 1.530")
        day = counted_on.isoformat() if counted_on else ""
        lines.append({"unit": row["code"], "counted_on": day, **counts})
        sent.append(i)
    if not lines and rows:
        errors.add("headcounts.0.workers", "Nhập số liệu của ít nhất một đơn vị")
    elif not rows:
        errors.add("counted_on", "Không có đơn vị nào để ghi số liệu (khối thi đua không có số liệu riêng)")
    body: dict[str, Any] = {"headcounts": lines}
    if values["reason"]:
        body["reason"] = values["reason"]
    return values, body, sent, errors


# A row's fields as the form names them.
ROW_LABELS = {
    "workers": "Số CNVCLĐ",
    "members": "Số đoàn viên",
    "unit": "Đơn vị",
    "counted_on": "Ngày thống kê",
}


def refusal(status: int, problem: dict[str, Any], sent: list[int]) -> FormErrors:
    """Registration's refusal beside the form's inputs: a line's problem at its form row, in the
    row's words; the day and the reason, which all lines share, once each."""
    errors = from_problem(status, {**problem, "errors": []})  # the summary, if no line is named
    seen: set[tuple[str, str]] = set()
    for item in problem.get("errors") or []:
        said = str(item.get("message") or "")
        parts = str(item.get("field") or "").split(".")
        line = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else len(sent)
        name = parts[-1]
        if parts[0] == "headcounts" and line < len(sent) and name not in ("reason", "counted_on"):
            where = f"headcounts.{sent[line]}.{name}"
        else:
            where = name if name in ("reason", "counted_on") else ".".join(parts)
        text, translated = vietnamese(where, said, ROW_LABELS.get(name, ""))
        if (where, text) not in seen:
            seen.add((where, text))
            errors.fields.append(FieldProblem(where, text, "" if translated else said))
    if errors.fields:
        errors.summary = ""
    return errors
