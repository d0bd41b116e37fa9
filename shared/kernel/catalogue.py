"""The default catalogue of docs/domain.md section 6. Federations may add their own awards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SubjectKind = Literal["member", "unit"]
Subjects = Literal["member", "unit", "both"]
Level = Literal["grassroots", "federation", "national", "state", "ministry", "issuing-unit"]


@dataclass(frozen=True)
class AwardDefinition:
    code: str
    name: str
    subjects: Subjects
    level: Level
    authority: str
    kind: Literal["title", "commendation"] = "commendation"

    def admits(self, subject_kind: str) -> bool:
        return self.subjects == "both" or self.subjects == subject_kind


DEFAULT_AWARDS: tuple[AwardDefinition, ...] = (
    AwardDefinition("ldtt", "Lao động tiên tiến", "member", "grassroots", "unit", "title"),
    AwardDefinition("cstd-co-so", "Chiến sĩ thi đua cơ sở", "member", "grassroots", "unit", "title"),
    AwardDefinition("ttldtt", "Tập thể lao động tiên tiến", "unit", "grassroots", "unit", "title"),
    AwardDefinition("ttldxs", "Tập thể lao động xuất sắc", "unit", "federation", "federation", "title"),
    AwardDefinition("giay-khen", "Giấy khen", "both", "issuing-unit", "unit"),
    AwardDefinition("bang-khen-ldld", "Bằng khen của LĐLĐ tỉnh", "both", "federation", "federation"),
    AwardDefinition(
        "co-thi-dua-ldld", "Cờ thi đua của LĐLĐ tỉnh", "unit", "federation", "federation", "title"
    ),
    AwardDefinition("bang-khen-tld", "Bằng khen của Tổng Liên đoàn", "both", "national", "national"),
    AwardDefinition(
        "co-thi-dua-tld", "Cờ thi đua của Tổng Liên đoàn", "unit", "national", "national", "title"
    ),
    AwardDefinition("bang-lao-dong-sang-tao", "Bằng Lao động sáng tạo", "member", "national", "national"),
    AwardDefinition(
        "bang-khen-ubnd-tinh", "Bằng khen của UBND tỉnh", "both", "state", "provincial-committee"
    ),
    AwardDefinition("bang-khen-ttg", "Bằng khen của Thủ tướng Chính phủ", "both", "state", "prime-minister"),
    AwardDefinition("huan-chuong-lao-dong-3", "Huân chương Lao động hạng Ba", "both", "state", "president"),
    AwardDefinition("huan-chuong-lao-dong-2", "Huân chương Lao động hạng Nhì", "both", "state", "president"),
    AwardDefinition("huan-chuong-lao-dong-1", "Huân chương Lao động hạng Nhất", "both", "state", "president"),
    AwardDefinition(
        "cstd-cap-tinh", "Chiến sĩ thi đua cấp tỉnh", "member", "state", "provincial-committee", "title"
    ),
    AwardDefinition(
        "cstd-toan-quoc", "Chiến sĩ thi đua toàn quốc", "member", "state", "prime-minister", "title"
    ),
    AwardDefinition("anh-hung-lao-dong", "Anh hùng Lao động", "both", "state", "president", "title"),
)

BY_CODE = {award.code: award for award in DEFAULT_AWARDS}
