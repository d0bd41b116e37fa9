"""A seeded data generator: organisation trees with long-tailed unit sizes, and the awards
history (ratings, grants) of ten years as the awards service would publish it.

Everything depends only on the seed, so two runs of one profile see the same data set."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from shared.messaging.contracts import sequence_text

NS = uuid.UUID("2b0c4e1a-6a55-4c1e-9d4f-0b5e1c7d9a01")
YEARS = tuple(range(2016, 2026))
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Ngọc", "Thu", "Hữu", "Quang", "Thanh", "Kim")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hương", "Lan", "Linh", "Mai", "Nam", "Phúc")
RATINGS = ("excellent", "good", "good", "complete", "complete", "complete", "incomplete")
MEMBER_AWARDS = ("ldtt", "cstd-co-so", "giay-khen", "bang-khen-ldld")
# Open for pledges in the quick profile's movement: one award per path, so each path's pledges are
# new (the last three: the rounds of bench/quick_lists.py).
LIST_ROUND_AWARDS = ("bang-khen-ubnd-tinh", "cstd-cap-tinh", "bang-khen-ttg")
PLEDGE_AWARDS = (*MEMBER_AWARDS, "bang-khen-tld", "bang-lao-dong-sang-tao", *LIST_ROUND_AWARDS)
PROVINCES = (
    "ha-noi",
    "ho-chi-minh",
    "hai-phong",
    "da-nang",
    "can-tho",
    "hue",
    "an-giang",
    "bac-ninh",
    "ca-mau",
    "cao-bang",
    "dak-lak",
    "dien-bien",
    "dong-nai",
    "dong-thap",
    "gia-lai",
    "ha-tinh",
    "hung-yen",
    "khanh-hoa",
    "lai-chau",
    "lam-dong",
    "lang-son",
    "lao-cai",
    "nghe-an",
    "ninh-binh",
    "phu-tho",
    "quang-ngai",
    "quang-ninh",
    "quang-tri",
    "son-la",
    "tay-ninh",
    "thai-nguyen",
    "thanh-hoa",
    "tuyen-quang",
    "vinh-long",
)  # the 34 provinces after the 2025 merger


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str
    ancestry: tuple[str, ...]


@dataclass(frozen=True)
class Member:
    code: str
    full_name: str
    unit: Unit
    birth_year: int


@dataclass
class Federation:
    code: str
    name: str
    units: list[Unit] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def federation(rng: random.Random, code: str, members: int, grassroots: int) -> Federation:
    """A federation's tree: upper units (districts, sectors), grassroots units under them, and
    members spread over the grassroots units by a Pareto law (a few big factories, many small)."""
    fed = Federation(code, f"LĐLĐ {code}")
    uppers = max(2, grassroots // 12)
    for i in range(uppers):
        fed.units.append(Unit(f"cd-{i:03d}", f"Công đoàn cấp trên {i}", "upper", (f"cd-{i:03d}",)))
    grass: list[Unit] = []
    for i in range(grassroots):
        parent = fed.units[rng.randrange(uppers)]
        code_ = f"cdcs-{i:05d}"
        grass.append(Unit(code_, f"CĐCS {i}", "grassroots", (*parent.ancestry, code_)))
    fed.units.extend(grass)
    weights = [rng.paretovariate(1.16) for _ in grass]
    homes = rng.choices(grass, weights=weights, k=members)
    fed.members = [
        Member(f"dv-{i:06d}", _name(rng), home, rng.randrange(1965, 2003)) for i, home in enumerate(homes)
    ]
    return fed


def nation(seed: int, members: int) -> list[Federation]:
    """34 federations whose sizes are long-tailed too (the big cities hold many times more members)."""
    rng = random.Random(seed)
    sizes = [rng.lognormvariate(0, 0.9) for _ in PROVINCES]
    total = sum(sizes)
    out = []
    for code, size in zip(PROVINCES, sizes, strict=True):
        n = max(min(500, max(20, members // 170)), int(members * size / total))
        out.append(federation(rng, code, n, max(20, n // 15)))
    return out


class Envelopes:
    """CloudEvents envelopes as docs/events.md describes them, numbered per source."""

    def __init__(self) -> None:
        self.sequence: dict[str, int] = {}

    def make(
        self,
        service: str,
        name: str,
        data: dict[str, Any],
        subject: str,
        version: int = 1,
        time: str = "2024-06-01T09:00:00+07:00",
    ) -> dict[str, Any]:
        source = f"tdkt/{service}"
        self.sequence[source] = self.sequence.get(source, 0) + 1
        return {
            "specversion": "1.0",
            "id": str(uuid.uuid5(NS, f"{subject}:{version}")),
            "source": source,
            "type": f"tdkt.{service}.{name}.v1",
            "subject": str(uuid.uuid5(NS, subject)),
            "time": time,
            "datacontenttype": "application/json",
            "federation": data["federation"],
            "sequence": sequence_text(self.sequence[source]),
            "actor": "bench",
            "actorscope": "*",
            "requestid": "",
            "correlationid": "bench",
            "causationid": "bench",
            "version": version,
            "data": data,
        }


def organisation_events(env: Envelopes, fed: Federation) -> Iterator[dict[str, Any]]:
    f = fed.code
    yield env.make("registration", "federation-created", {"federation": f, "name": fed.name}, f"fed:{f}")
    for u in fed.units:
        yield env.make(
            "registration",
            "unit-registered",
            {
                "federation": f,
                "code": u.code,
                "name": u.name,
                "kind": u.kind,
                "parent": u.ancestry[-2] if len(u.ancestry) > 1 else None,
                "ancestry": list(u.ancestry),
                "effective_on": None,
            },
            f"unit:{f}:{u.code}",
        )
    for m in fed.members:
        yield env.make(
            "registration",
            "member-registered",
            {
                "federation": f,
                "code": m.code,
                "full_name": m.full_name,
                "unit": m.unit.code,
                "unit_name": m.unit.name,
                "unit_path": list(m.unit.ancestry),
                "birth_year": m.birth_year,
                "gender": None,
                "position": None,
            },
            f"member:{f}:{m.code}",
        )


def history_events(
    env: Envelopes, rng: random.Random, fed: Federation, rated: list[Member], years: tuple[int, ...] = YEARS
) -> Iterator[dict[str, Any]]:
    """Each rated member's yearly rating, and the grants that follow a good year."""
    f = fed.code
    for year in years:
        number = f"{rng.randrange(1, 300)}/QĐ-LĐLĐ"
        for m in rated:
            rating = rng.choice(RATINGS)
            base = {
                "federation": f,
                "subject_kind": "member",
                "subject_code": m.code,
                "subject_name": m.full_name,
                "unit": m.unit.code,
            }
            yield env.make(
                "awards",
                "rating-recorded",
                {**base, "year": year, "rating": rating},
                f"rating:{f}:{m.code}:{year}",
                time=f"{year}-12-15T09:00:00+07:00",
            )
            if rating == "excellent" or (rating == "good" and rng.random() < 0.3):
                award = rng.choice(MEMBER_AWARDS)
                yield env.make(
                    "awards",
                    "award-granted",
                    {
                        **base,
                        "unit_path": list(m.unit.ancestry),
                        "award": award,
                        "award_name": award,
                        "level": "federation",
                        "year": year,
                        "decision_id": number,
                        "decision_number": number,
                        "decision_date": f"{year}-12-22",
                        "signer": "Hoàng Thị Thu",
                        "authority": f"ldld:{f}",
                        "source": "decision",
                        "nomination": None,
                        "bonus_coefficient": None,
                        "occasion": "regular",
                    },
                    f"grant:{f}:{m.code}:{award}:{year}",
                    time=f"{year}-12-22T10:00:00+07:00",
                )
