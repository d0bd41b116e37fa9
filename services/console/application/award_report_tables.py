"""The tables of the registrations report and the awards report: by award and subject kind,
by state, unit, movement and phase; granted and revoked in detail, nominations sent upward, and
pledged against achieved."""

from __future__ import annotations

from typing import Any

from services.console.application.labels import SUBJECT_KINDS, award_name
from services.console.application.report_kinds import LEVELS, STATES, authority_label
from services.console.application.report_layout import Column, Table, UnitLink, by_award_and_kind, unit_cell

# the awards report's counts of grants by occasion: regular apart from thematic and ad-hoc
OCCASIONS = {"regular": "Thường xuyên", "thematic": "Chuyên đề", "ad_hoc": "Đột xuất"}
OCCASION_COLUMNS = [Column(label, "number") for label in OCCASIONS.values()]
GRANTED_COLUMNS = [Column("Được khen", "number"), *OCCASION_COLUMNS]
# participation pledges (no award), counted apart from the pledges for an award
TAKING_PART = Column("Tham gia phong trào (không đăng ký danh hiệu)", "number")


def registrations(report: dict[str, Any], link: UnitLink) -> list[Table]:
    rows, columns = by_award_and_kind(report.get("by_award", []), "pledged")
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
            [Column("Đơn vị"), Column("Số lượt đăng ký", "number"), TAKING_PART],
            [
                [unit_cell(u, link), u["pledged"], u.get("participating", 0)]
                for u in report.get("by_unit", [])
            ],
        ),
        Table(
            "theo-phong-trao",
            "Theo phong trào",
            [Column("Phong trào"), Column("Số lượt đăng ký", "number"), TAKING_PART],
            [[m["movement"], m["pledged"], m.get("participating", 0)] for m in report.get("by_movement", [])],
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
    rows, columns = by_award_and_kind(by_award, "granted")
    return [
        Table(
            "theo-hinh-thuc",
            "Số lượt được khen thưởng theo hình thức và đối tượng (không tính lượt đã thu hồi)",
            [Column("Hình thức khen thưởng"), *columns],
            rows,
            "bar",
            "Biểu đồ cột: số lượt được khen thưởng theo hình thức và đối tượng",
        ),
        _award_detail(by_award),
        _by_period(report),
        Table(
            "theo-don-vi",
            "Theo đơn vị",
            [Column("Đơn vị"), Column("Số lượt được khen", "number")],
            [[unit_cell(u, link), u["granted"]] for u in report.get("by_unit", [])],
        ),
        _nominated_upward(report),
        _pledged_vs_achieved(report),
    ]


def _award_detail(by_award: list[dict[str, Any]]) -> Table:
    """Granted, revoked and cancelled by award, subject kind, level and deciding authority."""
    return Table(
        "chi-tiet",
        "Chi tiết theo hình thức, cấp và cấp quyết định",
        [
            Column("Hình thức khen thưởng"),
            Column("Đối tượng"),
            Column("Cấp"),
            Column("Cấp quyết định"),
            Column("Được khen", "number"),
            *OCCASION_COLUMNS,
            Column("Bị thu hồi", "number"),
            Column("Bị hủy (quyết định sửa đổi, hủy bỏ)", "number"),
        ],
        [
            [
                g.get("award_name") or g["award"],
                SUBJECT_KINDS.get(g["subject_kind"], g["subject_kind"]),
                LEVELS.get(g.get("level") or "", g.get("level") or ""),
                "; ".join(f"{authority_label(a)}: {n}" for a, n in sorted(g.get("by_authority", {}).items())),
                g["granted"],
                *(g.get(k, 0) for k in OCCASIONS),
                g["revoked"],
                g.get("cancelled", 0),
            ]
            for g in by_award
        ],
    )


def _by_period(report: dict[str, Any]) -> Table:
    """Standing grants by period (a year, a school year, a phase), award and subject kind,
    regular ones apart from thematic and ad-hoc."""
    return Table(
        "theo-thoi-ky",
        "Theo thời kỳ (năm, năm học, giai đoạn), thường xuyên và chuyên đề",
        [Column("Thời kỳ"), Column("Hình thức khen thưởng"), Column("Đối tượng"), *GRANTED_COLUMNS],
        [
            [
                p["period_name"],
                p.get("award_name") or p["award"],
                SUBJECT_KINDS.get(p["subject_kind"], p["subject_kind"]),
                p["granted"],
                *(p.get(k, 0) for k in OCCASIONS),
            ]
            for p in report.get("by_period", [])
        ],
    )


def _nominated_upward(report: dict[str, Any]) -> Table:
    """Nominations sent to a higher level and what became of them."""
    return Table(
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
    )


def _pledged_vs_achieved(report: dict[str, Any]) -> Table:
    """Each award's pledges against those achieved."""
    return Table(
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
    )
