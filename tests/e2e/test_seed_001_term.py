"""Seed 001 end to end: Bắc Kạn city's five-year term (docs/domain.md section 8), keyed in only
through the bulk lists — units, members, headcounts, participation pledges, works, imported
grants — plus the few single requests with no list form (the federation, a movement a year),
carried by the real relays and bus to reporting, and read back from its reports.

The seed's figures as loaded (its "more than" honoured by one over; the rest exactly):
1,530 workers and 1,498 members in 65 grassroots unions (the city's own office and one union
group per grassroots union declare none); 3,500 participation pledges, 700 a year; 5 works worth
25 tỷ đồng; 701 CSTĐ cơ sở and 2,801 LĐTT individuals; 336 TTLĐTT and 128 TTLĐXS collectives;
the Prime Minister's Bằng khen to 4 collectives and 8 individuals; the Labour Order, third class,
to 3 collectives and 6 individuals."""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.support import Isolation, ServiceProcess, bearer, eventually

ADMIN = bearer("*", ["admin"], sub="hoang.thi.thu")
FED = "bac-kan"
CITY = "ldld-tp-bac-kan"
YEARS = range(2019, 2024)  # the term: five calendar years, its figures read as of 31/12/2023
GRASSROOTS = [f"cdcs-{i:02d}" for i in range(1, 66)]
GROUPS = [f"to-cd-{i:02d}" for i in range(1, 66)]  # a union group (tập thể) in each grassroots union
WORKERS = [24 if i < 35 else 23 for i in range(65)]  # 35 × 24 + 30 × 23 = 1,530
MEMBERS = [w - (1 if i < 32 else 0) for i, w in enumerate(WORKERS)]  # 1,530 − 32 = 1,498
PEOPLE = [f"dv-{n:04d}" for n in range(1, sum(MEMBERS) + 1)]
WORKS_VALUE = [3_200_000_000, 4_500_000_000, 6_000_000_000, 5_300_000_000, 6_000_000_000]  # 25 tỷ
# (award, subject kind) -> how many over the term; the state's awards come in one year each
TITLES = {
    ("cstd-co-so", "member"): 701,
    ("ldtt", "member"): 2801,
    ("ttldtt", "unit"): 336,
    ("ttldxs", "unit"): 128,
}
STATE = {  # award -> (year, deciding authority, collectives, individuals)
    "bang-khen-ttg": (2021, "prime-minister", 4, 8),
    "huan-chuong-lao-dong-3": (2023, "president", 3, 6),
}
SEED_GRANTS: list[dict[str, Any]] = [
    {"award": "bang-khen-ttg", "subject_kind": "member", "granted": 8},
    {"award": "bang-khen-ttg", "subject_kind": "unit", "granted": 4},
    {"award": "cstd-co-so", "subject_kind": "member", "granted": 701},
    {"award": "huan-chuong-lao-dong-3", "subject_kind": "member", "granted": 6},
    {"award": "huan-chuong-lao-dong-3", "subject_kind": "unit", "granted": 3},
    {"award": "ldtt", "subject_kind": "member", "granted": 2801},
    {"award": "ttldtt", "subject_kind": "unit", "granted": 336},
    {"award": "ttldxs", "subject_kind": "unit", "granted": 128},
]
SLOW = 120.0  # reporting projects some twelve thousand events after the lists are in


def spread(total: int, parts: int = len(YEARS)) -> list[int]:
    """`total` over `parts` years as evenly as can be, the odd ones first: 701 -> 141, 140, …"""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def turned(codes: list[str], by: int) -> list[str]:
    return codes[by % len(codes) :] + codes[: by % len(codes)]


def grant(kind: str, code: str, award: str, year: int, number: str, authority: str) -> dict[str, Any]:
    return {"subject_kind": kind, "subject_code": code, "award": award, "year": year} | {
        "decision_number": number,
        "decision_date": f"{year}-12-25",
        "authority": authority,
    }


def grants_of(k: int, year: int) -> list[dict[str, Any]]:
    """Year `k`'s titles (CSTĐ chosen among that year's LĐTT; TTLĐXS and TTLĐTT apart), and the
    state's awards of that year."""
    people, units = turned(PEOPLE, 311 * k), turned(GRASSROOTS + GROUPS, 17 * k)
    out = []
    for (award, kind), total in TITLES.items():
        n = spread(total)[k]
        chosen = units[:n] if award == "ttldtt" else units[-n:] if kind == "unit" else people[:n]
        number = f"{10 + k}/QĐ-LĐLĐ" if award == "ttldxs" else f"{k + 1}/QĐ-CĐCS"
        out += [grant(kind, code, award, year, number, CITY) for code in chosen]
    for award, (when, authority, collectives, individuals) in STATE.items():
        if when == year:
            number = f"{year - 2000}/QĐ-{authority}"
            out += [grant("unit", u, award, year, number, authority) for u in GRASSROOTS[:collectives]]
            out += [grant("member", p, award, year, number, authority) for p in PEOPLE[-individuals:]]
    return out


async def post(http: httpx.AsyncClient, url: str, body: Any, rows: int | None = None) -> dict[str, Any]:
    r = await http.post(url, json=body, headers=ADMIN)
    assert r.status_code == 201, (url, r.text[:2000])
    answer: dict[str, Any] = r.json()
    if rows is not None:  # a bulk list: every row taken
        assert (answer["accepted"], answer["rejected"]) == (rows, 0), answer
    return answer


async def load_term(http: httpx.AsyncClient, reg: str, awards: str) -> None:
    base = f"{reg}/v1/federations/{FED}"
    await post(http, f"{reg}/v1/federations", {"code": FED, "name": "LĐLĐ tỉnh Bắc Kạn"})
    since = {"effective_on": "2018-01-01"}
    units = [{"code": CITY, "name": "LĐLĐ thành phố Bắc Kạn", "kind": "upper"} | since]
    units += [
        {"code": c, "name": f"CĐCS số {i}", "kind": "grassroots", "parent": CITY} | since
        for i, c in enumerate(GRASSROOTS, 1)
    ]
    units += [
        {"code": g, "name": f"Tổ công đoàn số {i}", "kind": "collective", "parent": c} | since
        for i, (g, c) in enumerate(zip(GROUPS, GRASSROOTS, strict=True), 1)
    ]
    await post(http, f"{base}/units:batch", units, rows=len(units))
    homes = [unit for unit, n in zip(GRASSROOTS, MEMBERS, strict=True) for _ in range(n)]
    members = [
        {"code": p, "full_name": f"Đoàn viên {p}", "unit": u} for p, u in zip(PEOPLE, homes, strict=True)
    ]
    await post(http, f"{base}/members:batch", members, rows=len(members))
    counts = [
        {"unit": u, "counted_on": "2023-12-31", "workers": w, "members": m}
        for u, w, m in zip(GRASSROOTS, WORKERS, MEMBERS, strict=True)
    ]
    await post(http, f"{base}/headcounts", {"headcounts": counts})
    for k, year in enumerate(YEARS):
        movement = {"code": f"td-{year}", "name": f"Phong trào thi đua năm {year}", "year": year}
        movement |= {"awards": ["ldtt", "cstd-co-so", "ttldtt", "ttldxs"]}
        await post(http, f"{base}/movements", movement | {"registration_deadline": f"{year}-03-31"})
        joining = [
            {"movement": f"td-{year}", "award": None, "subject_kind": "member", "subject_code": p}
            | {"pledged_on": f"{year}-02-15"}
            for p in turned(PEOPLE, 700 * k)[:700]
        ]
        await post(http, f"{base}/pledges:batch", joining, rows=700)
    works = [
        {"code": f"ct-{year}", "name": f"Công trình chào mừng năm {year}", "unit": GRASSROOTS[k]}
        | {"value": value, "occasion": "Đại hội Công đoàn các cấp", "year": year}
        | {"registered_on": f"{year}-03-01"}
        for k, (year, value) in enumerate(zip(YEARS, WORKS_VALUE, strict=True))
    ]
    await post(http, f"{base}/works:batch", works, rows=5)

    async def awards_knows_everyone() -> None:  # awards' copy of registration's facts, over the bus
        for kind, code in (("unit", GROUPS[-1]), ("member", PEOPLE[-1])):
            r = await http.get(f"{awards}/v1/federations/{FED}/records/{kind}/{code}", headers=ADMIN)
            assert r.status_code == 200, r.text

    await eventually(awards_knows_everyone, timeout=SLOW)
    for k, year in enumerate(YEARS):  # a year's decisions, imported as one list
        lines = grants_of(k, year)
        answer = await post(http, f"{awards}/v1/federations/{FED}/grants:import", {"grants": lines})
        assert answer["imported"] == len(lines)


@pytest.fixture(scope="module")
async def reports() -> AsyncIterator[str]:
    """The term loaded through the lists into the three services; reporting's URL."""
    isolation = Isolation()
    env = isolation.env()
    services = [ServiceProcess(name, env) for name in ("registration", "awards", "reporting")]
    try:
        reg, awards, reporting = (s.start() for s in services)
        started = time.monotonic()
        async with httpx.AsyncClient(timeout=120) as http:
            await load_term(http, reg.url, awards.url)
        print(f"seed 001 loaded in {time.monotonic() - started:.1f} s")
        yield reporting.url
    finally:
        for service in services:
            service.stop()
        isolation.drop()
        await isolation.drop_broker_objects()


async def read(url: str, path: str, **params: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=60) as http:
        r = await http.get(f"{url}/v1/federations/{FED}/reports/{path}", params=params, headers=ADMIN)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def term_report(url: str) -> dict[str, Any]:
    """The term's report once reporting has every grant of it."""

    async def complete() -> dict[str, Any]:
        body = await read(url, "term", **{"from": YEARS[0], "to": YEARS[-1]})
        assert body["totals"]["granted"] == sum(g["granted"] for g in SEED_GRANTS), body["totals"]
        return body

    return await eventually(complete, timeout=SLOW, interval=0.5)


async def test_given_the_term_loaded_in_bulk_when_the_city_tree_is_read_at_its_end_then_it_has_65_grassroots_unions_1530_workers_and_1498_members(  # noqa: E501
    reports: str,
) -> None:
    async def tree() -> dict[str, Any]:
        body = await read(reports, "tree", unit=CITY, as_of="2023-12-31")
        assert body["registered_members"] == 1498, {k: v for k, v in body.items() if k != "units"}
        return body

    body = await eventually(tree, timeout=SLOW, interval=0.5)
    assert body["units_by_kind"] == {"collective": 65, "grassroots": 65, "upper": 1}
    assert (body["workers"], body["members"]) == (1530, 1498)
    city = next(u for u in body["units"] if u["code"] == CITY)
    assert city["subtree"]["units_by_kind"]["grassroots"] == 65
    assert (city["subtree"]["workers"], city["subtree"]["members"]) == (1530, 1498)


async def test_given_the_term_loaded_in_bulk_when_each_years_registrations_are_read_then_700_take_part_a_year_3500_in_all(  # noqa: E501
    reports: str,
) -> None:
    async def year(y: int) -> dict[str, Any]:
        body = await read(reports, "registrations", year=y)
        assert body["participating"] == 700, body
        return body

    bodies = [await eventually(functools.partial(year, y), timeout=SLOW, interval=0.5) for y in YEARS]
    assert sum(b["participating"] for b in bodies) == 3500
    assert all(b["pledged"] == 0 and b["by_award"] == [] for b in bodies)  # no award pledged
    assert [b["by_movement"] for b in bodies] == [
        [{"movement": f"td-{y}", "pledged": 0, "participating": 700}] for y in YEARS
    ]


async def test_given_the_term_loaded_in_bulk_when_the_term_report_is_read_then_its_totals_count_3500_taking_part(  # noqa: E501
    reports: str,
) -> None:
    body = await term_report(reports)
    assert body["totals"]["participating"] == 3500, body["totals"]
    assert [y["participating"] for y in body["by_year"]] == [700] * 5


async def test_given_the_term_loaded_in_bulk_when_the_term_report_is_read_then_5_works_are_worth_25_billion_dong(  # noqa: E501
    reports: str,
) -> None:
    body = await term_report(reports)
    assert (body["totals"]["works"], body["totals"]["works_value"]) == (5, 25_000_000_000)
    assert [(y["works"], y["works_value"]) for y in body["by_year"]] == [(1, v) for v in WORKS_VALUE]


async def test_given_the_term_loaded_in_bulk_when_the_term_report_is_read_then_its_grants_are_the_seeds(
    reports: str,
) -> None:
    body = await term_report(reports)
    assert [{k: g[k] for k in ("award", "subject_kind", "granted")} for g in body["grants_by_award"]] == (
        SEED_GRANTS
    )
    assert body["totals"]["revoked"] == 0


async def test_given_the_term_loaded_in_bulk_when_each_years_awards_report_is_read_then_they_add_up_to_the_term(  # noqa: E501
    reports: str,
) -> None:
    await term_report(reports)
    totals: dict[tuple[str, str], int] = {}
    for y in YEARS:
        for row in (await read(reports, "awards", year=y))["by_award"]:
            key = (row["award"], row["subject_kind"])
            totals[key] = totals.get(key, 0) + row["granted"]
    assert totals == {(g["award"], g["subject_kind"]): g["granted"] for g in SEED_GRANTS}
