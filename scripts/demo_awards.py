"""The demo year's awards through awards' API, as federation staff and its council would:
grants recorded from others' decisions and decided by the federation, a block leader's flag and
nominations upward passed by the council (the loader: scripts/demo_loader.py)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scripts.demo_loader import Loader

COUNCIL = [f"hd-{i}" for i in range(1, 10)]
# (award, subject kind) -> the codes that pledged it (scripts/demo_loader.py, Loader.pledge)
Pledgers = dict[tuple[str, str], list[str]]


def lines(pledgers: Pledgers, award: str, kind: str, n: int, skip: int = 0) -> list[dict[str, Any]]:
    return [
        {"subject_kind": kind, "subject_code": c, "award": award}
        for c in pledgers[(award, kind)][skip : skip + n]
    ]


def recorded(pledgers: Pledgers) -> list[dict[str, Any]]:
    """The national union's thematic Bằng khen and the provincial People's Committee's, recorded."""
    imports = [
        {
            **line,
            "year": 2023,
            "decision_number": "1025/QĐ-TLĐ",
            "decision_date": "2023-07-20",
            "authority": "tld",
            "signer": "Phan Văn Anh",
            "occasion": "thematic",
        }
        for line in lines(pledgers, "bang-khen-tld", "unit", 1)
        + lines(pledgers, "bang-khen-tld", "member", 1)
    ]
    ubnd = [
        {"subject_kind": k, "subject_code": c, "award": "bang-khen-ubnd-tinh"}
        for k, c in [("unit", c) for c in pledgers[("bang-khen-ldld", "unit")][60:90]]
        + [("member", c) for c in pledgers[("bang-khen-ldld", "member")][200:236]]
    ]
    imports += [
        {
            **line,
            "year": 2023,
            "decision_number": "2150/QĐ-UBND",
            "decision_date": "2023-11-02",
            "authority": "ubnd-tinh",
            "signer": "Nguyễn Đăng Bình",
            "period": "Giai đoạn 2021–2023",
        }
        for line in ubnd
    ]
    return imports


async def grant(loader: Loader, pledgers: Pledgers) -> None:
    await loader.post(f"{loader.awards}/grants:import", {"grants": recorded(pledgers)}, retry=True)
    # the federation's Bằng khen at the end of the 2022–2023 school year
    await loader.post(
        f"{loader.awards}/decisions",
        {
            "number": "215/QĐ-LĐLĐ",
            "signed_on": "2023-08-10",
            "signer": "Hoàng Thị Thu",
            "year": 2023,
            "period": "Năm học 2022–2023",
            "title": "Khen thưởng tổng kết năm học 2022–2023",
            "grants": lines(pledgers, "bang-khen-ldld", "unit", 17)
            + lines(pledgers, "bang-khen-ldld", "member", 27),
        },
        retry=True,
    )
    # nominated upward for the national union's Bằng khen: 3 collectives and 5 individuals,
    # passed by the federation's council, then forwarded
    flag = await flag_nomination(loader, pledgers[("co-thi-dua-ldld", "unit")])
    upward = await nominate_upward(loader, pledgers)
    await council(loader, "hd-2023", [flag, *upward])
    for nomination in upward:
        await loader.post(f"{loader.awards}/nominations/{nomination}:forward", {"to": "national"})
    await loader.post(
        f"{loader.awards}/decisions",
        {
            "number": "216/QĐ-LĐLĐ",
            "signed_on": "2023-12-20",
            "signer": "Hoàng Thị Thu",
            "year": 2023,
            "title": "Tặng Cờ thi đua của LĐLĐ tỉnh năm 2023",
            "grants": [{"nomination": flag}],
        },
    )


async def nominate_upward(loader: Loader, pledgers: Pledgers) -> list[str]:
    """The national union's Bằng khen asked for 3 collectives and 5 individuals; the nominations'
    ids."""
    upward = []
    chosen = lines(pledgers, "bang-khen-tld", "unit", 3, skip=1) + lines(
        pledgers, "bang-khen-tld", "member", 5, skip=1
    )
    for line in chosen:
        nomination = await loader.post(
            f"{loader.awards}/nominations",
            {
                "subject_kind": line["subject_kind"],
                "subject_code": line["subject_code"],
                "award": "bang-khen-tld",
                "year": 2023,
                "grounds": "Hoàn thành xuất sắc nhiệm vụ năm học",
            },
            retry=True,
        )
        upward.append(nomination["id"])
    return upward


async def flag_nomination(loader: Loader, block_units: list[str]) -> str:
    """The block signs its covenant, scores its units and acclaims its leader; the leader,
    rated excellent, is nominated for the federation's Cờ thi đua."""
    await loader.post(
        f"{loader.reg}/units", {"code": "khoi-thi-dua-1", "name": "Khối thi đua số 1", "kind": "block"}
    )
    await loader.post(
        f"{loader.reg}/covenants",
        {
            "block": "khoi-thi-dua-1",
            "year": 2023,
            "units": block_units,
            "signed_on": "2023-02-20",
            "criteria": [
                {"name": "Thực hiện nhiệm vụ chính trị", "max_score": 60},
                {"name": "Hoạt động công đoàn", "max_score": 40},
            ],
        },
    )
    scores = [{"unit": u, "score": 95 - 3 * i} for i, u in enumerate(block_units)]
    await loader.post(f"{loader.reg}/covenants/khoi-thi-dua-1/2023:score", {"scores": scores})
    await loader.post(
        f"{loader.reg}/covenants/khoi-thi-dua-1/2023:acclaim",
        {"units": block_units[:1], "acclaimed_on": "2023-12-05"},
    )
    await loader.post(
        f"{loader.awards}/ratings",
        {"subject_kind": "unit", "subject_code": block_units[0], "year": 2023, "rating": "excellent"},
        retry=True,
    )
    await until_eligible(loader, "unit", block_units[0], "co-thi-dua-ldld", 2023)
    nomination = await loader.post(
        f"{loader.awards}/nominations",
        {
            "subject_kind": "unit",
            "subject_code": block_units[0],
            "award": "co-thi-dua-ldld",
            "year": 2023,
            "grounds": "Đơn vị dẫn đầu Khối thi đua số 1",
        },
        retry=True,
    )
    if not nomination.get("eligible", True):
        raise SystemExit(f"the block leader's nomination is not eligible: {nomination}")
    return str(nomination["id"])


async def until_eligible(loader: Loader, kind: str, code: str, award: str, year: int) -> None:
    """Awards learns of the acclaim from registration's events a moment after it is stored."""
    deadline = time.monotonic() + 120
    params: dict[str, str | int] = {
        "subject_kind": kind,
        "subject_code": code,
        "award": award,
        "year": year,
    }
    while True:
        r = await loader.http.get(f"{loader.awards}/eligibility", params=params, headers=loader.staff)
        if r.status_code == 200 and r.json().get("eligible"):
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"{kind} {code} is still not eligible for {award}: {r.text[:2000]}")
        await asyncio.sleep(0.5)


async def council(loader: Loader, code: str, nominations: list[str]) -> None:
    """The federation's emulation council meets, every member votes for every nomination."""
    await loader.post(
        f"{loader.awards}/councils",
        {
            "code": code,
            "name": "Hội đồng Thi đua – Khen thưởng LĐLĐ tỉnh",
            "year": 2023,
            "meets_on": "2023-12-15",
            "quorum": 7,
            "nominations": nominations,
            "members": [{"user": user, "name": f"Ủy viên {user}"} for user in COUNCIL],
        },
    )
    for user in COUNCIL:
        member = loader.mint(loader.federation, ["council"], user)
        for nomination in nominations:
            await loader.post(
                f"{loader.awards}/councils/{code}/votes",
                {"nomination": nomination, "choice": "yes"},
                member,
            )
    await loader.post(f"{loader.awards}/councils/{code}:resolve", {})
