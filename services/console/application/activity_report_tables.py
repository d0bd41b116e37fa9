"""The tables of the initiatives, works and targets reports: each unit's figures (against its
target where there is one) and works by occasion."""

from __future__ import annotations

from typing import Any

from services.console.application.report_kinds import PROGRAMMES
from services.console.application.report_layout import Column, Table, UnitLink, unit_cell


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
                    unit_cell(u, link),
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
                    unit_cell(u, link),
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
                [unit_cell(u, link), u.get("target"), u["achieved"], u.get("percent")]
                for u in report.get("by_unit", [])
            ],
            "bar",
            "Biểu đồ cột: chỉ tiêu và kết quả của từng đơn vị",
        )
    ]
