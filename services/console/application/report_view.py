"""A report as its page shows it: the headline figures, each federation's figure on the national
page, the report's own tables, or the rotation report's grid."""

from __future__ import annotations

from typing import Any

from services.console.application.activity_report_tables import initiatives, targets, works
from services.console.application.award_report_tables import awards, registrations
from services.console.application.multiyear_report_tables import rotation_grid, term
from services.console.application.organisation_report_tables import tree
from services.console.application.report_kinds import ReportKind
from services.console.application.report_layout import Column, Figure, ReportView, Table, UnitLink


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
    "registrations": [
        ("pledged", "Lượt đăng ký", "number"),
        ("participating", "Lượt đăng ký tham gia phong trào", "number"),
    ],
    "awards": [
        ("granted", "Lượt được khen thưởng", "number"),
        ("revoked", "Lượt bị thu hồi", "number"),
        ("thematic", "Lượt khen thưởng chuyên đề", "number"),
    ],
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
    "tree": [
        ("workers", "CNVCLĐ", "number"),
        ("members", "Đoàn viên", "number"),
        ("registered_members", "Đoàn viên có hồ sơ", "number"),
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
    "tree": tree,
}


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
