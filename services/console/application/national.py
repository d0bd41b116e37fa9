"""National staff (journey 5): every federation's figures of a year side by side with the
national totals (reporting's national reports), and the nominations every federation forwarded
upward (awards' forwarded list)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from services.console.adapters.services import ServiceError, Services

REPORTS = ("registrations", "awards", "initiatives", "works")
# (report.figure, heading, format): the roll-up's columns
COLUMNS = (
    ("registrations.pledged", "Lượt đăng ký thi đua", "number"),
    ("awards.granted", "Lượt được khen thưởng", "number"),
    ("awards.revoked", "Lượt bị thu hồi", "number"),
    ("initiatives.registered", "Sáng kiến đăng ký", "number"),
    ("initiatives.percent_of_target", "Sáng kiến so với chỉ tiêu", "percent"),
    ("works.registered", "Công trình đăng ký", "number"),
    ("works.value", "Giá trị công trình", "money"),
)


@dataclass
class RollUp:
    year: int
    totals: dict[str, Any] = field(default_factory=dict)  # "report.figure" -> the national figure
    rows: list[dict[str, Any]] = field(default_factory=list)  # a federation's code, name and figures


async def federation_names(services: Services, token: str, codes: list[str]) -> dict[str, str]:
    async def name(code: str) -> str:
        try:
            body = await services.registration.get(f"/v1/federations/{code}", token)
        except ServiceError:
            return code
        return str(body.get("name") or code)

    return dict(zip(codes, await asyncio.gather(*(name(c) for c in codes)), strict=True))


async def roll_up(services: Services, token: str, year: int) -> RollUp:
    reports = await asyncio.gather(
        *(services.reporting.get(f"/v1/reports/{name}", token, year=year) for name in REPORTS)
    )
    by_name = dict(zip(REPORTS, reports, strict=True))
    out = RollUp(year)
    figures: dict[str, dict[str, Any]] = {}
    for name, report in by_name.items():
        for key, value in report.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out.totals[f"{name}.{key}"] = value
        for row in report.get("by_federation", []):
            code = row.get("federation")
            for key, value in row.items():
                if key != "federation":
                    figures.setdefault(code, {})[f"{name}.{key}"] = value
    names = await federation_names(services, token, list(figures))
    out.rows = sorted(
        ({"federation": code, "name": names[code], **values} for code, values in figures.items()),
        key=lambda r: (-int(r.get("registrations.pledged") or 0), r["federation"]),
    )
    return out


async def forwarded(
    services: Services, token: str, filters: dict[str, Any], after: int | None
) -> dict[str, Any]:
    """A page of the nominations forwarded upward from every federation, with each one's
    federation name."""
    page = await services.awards.get(
        "/v1/nominations/forwarded", token, **filters, **({"after": after} if after else {}), limit=50
    )
    names = await federation_names(services, token, sorted({n["federation"] for n in page.get("items", [])}))
    for item in page.get("items", []):
        item["federation_name"] = names.get(item["federation"], item["federation"])
    return page  # type: ignore[no-any-return]
