"""Loads the demo year through the public APIs, as federation staff and clerks would: the
federation, its units and members, the movement, pledges and activities here; its awards in
scripts/demo_awards.py."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from scripts import demo_awards
from scripts import demo_data as data

# (scope, roles, sub) -> the Authorization header: test tokens on the demo's own stack, tokens
# signed with the running product's development secret when loading into it.
Minter = Callable[[str, list[str], str], dict[str, str]]


def test_tokens(scope: str, roles: list[str], sub: str) -> dict[str, str]:
    from tests.support import bearer

    return bearer(scope, roles, sub=sub)


class Loader:
    def __init__(
        self,
        http: httpx.AsyncClient,
        urls: dict[str, str],
        federation: str,
        mint: Minter = test_tokens,
        idempotent: bool = False,
    ) -> None:
        self.http = http
        self.reg = f"{urls['registration']}/v1/federations/{federation}"
        self.awards = f"{urls['awards']}/v1/federations/{federation}"
        self.urls = urls
        self.federation = federation
        self.who: dict[str, str] = {}  # a token's header -> its scope and subject (stable across runs)

        def minted(scope: str, roles: list[str], sub: str) -> dict[str, str]:
            header = mint(scope, roles, sub)
            self.who[header["Authorization"]] = f"{scope} {sub}"
            return header

        self.mint = minted
        self.national = minted("*", ["admin"], "tld.admin")
        self.staff = minted(federation, ["admin", "approver"], f"{federation}.van-phong")
        # With `idempotent`, every POST carries an Idempotency-Key derived from what it sends, so
        # a load interrupted and started again replays what was stored and goes on from there.
        self.idempotent = idempotent

    async def post(
        self, url: str, body: Any, headers: dict[str, str] | None = None, retry: bool = False, **params: Any
    ) -> Any:
        """POST and expect success; with `retry`, wait for another service to have caught up."""
        headers = headers or self.staff
        if self.idempotent:
            who = self.who.get(headers["Authorization"], "")
            what = json.dumps([url, params, body, who], sort_keys=True, ensure_ascii=False)
            key = "demo-" + hashlib.sha256(what.encode()).hexdigest()[:40]
            headers = {**headers, "Idempotency-Key": key}
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
            self.national,
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
        await demo_awards.grant(self, pledgers)

    async def pledge(self, tree: data.Tree) -> demo_awards.Pledgers:
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
        """Works in honour of the provincial union congress, and the year's initiatives against
        the targets the federation gave its district and sector unions."""
        occasion = "Đại hội Công đoàn tỉnh Bắc Kạn lần thứ X"
        for i, (value, plaqued) in enumerate(data.WORKS):
            code = f"ct-2023-{i + 1}"
            await self.post(
                f"{self.reg}/works",
                {
                    "code": code,
                    "name": f"Công trình chào mừng số {i + 1}",
                    "unit": tree.uppers[i][0],
                    "value": value,
                    "occasion": occasion,
                    "year": 2023,
                    "registered_on": "2023-03-01",
                },
            )
            if plaqued:
                await self.post(f"{self.reg}/works/{code}:complete", {"on": "2023-09-15"})
                await self.post(f"{self.reg}/works/{code}:plaque", {"on": "2023-09-30"})
        share = data.INITIATIVE_TARGET // len(tree.uppers)
        await self.many(
            f"{self.reg}/targets",
            [
                {"unit": code, "programme": "initiatives", "year": 2023, "target": share}
                for code, _ in tree.uppers
            ],
        )
        authors = [code for code, _, _ in tree.members]
        await self.many(
            f"{self.reg}/initiatives",
            [
                {
                    "code": f"sk-2023-{i + 1:04d}",
                    "title": f"Sáng kiến cải tiến số {i + 1}",
                    "field": "quản lý",
                    "author_kind": "member",
                    "author_code": authors[i % len(authors)],
                    "year": 2023,
                    "registered_on": "2023-05-20",
                }
                for i in range(data.INITIATIVES)
            ],
            width=24,
        )
