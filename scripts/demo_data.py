"""A realistic federation year: Bắc Kạn, 2023 (seed 000), with generated names and units.

The figures are the article's; the people and units are made up, deterministically."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Hoàng",
    "Hà",
    "Nông",
    "Triệu",
    "Lục",
    "Ma",
    "Đàm",
    "Lý",
    "Dương",
    "Phạm",
    "Vi",
    "Bế",
    "Lương",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hồng", "Quang", "Thanh", "Ngọc", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Ngân",
    "Phong",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thu",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]
DISTRICTS = [
    ("tp-bac-kan", "LĐLĐ thành phố Bắc Kạn"),
    ("ba-be", "LĐLĐ huyện Ba Bể"),
    ("bach-thong", "LĐLĐ huyện Bạch Thông"),
    ("cho-don", "LĐLĐ huyện Chợ Đồn"),
    ("cho-moi", "LĐLĐ huyện Chợ Mới"),
    ("na-ri", "LĐLĐ huyện Na Rì"),
    ("ngan-son", "LĐLĐ huyện Ngân Sơn"),
    ("pac-nam", "LĐLĐ huyện Pác Nặm"),
    ("cd-giao-duc", "Công đoàn ngành Giáo dục"),
    ("cd-y-te", "Công đoàn ngành Y tế"),
]
KINDS = ["Trường Tiểu học", "Trường THCS", "Trường Mầm non", "Trạm Y tế", "UBND xã", "Công ty", "Chi cục"]


@dataclass
class Tree:
    uppers: list[tuple[str, str]] = field(default_factory=list)
    grassroots: list[tuple[str, str, str]] = field(default_factory=list)  # code, name, parent
    collectives: list[tuple[str, str, str]] = field(default_factory=list)
    members: list[tuple[str, str, str]] = field(default_factory=list)  # code, name, unit


def tree(seed: int = 2023, grassroots_per_upper: int = 12, members_per_unit: int = 30) -> Tree:
    rng = random.Random(seed)
    t = Tree(uppers=list(DISTRICTS))
    for upper, _ in DISTRICTS:
        for i in range(grassroots_per_upper):
            code = f"{upper}-cs{i + 1:02d}"
            t.grassroots.append(
                (code, f"CĐCS {rng.choice(KINDS)} {upper.split('-')[-1].title()} {i + 1}", upper)
            )
            t.collectives.append((f"{code}-to1", f"Tổ công đoàn số 1 – {code}", code))
            for m in range(members_per_unit):
                name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                t.members.append((f"{code}-dv{m + 1:03d}", name, code))
    return t


# Seed 000's figures, as the report must print them.
PLEDGES = [  # award, subject kind, count
    ("co-thi-dua-tld", "unit", 2),
    ("bang-khen-tld", "unit", 7),
    ("bang-khen-tld", "member", 12),
    ("co-thi-dua-ldld", "unit", 4),
    ("bang-khen-ldld", "unit", 97),
    ("bang-khen-ldld", "member", 305),
]
WORKS = [  # value in VND, completed and plaqued in 2023: 5 worth 57.7 bn, 3 plaqued worth over 3.7 bn
    (30_000_000_000, False),
    (23_988_000_000, False),
    (1_450_000_000, True),
    (1_262_000_000, True),
    (1_000_000_000, True),
]
INITIATIVES = 2_888
INITIATIVE_TARGET = 1_800
