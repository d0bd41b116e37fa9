"""Loads the demo year through the public APIs, as federation staff and clerks would."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from scripts import demo_data as data
from tests.support import bearer

NATIONAL = bearer("*", ["admin"], sub="tld.admin")
STAFF = bearer("bac-kan", ["admin", "approver"], sub="bac-kan.van-phong")
COUNCIL = [f"hd-{i}" for i in range(1, 10)]


class Loader:
    def __init__(self, http: httpx.AsyncClient, urls: dict[str, str], federation: str) -> None:
        self.http = http
        self.reg = f"{urls['registration']}/v1/federations/{federation}"
        self.awards = f"{urls['awards']}/v1/federations/{federation}"
        self.urls = urls
        self.federation = federation

    async def post(
        self, url: str, body: Any, headers: dict[str, str] = STAFF, retry: bool = False, **params: Any
    ) -> Any:
        """POST and expect success; with `retry`, wait for another service to have caught up."""
        deadline = time.monotonic() + 120
        while True:
            r = await self.http.post(url, json=body, headers=headers, params=params)
            if r.status_code < 300:
                return r.json()
            if not retry or r.status_code not in (404, 422) or time.monotonic() > deadline:
                raise SystemExit(f"POST {url} -> {r.status_code}: {r.text[:2000]}")
            await asyncio.sleep(0.5)

    async def many(self, url: str, bodies: list[dict[str, Any]], width: int = 16) -> None:
        for start in range(0, len(bodies), width):
            await asyncio.gather(*(self.post(url, b) for b in bodies[start : start + width]))

    async def load(self, tree: data.Tree) -> None:
        await self.post(
            f"{self.urls['registration']}/v1/federations",
            {"code": self.federation, "name": "LĐLĐ tỉnh Bắc Kạn"},
            NATIONAL,
        )
        await self.many(
            f"{self.reg}/units", [{"code": c, "name": n, "kind": "upper"} for c, n in tree.uppers]
        )
        await self.many(
            f"{self.reg}/units",
            [{"code": c, "name": n, "kind": "grassroots", "parent": p} for c, n, p in tree.grassroots],
        )
        await self.many(
            f"{self.reg}/units",
            [{"code": c, "name": n, "kind": "collective", "parent": p} for c, n, p in tree.collectives],
        )
        await self.many(
            f"{self.reg}/members", [{"code": c, "full_name": n, "unit": u} for c, n, u in tree.members]
        )
        await self.post(
            f"{self.reg}/movements",
            {
                "code": "td-2023",
                "name": "Phong trào thi đua năm 2023",
                "year": 2023,
                "kind": "annual",
                "theme": "Thi đua lao động giỏi, lao động sáng tạo",
                "phases": [
                    {"name": "Đợt 1", "starts": "2023-01-31", "ends": "2023-05-31"},
                    {"name": "Đợt 2", "starts": "2023-06-01", "ends": "2023-12-31"},
                ],
                "awards": ["co-thi-dua-tld", "bang-khen-tld", "co-thi-dua-ldld", "bang-khen-ldld"],
                "registration_deadline": "2023-03-31",
            },
        )
        pledgers = await self.pledge(tree)
        await self.activities(tree)
        await self.grant(pledgers)

    async def pledge(self, tree: data.Tree) -> dict[tuple[str, str], list[str]]:
        """The seed's pledges, as one Excel-like list per award through pledges:batch."""
        pools = {"unit": [c for c, _, _ in tree.collectives], "member": [c for c, _, _ in tree.members]}
        flags = [c for c, _, _ in tree.grassroots]
        used: dict[str, int] = {"unit": 0, "member": 0}
        chosen: dict[tuple[str, str], list[str]] = {}
        rows = []
        for award, kind, count in data.PLEDGES:
            if award.startswith("co-thi-dua"):
                codes, flags = flags[:count], flags[count:]
            else:
                codes = pools[kind][used[kind] : used[kind] + count]
                used[kind] += count
            chosen[(award, kind)] = codes
            rows += [
                {
                    "movement": "td-2023",
                    "award": award,
                    "subject_kind": kind,
                    "subject_code": code,
                    "pledged_on": "2023-02-15",
                }
                for code in codes
            ]
        result = await self.post(f"{self.reg}/pledges:batch", rows, mode="all-or-nothing")
        assert result["accepted"] == len(rows), result
        return chosen

    async def activities(self, tree: data.Tree) -> None:
        """Works, initiatives and the initiatives target: filled in below once their APIs exist."""

    async def grant(self, pledgers: dict[tuple[str, str], list[str]]) -> None:
        def lines(award: str, kind: str, n: int, skip: int = 0) -> list[dict[str, Any]]:
            return [
                {"subject_kind": kind, "subject_code": c, "award": award}
                for c in pledgers[(award, kind)][skip : skip + n]
            ]

        # the national union's thematic Bằng khen and the provincial People's Committee's, recorded
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
            for line in lines("bang-khen-tld", "unit", 1) + lines("bang-khen-tld", "member", 1)
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
            }
            for line in ubnd
        ]
        await self.post(f"{self.awards}/grants:import", {"grants": imports}, retry=True)
        # the federation's Bằng khen at the end of the 2022–2023 school year
        await self.post(
            f"{self.awards}/decisions",
            {
                "number": "215/QĐ-LĐLĐ",
                "signed_on": "2023-08-10",
                "signer": "Hoàng Thị Thu",
                "year": 2023,
                "title": "Khen thưởng tổng kết năm học 2022–2023",
                "grants": lines("bang-khen-ldld", "unit", 17) + lines("bang-khen-ldld", "member", 27),
            },
            retry=True,
        )
        # nominated upward for the national union's Bằng khen: 3 collectives and 5 individuals,
        # passed by the federation's council, then forwarded
        upward = []
        for line in lines("bang-khen-tld", "unit", 3, skip=1) + lines("bang-khen-tld", "member", 5, skip=1):
            nomination = await self.post(
                f"{self.awards}/nominations",
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
        await self.council("hd-2023", upward)
        for nomination in upward:
            await self.post(f"{self.awards}/nominations/{nomination}:forward", {"to": "national"})

    async def council(self, code: str, nominations: list[str]) -> None:
        """The federation's emulation council meets, every member votes for every nomination."""
        await self.post(
            f"{self.awards}/councils",
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
            member = bearer("bac-kan", ["council"], sub=user)
            for nomination in nominations:
                await self.post(
                    f"{self.awards}/councils/{code}/votes",
                    {"nomination": nomination, "choice": "yes"},
                    member,
                )
        await self.post(f"{self.awards}/councils/{code}:resolve", {})
