"""One cursor style across services: awards' lists take `cursor` and answer `next_cursor`, as
registration's do; `after` and `next_after` still work for one deprecation period."""

from __future__ import annotations

import base64
import json

from tests.integration.awards_http import ADMIN, URL, awards, ok, sheet
from tests.support import Isolation, bearer, eventually

TWO = [
    ["member", "dv-1", "bang-khen-ldld", 2024, "12/QĐ-LĐLĐ", "2024-12-20", "ldld"],
    ["member", "dv-2", "bang-khen-ldld", 2024, "12/QĐ-LĐLĐ", "2024-12-20", "ldld"],
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_grants_page_by_cursor_and_by_the_deprecated_after_alike(isolation: Isolation) -> None:
    """Given two grants, when their list is read one a page, then the first page's `next_cursor`
    leads to the second as its `next_after` does, the last page's cursors are null, and a page
    holds both keys."""
    async with awards(isolation) as http:
        await ok(
            await http.post(
                f"{URL}/grants:import", content=sheet(TWO), headers={**ADMIN, "content-type": XLSX}
            )
        )

        async def first_page() -> dict:
            page = await ok(await http.get(f"{URL}/grants?year=2024&limit=1", headers=ADMIN), 200)
            assert len(page["items"]) == 1 and page["next_cursor"], page
            return page  # type: ignore[no-any-return]

        first = await eventually(first_page)
        assert set(first) == {"items", "next_cursor", "next_after"}
        by_cursor = await ok(
            await http.get(
                f"{URL}/grants",
                params={"year": 2024, "limit": 1, "cursor": first["next_cursor"]},
                headers=ADMIN,
            ),
            200,
        )
        by_after = await ok(
            await http.get(f"{URL}/grants?year=2024&limit=1&after={first['next_after']}", headers=ADMIN), 200
        )
        assert by_cursor == by_after and by_cursor["items"] != first["items"]
        last = await ok(
            await http.get(
                f"{URL}/grants", params={"year": 2024, "cursor": by_cursor["next_cursor"]}, headers=ADMIN
            ),
            200,
        )
        assert last == {"items": [], "next_cursor": None, "next_after": None}


async def test_every_awards_list_answers_next_cursor(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        for path in ("/grants", "/decisions", "/councils", "/nominations"):
            page = await ok(await http.get(f"{URL}{path}", headers=ADMIN), 200)
            assert "next_cursor" in page, (path, page)
        national = await ok(await http.get("/v1/nominations/forwarded", headers=bearer("*", ["admin"])), 200)
        assert "next_cursor" in national


async def test_a_cursor_the_list_never_handed_out_is_refused_naming_cursor(isolation: Isolation) -> None:
    """A sorted nominations cursor is not a grants cursor, nor is text that is no cursor at all:
    422 naming `cursor`, never a 500."""
    sorted_cursor = base64.urlsafe_b64encode(json.dumps(["subject", "An", 3]).encode()).decode()
    async with awards(isolation) as http:
        for cursor in (
            sorted_cursor,
            "not-a-cursor",
            base64.urlsafe_b64encode(b'["submitted", 1, 99999999999999999999]').decode(),
        ):
            r = await http.get(f"{URL}/grants", params={"cursor": cursor}, headers=ADMIN)
            assert r.status_code == 422, (cursor, r.text)
            assert [e["field"] for e in r.json()["errors"]] == ["cursor"], r.text


async def test_the_openapi_document_names_cursor_and_marks_after_deprecated(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        document = await ok(await http.get("/openapi.json"), 200)
    for path in ("/grants", "/decisions", "/councils", "/nominations"):
        parameters = {
            p["name"]: p
            for p in document["paths"][f"/v1/federations/{{federation}}{path}"]["get"]["parameters"]
        }
        assert "cursor" in parameters and parameters["after"].get("deprecated") is True, path
