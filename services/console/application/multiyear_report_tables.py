"""The reports over several years: the term report's tables (each year, and the term's awards)
and the rotation report's block × year grid."""

from __future__ import annotations

from typing import Any

from services.console.application.report_layout import Column, Table, UnitLink, by_award_and_kind


def term(report: dict[str, Any], link: UnitLink) -> list[Table]:
    years = report.get("by_year", [])
    rows, columns = by_award_and_kind(report.get("grants_by_award", []), "granted")
    return [
        Table(
            "theo-nam",
            "Từng năm của nhiệm kỳ",
            [
                Column("Năm"),
                Column("Lượt đăng ký", "number", series=True),
                Column("Lượt đăng ký tham gia phong trào", "number"),
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
                    y.get("participating", 0),
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
