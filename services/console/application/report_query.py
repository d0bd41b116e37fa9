"""What a report page asks the reporting service: the filters as the person typed and as read
(with their errors), and the one call per report — its JSON, or its .xlsx passed through."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from services.console.adapters.services import Services
from services.console.application.formatting import parse_date_vn
from services.console.application.problems import FormErrors
from services.console.application.report_kinds import PROGRAMMES, ReportKind
from shared.kernel import periods

# ---------------------------------------------------------------------------------------------
# filters


@dataclass
class Filters:
    """What the person asked for, as typed (kept in the form and the links) and as read."""

    typed: dict[str, str]
    year: int
    first: int
    last: int
    unit: str | None
    as_of: date | None
    programme: str
    errors: FormErrors = field(default_factory=FormErrors)
    period: str | None = None  # the awards report's one period (shared.kernel.periods' key)

    def params(self, kind: ReportKind) -> dict[str, Any]:
        """The reporting service's query parameters for this report."""
        out: dict[str, Any] = {}
        if "year" in kind.filters:
            out["year"] = self.year
        if "from" in kind.filters:
            out["from"], out["to"] = self.first, self.last
        if "unit" in kind.filters and self.unit:
            out["unit"] = self.unit
        if "as_of" in kind.filters and self.as_of:
            out["as_of"] = self.as_of.isoformat()
        if "programme" in kind.filters:
            out["programme"] = self.programme
        if "period" in kind.filters and self.period:
            out["period"] = self.period
        return out

    def query(self, **override: Any) -> dict[str, str]:
        """The page's own query (for links: a unit's subtree, the download)."""
        out = {k: v for k, v in self.typed.items() if v}
        out.update({k: str(v) for k, v in override.items() if v is not None})
        return out


def _year(text: str, name: str, label: str, default: int, errors: FormErrors) -> int:
    text = text.strip()
    if not text:
        return default
    if text.isdigit() and 1945 <= int(text) <= 2100:
        return int(text)
    errors.add(name, f"Nhập {label} là một năm từ 1945 đến 2100, ví dụ {default}")
    return default


def read_filters(kind: ReportKind | None, typed: dict[str, str], today: date) -> Filters:
    errors = FormErrors()
    year = _year(typed.get("year", ""), "year", "năm", today.year, errors)
    last = _year(typed.get("to", ""), "to", "năm cuối", today.year, errors)
    first = _year(typed.get("from", ""), "from", "năm đầu", last - 4, errors)
    if first > last:
        errors.add("to", "Năm cuối phải từ năm đầu trở đi")
        first = last
    elif last - first > 20:
        errors.add("to", "Một nhiệm kỳ dài nhiều nhất 20 năm")
        first = last - 20
    as_of = None
    if typed.get("as_of", "").strip():
        as_of = parse_date_vn(typed["as_of"])
        if as_of is None:
            errors.add("as_of", "Nhập ngày theo dạng dd/mm/yyyy")
    unit = typed.get("unit", "").strip() or None
    programme = typed.get("programme", "") or "initiatives"
    if programme not in PROGRAMMES:
        errors.add("programme", "Chọn một chương trình trong danh sách")
        programme = "initiatives"
    period = _period(typed.get("period", ""), year, errors)
    return Filters(typed, year, first, last, unit, as_of, programme, errors, period)


def _period(text: str, year: int, errors: FormErrors) -> str | None:
    """A period as typed ('Năm học 2022–2023', 'Giai đoạn 2021–2023'), ending in the year."""
    if not text.strip():
        return None
    try:
        found = periods.parse(text)
    except ValueError:
        errors.add("period", "Ghi thời kỳ như “Năm học 2022–2023” hoặc “Giai đoạn 2021–2023”")
        return None
    if found.last != year:
        errors.add("period", f"{found.label} tính cho năm {found.last}: chọn Năm là {found.last}")
        return None
    return found.key


# ---------------------------------------------------------------------------------------------
# the one call


def report_path(federation: str | None, kind: ReportKind) -> str:
    return f"/v1/federations/{federation}/reports/{kind.name}" if federation else f"/v1/reports/{kind.name}"


async def fetch(
    services: Services, token: str, federation: str | None, kind: ReportKind, f: Filters
) -> dict[str, Any]:
    return await services.reporting.get(report_path(federation, kind), token, **f.params(kind))  # type: ignore[no-any-return]


async def workbook(
    services: Services, token: str, federation: str | None, kind: ReportKind, f: Filters
) -> httpx.Response:
    """The reporting service's own .xlsx of the report, to be passed through unchanged."""
    params = {**f.params(kind), "format": "xlsx"}
    return await services.reporting.request("GET", report_path(federation, kind), token, params=params)
