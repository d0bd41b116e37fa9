"""Which reports the reporting service has (its path segment, title, filters, whether it has a
national roll-up, whether a unit's clerk may read it) and the words for the codes its figures
carry (pledge states, award levels, deciding authorities)."""

from __future__ import annotations

from dataclasses import dataclass

from services.console.application.labels import PLEDGE_STATES
from shared.kernel.words import AUTHORITIES as AUTHORITIES  # the shared tables, named here too
from shared.kernel.words import LEVELS as LEVELS
from shared.kernel.words import PROGRAMMES as PROGRAMMES
from shared.kernel.words import authority_label as authority_label

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
        "Số được khen, bị thu hồi, theo thời kỳ, thường xuyên và chuyên đề; đề nghị lên cấp trên; "
        "đăng ký so với đạt",
        (*YEARLY, "period"),
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
        "tree",
        "Tổ chức: đơn vị và đoàn viên",
        "Số đơn vị theo loại, CNVCLĐ và đoàn viên của từng đơn vị, tính đến một ngày",
        ("unit", "as_of"),
    ),
    ReportKind(
        "rotation",
        "Luân phiên Cờ thi đua trong khối",
        "Đơn vị được tặng Cờ thi đua mỗi năm trong từng khối",
        ("from", "to"),
        unit_scoped=False,
    ),
)
BY_NAME = {r.name: r for r in REPORTS}
STATES = PLEDGE_STATES  # one label table: the same words on every page
