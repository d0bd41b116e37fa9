"""The console reads a whole list the way every service pages it: `cursor` in, `next_cursor` out
(awards' `after`/`next_after` are deprecated; docs/contract-changelog.md, 2026-12-06)."""

from __future__ import annotations

import httpx

from services.console.adapters.services import ServiceClient
from tests.support import run_apart

PAGES = {None: (["a", "b"], "c1"), "c1": (["c"], "c2"), "c2": (["d"], None)}


async def every_item() -> tuple[list[str], list[dict[str, str]]]:
    asked: list[dict[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        asked.append(params)
        if len(asked) > len(PAGES) or params.get("cursor") not in PAGES:  # a reader going round
            return httpx.Response(500, json={})
        items, following = PAGES[params.get("cursor")]
        # next_after as awards still answers it (deprecated): it must not be what is followed
        return httpx.Response(200, json={"items": items, "next_cursor": following, "next_after": 7})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        client = ServiceClient("awards", "http://awards", http)
        items = await client.pages("/v1/federations/bac-kan/grants", "token", year=2024, limit=2)
    return items, asked


def test_every_page_is_read_by_following_next_cursor() -> None:
    items, asked = run_apart(every_item())
    assert items == ["a", "b", "c", "d"]
    assert [a.get("cursor") for a in asked] == [None, "c1", "c2"]
    assert all("after" not in a and a["year"] == "2024" for a in asked)
