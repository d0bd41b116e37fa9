"""The nominations list sorted by awards itself (`sort=`) and paged by `cursor` in that order,
so the console no longer reads the whole year to sort it; over HTTP on real PostgreSQL."""

from __future__ import annotations

import httpx

from tests.integration.awards_http import ADMIN, URL, awards, ok
from tests.support import Isolation, eventually

NOMINEES = (("member", "dv-1", "ldtt"), ("member", "dv-2", "ldtt"), ("unit", "cdcs-a", "ttldtt"))
# Nguyễn Văn An, Lê Thị Hoa, CĐCS A: in Vietnamese order CĐCS A, Lê Thị Hoa, Nguyễn Văn An
BY_NAME = ["CĐCS A", "Lê Thị Hoa", "Nguyễn Văn An"]


async def nominate_three(http: httpx.AsyncClient) -> None:
    for kind, code, award in NOMINEES:
        body = {"subject_kind": kind, "subject_code": code, "award": award, "year": 2025}
        await ok(await http.post(f"{URL}/nominations", json=body, headers=ADMIN))


async def names_page_by_page(http: httpx.AsyncClient, sort: str) -> list[str]:
    """The subjects' names of every page of one nomination each, following `next_cursor`."""
    names: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"year": 2025, "sort": sort, "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = await ok(await http.get(f"{URL}/nominations", params=params, headers=ADMIN), 200)
        names += [n["subject_name"] for n in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    return names


async def test_sorted_by_subject_the_pages_follow_vietnamese_order(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # Given three nominations submitted in another order than their names'
        await nominate_three(http)

        # When the list is asked for sorted by subject, one nomination a page
        async def sorted_pages() -> None:
            # Then the pages, followed by their cursors, hold them in Vietnamese order
            assert await names_page_by_page(http, "subject") == BY_NAME

        await eventually(sorted_pages)


async def test_sorted_descending_the_pages_come_in_reverse(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # Given three nominations
        await nominate_three(http)

        # When the list is asked for sorted by subject, descending
        async def reversed_pages() -> None:
            # Then the pages hold them in reverse Vietnamese order
            assert await names_page_by_page(http, "-subject") == BY_NAME[::-1]

        await eventually(reversed_pages)


async def test_a_cursor_of_another_order_is_refused_naming_it(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # Given a cursor handed out for the list sorted by subject
        await nominate_three(http)

        async def cursor_of_subject_order() -> str:
            params = {"year": 2025, "sort": "subject", "limit": 1}
            page = await ok(await http.get(f"{URL}/nominations", params=params, headers=ADMIN), 200)
            assert page["next_cursor"]
            return str(page["next_cursor"])

        cursor = await eventually(cursor_of_subject_order)
        # When it is sent with another order
        params = {"year": 2025, "sort": "unit", "cursor": cursor}
        r = await http.get(f"{URL}/nominations", params=params, headers=ADMIN)
        # Then it is a 422 naming `cursor`
        assert r.status_code == 422, r.text
        assert "cursor" in r.text
