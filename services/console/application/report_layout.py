"""A report's figures as a page lays them out: columns, tables (a chart is drawn from its
table's own cells, static/reports.js, so the chart, the table and the report's JSON show the same
figures), headline figures, and the cells several reports' tables share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from services.console.application.labels import SUBJECT_KINDS
from services.console.application.report_kinds import ReportKind


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


def by_award_and_kind(rows: list[dict[str, Any]], value: str) -> tuple[list[list[Any]], list[Column]]:
    """One row per award, a column per subject kind present: bars side by side."""
    kinds = [k for k in ("member", "unit") if any(r["subject_kind"] == k for r in rows)]
    awards: dict[str, dict[str, Any]] = {}
    for r in rows:
        line = awards.setdefault(r["award"], {"name": r.get("award_name") or r["award"]})
        line[r["subject_kind"]] = line.get(r["subject_kind"], 0) + int(r.get(value) or 0)
    table = [[a["name"], *(a.get(k, 0) for k in kinds)] for a in awards.values()]
    return table, [Column(SUBJECT_KINDS[k], "number", series=True) for k in kinds]


def unit_cell(row: dict[str, Any], link: UnitLink) -> Any:
    name = row.get("unit_name") or row.get("unit") or ""
    href = link(row["unit"]) if row.get("unit") else None
    return {"text": name, "href": href} if href else name
