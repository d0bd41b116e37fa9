"""Awards' list of the nominations forwarded upward from every federation (national staff's
inbox, `GET /v1/nominations/forwarded`), each test one behaviour: a forwarded nomination is
listed with its federation, one not forwarded is not, and only a national token may ask."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.awards_http import ADMIN, COUNCIL_MEMBERS, URL, awards, ok
from tests.support import Isolation, bearer, eventually

NATIONAL = bearer("*", ["reader"])
FORWARDED = "/v1/nominations/forwarded"


async def council_passes(http: httpx.AsyncClient, subjects: list[str]) -> list[dict[str, Any]]:
    """Given the members nominated for the national union's Bằng khen, passed by the council."""
    nominations = [
        await ok(
            await http.post(
                f"{URL}/nominations",
                json={"subject_kind": "member", "subject_code": s, "award": "bang-khen-tld", "year": 2025},
                headers=ADMIN,
            )
        )
        for s in subjects
    ]
    council = {
        "code": "hd-2025",
        "name": "Hội đồng TĐKT 2025",
        "year": 2025,
        "meets_on": "2025-12-05",
        "quorum": 2,
        "members": COUNCIL_MEMBERS[1:],
        "nominations": [n["id"] for n in nominations],
    }
    await ok(await http.post(f"{URL}/councils", json=council, headers=ADMIN))
    for user in ("u0", "u1"):
        for n in nominations:
            ballot = {"nomination": n["id"], "choice": "yes"}
            await ok(
                await http.post(
                    f"{URL}/councils/hd-2025/votes",
                    json=ballot,
                    headers=bearer("bac-kan", ["council"], sub=user),
                )
            )
    await ok(await http.post(f"{URL}/councils/hd-2025:resolve", headers=ADMIN), 200)
    return nominations


async def test_a_forwarded_nomination_is_listed_for_national_staff_with_its_federation(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        forwarded, kept = await council_passes(http, ["dv-1", "dv-2"])
        await ok(
            await http.post(
                f"{URL}/nominations/{forwarded['id']}:forward", json={"to": "national"}, headers=ADMIN
            ),
            200,
        )

        async def listed() -> dict[str, Any]:
            page = await ok(await http.get(FORWARDED, params={"year": 2025}, headers=NATIONAL), 200)
            assert [n["nomination"] for n in page["items"]] == [forwarded["id"]]
            return page  # type: ignore[no-any-return]

        page = await eventually(listed)
    item = page["items"][0]
    assert (item["federation"], item["subject_code"], item["award"]) == ("bac-kan", "dv-1", "bang-khen-tld")
    assert item["forwarded_to"] == "national" and item["passed"] is True and kept["id"] != item["nomination"]


async def test_the_forwarded_list_filters_by_level_and_year(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        (forwarded,) = await council_passes(http, ["dv-1"])
        await ok(
            await http.post(
                f"{URL}/nominations/{forwarded['id']}:forward", json={"to": "national"}, headers=ADMIN
            ),
            200,
        )

        async def listed() -> None:
            page = await ok(await http.get(FORWARDED, headers=NATIONAL), 200)
            assert len(page["items"]) == 1

        await eventually(listed)
        to_state = await ok(await http.get(FORWARDED, params={"to": "state"}, headers=NATIONAL), 200)
        other_year = await ok(await http.get(FORWARDED, params={"year": 2024}, headers=NATIONAL), 200)
    assert to_state["items"] == [] and other_year["items"] == []


async def test_a_federation_token_cannot_ask_for_every_federations_nominations(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        federation = await http.get(FORWARDED, headers=ADMIN)
        unit = await http.get(FORWARDED, headers=bearer("bac-kan/tp/cdcs-a", ["clerk"]))
    assert federation.status_code == 403 and unit.status_code == 403


async def test_the_openapi_document_names_the_forwarded_list(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        document = await ok(await http.get("/openapi.json"), 200)
    assert "get" in document["paths"][FORWARDED]
