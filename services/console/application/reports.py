"""The reporting service's reports as pages: which reports there are and their filters, one call
per report (its JSON, or its .xlsx passed through), and the report's figures laid out as tables
for the page. A chart is drawn from its table's own cells (static/reports.js), so the chart, the
table and the report's JSON show the same figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from services.console.adapters.services import Services
from services.console.application.formatting import parse_date_vn
from services.console.application.labels import PLEDGE_STATES, SUBJECT_KINDS, award_name
from services.console.application.problems import FormErrors

YEARLY = ("year", "unit", "as_of")
TERM = ("from", "to", "unit", "as_of")


@dataclass(frozen=True)
class ReportKind:
    name: str  # the reporting service's path segment
    title: str
    summary: str
    filters: tuple[str, ...]
    national: bool = False  # also under /v1/reports/{name}, with each federation's figures
    unit_scoped: bool = True  # a unit's clerk may read it for the unit's subtree


REPORTS = (
    ReportKind(
        "registrations",
        "Đăng ký thi đua",
        "Số lượt đăng ký theo hình thức, đối tượng, trạng thái, đơn vị",
        YEARLY,
        True,
    ),
    ReportKind(
        "awards",
        "Khen thưởng",
        "Số được khen, bị thu hồi; đề nghị lên cấp trên; đăng ký so với đạt",
        YEARLY,
        True,
    ),
    ReportKind(
        "initiatives",
        "Sáng kiến",
        "Sáng kiến đăng ký, được công nhận, giá trị làm lợi, so với chỉ tiêu",
        YEARLY,
        True,
    ),
    ReportKind(
        "works", "Công trình chào mừng", "Công trình đăng ký, hoàn thành, gắn biển, với giá trị", YEARLY, True
    ),
    ReportKind(
        "targets",
        "Thực hiện chỉ tiêu",
        "Chỉ tiêu được giao và kết quả của từng đơn vị",
        (*YEARLY, "programme"),
    ),
    ReportKind("term", "Nhiệm kỳ nhiều năm", "Số liệu từng năm của một nhiệm kỳ, cộng cả nhiệm kỳ", TERM),
    ReportKind(
        "rotation",
        "Luân phiên Cờ thi đua trong khối",
        "Đơn vị được tặng Cờ thi đua mỗi năm trong từng khối",
        ("from", "to"),
        unit_scoped=False,
    ),
)
BY_NAME = {r.name: r for r in REPORTS}
PROGRAMMES = {"initiatives": "Sáng kiến", "works": "Công trình"}
STATES = PLEDGE_STATES  # one label table: the same words on every page
LEVELS = {
    "grassroots": "Cơ sở",
    "federation": "LĐLĐ tỉnh",
    "national": "Tổng Liên đoàn",
    "state": "Nhà nước",
    "issuing-unit": "Đơn vị ban hành",
}
AUTHORITIES = {
    "tld": "Tổng Liên đoàn",
    "ubnd-tinh": "UBND tỉnh",
    "provincial-committee": "UBND tỉnh",
    "prime-minister": "Thủ tướng Chính phủ",
    "president": "Chủ tịch nước",
    "?": "Chưa rõ",
}


def authority_label(code: str) -> str:
    if code.startswith("ldld:"):
        return f"LĐLĐ {code.removeprefix('ldld:')}"
    return AUTHORITIES.get(code, code)


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
    return Filters(typed, year, first, last, unit, as_of, programme, errors)


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


# ---------------------------------------------------------------------------------------------
# the figures as tables


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text | number | percent | money | tag
    series: bool = False  # drawn in the table's chart


@dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]]  # the first cell is the row's heading; a cell may be {"text", "href"}
    chart: str | None = None  # bar | line
    chart_label: str = ""
    note: str = ""


@dataclass
class Figure:
    label: str
    value: Any
    kind: str = "number"


@dataclass
class ReportView:
    kind: ReportKind
    report: dict[str, Any]
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    grid: dict[str, Any] | None = None  # the rotation report's block × year grid


UnitLink = Callable[[str], str | None]


def _by_award_and_kind(rows: list[dict[str, Any]], value: str) -> tuple[list[list[Any]], list[Column]]:
    """One row per award, a column per subject kind present: bars side by side."""
    kinds = [k for k in ("member", "unit") if any(r["subject_kind"] == k for r in rows)]
    awards: dict[str, dict[str, Any]] = {}
    for r in rows:
        line = awards.setdefault(r["award"], {"name": r.get("award_name") or r["award"]})
        line[r["subject_kind"]] = line.get(r["subject_kind"], 0) + int(r.get(value) or 0)
    table = [[a["name"], *(a.get(k, 0) for k in kinds)] for a in awards.values()]
    return table, [Column(SUBJECT_KINDS[k], "number", series=True) for k in kinds]


def _unit_cell(row: dict[str, Any], link: UnitLink) -> Any:
    name = row.get("unit_name") or row.get("unit") or ""
    href = link(row["unit"]) if row.get("unit") else None
    return {"text": name, "href": href} if href else name


def registrations(report: dict[str, Any], link: UnitLink) -> list[Table]:
    rows, columns = _by_award_and_kind(report.get("by_award", []), "pledged")
    return [
        Table(
            "theo-hinh-thuc",
            "Số lượt đăng ký theo hình thức khen thưởng và đối tượng",
            [Column("Hình thức khen thưởng"), *columns],
            rows,
            "bar",
            "Biểu đồ cột: số lượt đăng ký theo hình thức và đối tượng",
        ),
        Table(
            "theo-trang-thai",
            "Theo trạng thái (lượt đã rút không tính vào tổng)",
            [Column("Trạng thái"), Column("Số lượt", "number")],
            [[STATES.get(s, s), n] for s, n in report.get("by_state", {}).items()],
        ),
        Table(
            "theo-don-vi",
            "Theo đơn vị",
            [Column("Đơn vị"), Column("Số lượt đăng ký", "number")],
            [[_unit_cell(u, link), u["pledged"]] for u in report.get("by_unit", [])],
        ),
        Table(
            "theo-phong-trao",
            "Theo phong trào",
            [Column("Phong trào"), Column("Số lượt đăng ký", "number")],
            [[m["movement"], m["pledged"]] for m in report.get("by_movement", [])],
        ),
        Table(
            "theo-dot",
            "Theo đợt thi đua",
            [Column("Phong trào"), Column("Đợt"), Column("Số lượt đăng ký", "number")],
            [[p["movement"], p["phase"], p["pledged"]] for p in report.get("by_phase", [])],
        ),
    ]


def awards(report: dict[str, Any], link: UnitLink) -> list[Table]:
    by_award = report.get("by_award", [])
    rows, columns = _by_award_and_kind(by_award, "granted")
    return [
        Table(
            "theo-hinh-thuc",
            "Số lượt được khen thưởng theo hình thức và đối tượng (không tính lượt đã thu hồi)",
            [Column("Hình thức khen thưởng"), *columns],
            rows,
            "bar",
            "Biểu đồ cột: số lượt được khen thưởng theo hình thức và đối tượng",
        ),
        Table(
            "chi-tiet",
            "Chi tiết theo hình thức, cấp và cấp quyết định",
            [
                Column("Hình thức khen thưởng"),
                Column("Đối tượng"),
                Column("Cấp"),
                Column("Cấp quyết định"),
                Column("Được khen", "number"),
                Column("Bị thu hồi", "number"),
            ],
            [
                [
                    g.get("award_name") or g["award"],
                    SUBJECT_KINDS.get(g["subject_kind"], g["subject_kind"]),
                    LEVELS.get(g.get("level") or "", g.get("level") or ""),
                    "; ".join(
                        f"{authority_label(a)}: {n}" for a, n in sorted(g.get("by_authority", {}).items())
                    ),
                    g["granted"],
                    g["revoked"],
                ]
                for g in by_award
            ],
        ),
        Table(
            "theo-don-vi",
            "Theo đơn vị",
            [Column("Đơn vị"), Column("Số lượt được khen", "number")],
            [[_unit_cell(u, link), u["granted"]] for u in report.get("by_unit", [])],
        ),
        Table(
            "de-nghi-cap-tren",
            "Đề nghị lên cấp trên",
            [
                Column("Hình thức khen thưởng"),
                Column("Đối tượng"),
                Column("Đề nghị", "number"),
                Column("Rút", "number"),
                Column("Hội đồng thông qua", "number"),
                Column("Đã chuyển lên", "number"),
                Column("Được khen", "number"),
            ],
            [
                [
                    award_name(n["award"]),
                    SUBJECT_KINDS.get(n["subject_kind"], n["subject_kind"]),
                    n["nominated"],
                    n["withdrawn"],
                    n["passed"],
                    n["forwarded"],
                    n["granted"],
                ]
                for n in report.get("nominated_upward", [])
            ],
        ),
        Table(
            "dang-ky-dat",
            "Đăng ký so với đạt",
            [
                Column("Hình thức khen thưởng"),
                Column("Đối tượng"),
                Column("Đăng ký", "number"),
                Column("Đạt", "number"),
                Column("Tỷ lệ", "percent"),
            ],
            [
                [
                    p.get("award_name") or p["award"],
                    SUBJECT_KINDS.get(p["subject_kind"], p["subject_kind"]),
                    p["pledged"],
                    p["achieved"],
                    p.get("percent"),
                ]
                for p in report.get("pledged_vs_achieved", [])
            ],
        ),
    ]


def initiatives(report: dict[str, Any], link: UnitLink) -> list[Table]:
    return [
        Table(
            "theo-don-vi",
            "Sáng kiến theo đơn vị, so với chỉ tiêu",
            [
                Column("Đơn vị"),
                Column("Đăng ký", "number", series=True),
                Column("Được công nhận", "number", series=True),
                Column("Chỉ tiêu", "number", series=True),
                Column("% chỉ tiêu", "percent"),
                Column("Giá trị làm lợi", "money"),
            ],
            [
                [
                    _unit_cell(u, link),
                    u["registered"],
                    u["recognised"],
                    u.get("target"),
                    u.get("percent_of_target"),
                    u["benefit_value"],
                ]
                for u in report.get("by_unit", [])
            ],
            "bar",
            "Biểu đồ cột: sáng kiến đăng ký, được công nhận và chỉ tiêu của từng đơn vị",
        )
    ]


def works(report: dict[str, Any], link: UnitLink) -> list[Table]:
    return [
        Table(
            "theo-don-vi",
            "Công trình theo đơn vị",
            [
                Column("Đơn vị"),
                Column("Đăng ký", "number", series=True),
                Column("Hoàn thành", "number", series=True),
                Column("Gắn biển", "number", series=True),
                Column("Giá trị đăng ký", "money"),
                Column("Giá trị gắn biển", "money"),
            ],
            [
                [
                    _unit_cell(u, link),
                    u["registered"],
                    u["completed"],
                    u["plaqued"],
                    u["value"],
                    u["plaqued_value"],
                ]
                for u in report.get("by_unit", [])
            ],
            "bar",
            "Biểu đồ cột: công trình đăng ký, hoàn thành và gắn biển của từng đơn vị",
        ),
        Table(
            "theo-dip",
            "Theo dịp chào mừng",
            [Column("Dịp chào mừng"), Column("Số công trình", "number"), Column("Giá trị", "money")],
            [
                [o["occasion"] or "Không ghi dịp", o["registered"], o["value"]]
                for o in report.get("by_occasion", [])
            ],
        ),
    ]


def targets(report: dict[str, Any], link: UnitLink) -> list[Table]:
    return [
        Table(
            "theo-don-vi",
            f"Chỉ tiêu {PROGRAMMES.get(report.get('programme', ''), '').lower()} theo đơn vị",
            [
                Column("Đơn vị"),
                Column("Chỉ tiêu", "number", series=True),
                Column("Đạt", "number", series=True),
                Column("Tỷ lệ", "percent"),
            ],
            [
                [_unit_cell(u, link), u.get("target"), u["achieved"], u.get("percent")]
                for u in report.get("by_unit", [])
            ],
            "bar",
            "Biểu đồ cột: chỉ tiêu và kết quả của từng đơn vị",
        )
    ]


def term(report: dict[str, Any], link: UnitLink) -> list[Table]:
    years = report.get("by_year", [])
    rows, columns = _by_award_and_kind(report.get("grants_by_award", []), "granted")
    return [
        Table(
            "theo-nam",
            "Từng năm của nhiệm kỳ",
            [
                Column("Năm"),
                Column("Lượt đăng ký", "number", series=True),
                Column("Lượt được khen", "number", series=True),
                Column("Sáng kiến", "number", series=True),
                Column("Công trình", "number", series=True),
                Column("Bị thu hồi", "number"),
                Column("Sáng kiến được công nhận", "number"),
                Column("Giá trị làm lợi", "money"),
                Column("Giá trị công trình", "money"),
            ],
            [
                [
                    str(y["year"]),
                    y["pledged"],
                    y["granted"],
                    y["initiatives"],
                    y["works"],
                    y["revoked"],
                    y["initiatives_recognised"],
                    y["benefit_value"],
                    y["works_value"],
                ]
                for y in years
            ],
            "line",
            "Biểu đồ đường: lượt đăng ký, được khen, sáng kiến và công trình qua các năm",
        ),
        Table(
            "khen-thuong-ca-nhiem-ky",
            "Khen thưởng cả nhiệm kỳ theo hình thức và đối tượng",
            [Column("Hình thức khen thưởng"), *columns],
            rows,
            "bar",
            "Biểu đồ cột: số lượt được khen cả nhiệm kỳ theo hình thức và đối tượng",
        ),
    ]


def by_federation(report: dict[str, Any], headline: str, label: str) -> Table:
    return Table(
        "theo-lien-doan",
        f"{label} của từng liên đoàn",
        [Column("Liên đoàn"), Column(label, "number", series=True)],
        [[f["federation"], f.get(headline, 0)] for f in report.get("by_federation", [])],
        "bar",
        f"Biểu đồ cột: {label.lower()} của từng liên đoàn",
    )


# (the report's headline figures: key, label, kind)
HEADLINES: dict[str, list[tuple[str, str, str]]] = {
    "registrations": [("pledged", "Lượt đăng ký", "number")],
    "awards": [("granted", "Lượt được khen thưởng", "number"), ("revoked", "Lượt bị thu hồi", "number")],
    "initiatives": [
        ("registered", "Sáng kiến đăng ký", "number"),
        ("recognised", "Sáng kiến được công nhận", "number"),
        ("benefit_value", "Giá trị làm lợi", "money"),
        ("target", "Chỉ tiêu", "number"),
        ("percent_of_target", "Đạt so với chỉ tiêu", "percent"),
    ],
    "works": [
        ("registered", "Công trình đăng ký", "number"),
        ("value", "Giá trị đăng ký", "money"),
        ("completed", "Hoàn thành", "number"),
        ("plaqued", "Gắn biển", "number"),
        ("plaqued_value", "Giá trị gắn biển", "money"),
    ],
    "targets": [
        ("target", "Chỉ tiêu", "number"),
        ("achieved", "Đạt", "number"),
        ("percent", "Tỷ lệ", "percent"),
    ],
}
TERM_TOTALS = [
    ("pledged", "Lượt đăng ký", "number"),
    ("granted", "Lượt được khen", "number"),
    ("initiatives", "Sáng kiến", "number"),
    ("benefit_value", "Giá trị làm lợi", "money"),
    ("works", "Công trình", "number"),
    ("works_value", "Giá trị công trình", "money"),
]
TABLES = {
    "registrations": registrations,
    "awards": awards,
    "initiatives": initiatives,
    "works": works,
    "targets": targets,
    "term": term,
}


def rotation_grid(report: dict[str, Any]) -> dict[str, Any]:
    """Each block as a row of years: who received the Cờ each year, each unit with a mark of its
    own (a letter, and a pattern by CSS class), so a turn-taking shows as a staircase."""
    years = list(range(int(report["from"]), int(report["to"]) + 1))
    out = []
    for b in report.get("blocks", []):
        names = b.get("unit_names") or {}
        marks = {
            u: (chr(ord("A") + i) if i < 26 else str(i + 1), i % 8) for i, u in enumerate(b.get("units", []))
        }
        by_year = {y["year"]: y for y in b.get("years", [])}
        cells = []
        for year in years:
            y = by_year.get(year)
            if y is None:
                cells.append({"year": year, "signed": False, "to": []})
                continue
            cells.append(
                {
                    "year": year,
                    "signed": True,
                    "to": [
                        {
                            "code": u,
                            "name": names.get(u, u),
                            "mark": marks.get(u, ("?", 0))[0],
                            "tone": marks.get(u, ("?", 0))[1],
                        }
                        for u in y.get("flag_to", [])
                    ],
                    "not_top": year in b.get("years_not_to_top_scorer", []),
                    "top": [names.get(u, u) for u in y.get("top_scorers", [])],
                }
            )
        out.append(
            {
                "block": b["block"],
                "name": b.get("block_name") or b["block"],
                "legend": [
                    {"code": u, "name": names.get(u, u), "mark": m, "tone": t} for u, (m, t) in marks.items()
                ],
                "cells": cells,
                "strict_rotation": bool(b.get("strict_rotation")),
                "longest": int(b.get("longest_rotation_years") or 0),
                "not_top": list(b.get("years_not_to_top_scorer", [])),
            }
        )
    return {"years": years, "blocks": out}


def view(kind: ReportKind, report: dict[str, Any], national: bool, link: UnitLink) -> ReportView:
    out = ReportView(kind, report)
    if kind.name == "term":
        totals = report.get("totals", {})
        out.figures = [Figure(label, totals.get(key), k) for key, label, k in TERM_TOTALS]
    else:
        out.figures = [Figure(label, report.get(key), k) for key, label, k in HEADLINES.get(kind.name, [])]
    if kind.name == "rotation":
        out.grid = rotation_grid(report)
        return out
    if national:
        key, label, _ = HEADLINES[kind.name][0]
        out.tables.append(by_federation(report, key, label))
    out.tables.extend(TABLES[kind.name](report, link))
    return out
