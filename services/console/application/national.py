"""National staff (journey 5): every federation's figures of a year side by side with the
national totals (reporting's national reports), and the nominations every federation forwarded
upward (awards' forwarded list)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.console.adapters.services import Services
from services.console.application.list_paging import every_row

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


async def federation_names(services: Services, token: str) -> dict[str, str]:
    """Every federation's name by its code, merged ones too (registration's national list)."""
    params = {"include_merged": "true"}
    listed, _ = await every_row(services.registration, "/v1/federations", token, params, limit=1000)
    return {f["code"]: str(f.get("name") or f["code"]) for f in listed}


async def roll_up(services: Services, token: str, year: int) -> RollUp:
    """Reporting's national roll-up: one call, each report's figures by federation computed in
    one grouped statement, the federations' names with them."""
    body = await services.reporting.get("/v1/reports/roll-up", token, year=year)
    out = RollUp(year)
    for name in REPORTS:
        for key, value in body.get("totals", {}).get(name, {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out.totals[f"{name}.{key}"] = value
    for row in body.get("by_federation", []):
        code = row["federation"]
        figures = {f"{name}.{k}": v for name in REPORTS for k, v in (row.get(name) or {}).items()}
        out.rows.append({"federation": code, "name": row.get("federation_name") or code, **figures})
    out.rows.sort(key=lambda r: (-int(r.get("registrations.pledged") or 0), r["federation"]))
    return out


async def forwarded(
    services: Services, token: str, filters: dict[str, Any], cursor: str | None
) -> dict[str, Any]:
    """A page of the nominations forwarded upward from every federation, with each one's
    federation name."""
    page = await services.awards.get(
        "/v1/nominations/forwarded", token, **filters, **({"cursor": cursor} if cursor else {}), limit=50
    )
    names = await federation_names(services, token) if page.get("items") else {}
    for item in page.get("items", []):
        item["federation_name"] = names.get(item["federation"], item["federation"])
    return page  # type: ignore[no-any-return]
