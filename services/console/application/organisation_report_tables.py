"""The tables of the tree report: the units one level below the report's unit (or the top of the
federation's tree), each with its own declared figures and its subtree's, and the units by kind."""

from __future__ import annotations

from typing import Any

from services.console.application.formatting import date_vn
from services.console.application.labels import UNIT_KINDS
from services.console.application.report_layout import Column, Table, UnitLink


def tree(report: dict[str, Any], link: UnitLink) -> list[Table]:
    units = report.get("units", [])
    top = report.get("unit")
    depth = next((len(u["unit_path"]) for u in units if u["code"] == top), 0)
    below = [u for u in units if len(u["unit_path"]) == depth + 1]
    return [
        Table(
            "don-vi-truc-thuoc",
            "Các đơn vị trực thuộc: số liệu của đơn vị và của cả các đơn vị trực thuộc nó",
            [
                Column("Đơn vị"),
                Column("Loại"),
                Column("Ngày thống kê"),
                Column("CNVCLĐ của đơn vị", "number"),
                Column("Đoàn viên của đơn vị", "number"),
                Column("CNVCLĐ cả đơn vị trực thuộc", "number", series=True),
                Column("Đoàn viên cả đơn vị trực thuộc", "number", series=True),
                Column("Công đoàn cơ sở", "number"),
                Column("Đoàn viên có hồ sơ", "number"),
            ],
            [_row(u, link) for u in below],
            "bar",
            "Biểu đồ cột: CNVCLĐ và đoàn viên của từng đơn vị trực thuộc",
            note="Đơn vị chưa báo số liệu để trống ở cột Ngày thống kê.",
        ),
        Table(
            "theo-loai",
            "Số đơn vị theo loại",
            [Column("Loại đơn vị"), Column("Số đơn vị", "number")],
            [[UNIT_KINDS.get(k, k), n] for k, n in report.get("units_by_kind", {}).items()],
        ),
    ]


def _row(unit: dict[str, Any], link: UnitLink) -> list[Any]:
    href = link(unit["code"])
    name = {"text": unit["name"], "href": href} if href else unit["name"]
    subtree = unit["subtree"]
    return [
        name,
        UNIT_KINDS.get(unit["kind"], unit["kind"] or ""),
        date_vn(unit["counted_on"]) if unit["counted_on"] else "",
        unit["workers"],
        unit["members"],
        subtree["workers"],
        subtree["members"],
        subtree["units_by_kind"].get("grassroots", 0),
        subtree["registered_members"],
    ]
