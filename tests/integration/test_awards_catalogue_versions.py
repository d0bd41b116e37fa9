"""A versioned catalogue over HTTP on the real PostgreSQL: a federation's own award amended from
a date keeps its old name on what was granted before, a retired one is never nominated or
imported after its last day while its earlier grants stay listed, and an award above the
federation (a ministry's Bằng khen) is defined to import its grants."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.awards_http import ADMIN, URL, awards, ok
from tests.support import Isolation, eventually

OWN = {"code": "giay-khen-bk", "name": "Giấy khen của LĐLĐ tỉnh", "subjects": "both", "direct": True}
OWN |= {"effective_from": "2020-01-01"}
MINISTRY = {"code": "bang-khen-bo-gd", "name": "Bằng khen của Bộ Giáo dục và Đào tạo", "subjects": "both"}
MINISTRY |= {"level": "ministry", "authority": "bo-giao-duc-dao-tao"}


def line(award: str, year: int, decided: str, authority: str = "ldld") -> dict[str, Any]:
    who = {"subject_kind": "member", "subject_code": "dv-1", "award": award, "year": year}
    return who | {"decision_number": f"{year}/QĐ", "decision_date": decided, "authority": authority}


async def imported(http: httpx.AsyncClient, *lines: dict[str, Any]) -> httpx.Response:
    return await http.post(f"{URL}/grants:import", json={"grants": list(lines)}, headers=ADMIN)


async def names(http: httpx.AsyncClient, *ids: str) -> list[str]:
    """The award's name each grant carries, read back by its id."""
    return [(await ok(await http.get(f"{URL}/grants/{i}", headers=ADMIN), 200))["award_name"] for i in ids]


async def listed(http: httpx.AsyncClient, count: int) -> list[dict[str, Any]]:
    async def all_listed() -> list[dict[str, Any]]:
        page = await ok(await http.get(f"{URL}/grants?subject_code=dv-1", headers=ADMIN), 200)
        assert len(page["items"]) == count
        return page["items"]  # type: ignore[no-any-return]

    return await eventually(all_listed)


async def test_an_award_amended_keeps_its_old_name_on_grants_made_before(isolation: Isolation) -> None:
    """Given an own award granted in 2024, when it is renamed from 2025, then the 2024 grant and
    the catalogue as of 2024 keep the old name, a 2025 grant and today's catalogue the new one."""
    async with awards(isolation) as http:
        await ok(await http.post(f"{URL}/catalogue", json=OWN, headers=ADMIN))
        before = (await ok(await imported(http, line("giay-khen-bk", 2024, "2024-12-20"))))["grants"]
        renamed = {"effective_from": "2025-01-01", "name": "Giấy khen của Ban Thường vụ LĐLĐ tỉnh"}
        amend = await http.post(f"{URL}/catalogue/giay-khen-bk:amend", json=renamed, headers=ADMIN)
        amended = await ok(amend, 200)
        later = (await ok(await imported(http, line("giay-khen-bk", 2025, "2025-12-20"))))["grants"]
        grants = await names(http, before[0]["id"], later[0]["id"])
        then = await ok(await http.get(f"{URL}/catalogue?on=2024-06-01", headers=ADMIN), 200)
        now = await ok(await http.get(f"{URL}/catalogue", headers=ADMIN), 200)
        feed = await ok(await http.get(f"{URL}/events", headers=ADMIN), 200)
    assert amended["name"] == renamed["name"] and amended["effective_from"] == "2020-01-01"
    assert grants == [OWN["name"], renamed["name"]]
    assert [a["name"] for a in then if a["code"] == "giay-khen-bk"] == [OWN["name"]]
    assert [a["name"] for a in now if a["code"] == "giay-khen-bk"] == [renamed["name"]]
    published = {e["type"]: e["data"] for e in feed["events"]}
    assert published["tdkt.awards.award-amended.v1"]["changes"] == {"name": renamed["name"]}


async def test_a_retired_award_is_not_nominated_after_its_last_day_but_its_grants_stay(
    isolation: Isolation,
) -> None:
    """Given an own award granted in 2024 and retired after 2025-06-30, then a nomination today, an
    import and a decision after that day are refused naming the award, the 2024 grant is still listed,
    and the catalogue as of 2025-07-01 no longer has it."""
    async with awards(isolation) as http:
        await ok(await http.post(f"{URL}/catalogue", json=OWN, headers=ADMIN))
        earlier = (await ok(await imported(http, line("giay-khen-bk", 2024, "2024-12-20"))))["grants"]
        retire = {"effective_until": "2025-06-30", "reason": "thay bằng Giấy khen mới"}
        retiring = await http.post(f"{URL}/catalogue/giay-khen-bk:retire", json=retire, headers=ADMIN)
        retired = await ok(retiring, 200)
        nomination = {"subject_kind": "member", "subject_code": "dv-1", "award": "giay-khen-bk", "year": 2025}
        refused = await http.post(f"{URL}/nominations", json=nomination, headers=ADMIN)
        late = await imported(http, line("giay-khen-bk", 2025, "2025-07-15"))
        decided = {"number": "9/QĐ", "signed_on": "2025-08-01", "signer": "Hà Văn Bình", "year": 2025}
        grants = [{"subject_kind": "member", "subject_code": "dv-1", "award": "giay-khen-bk"}]
        undecided = await http.post(f"{URL}/decisions", json=decided | {"grants": grants}, headers=ADMIN)
        again = await http.post(f"{URL}/catalogue/giay-khen-bk:retire", json=retire, headers=ADMIN)
        grants = await listed(http, 1)
        kept = await names(http, earlier[0]["id"])
        after = await ok(await http.get(f"{URL}/catalogue?on=2025-07-01", headers=ADMIN), 200)
    assert retired["effective_until"] == "2025-06-30"
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "award", refused.text
    assert "retired" in refused.json()["errors"][0]["message"]
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "award", late.text
    assert again.status_code == 409
    assert undecided.status_code == 422, undecided.text
    assert undecided.json()["errors"][0]["field"] == "grants.0.award"
    assert grants[0]["award"] == "giay-khen-bk" and kept == [OWN["name"]]
    assert "giay-khen-bk" not in {a["code"] for a in after}


async def test_a_federation_defines_a_ministry_award_and_imports_a_grant_of_it(isolation: Isolation) -> None:
    """Given a ministry's Bằng khen defined by the federation with who grants it, then a grant of
    it is imported and listed at the ministry level; without `authority` it is refused naming it."""
    async with awards(isolation) as http:
        nameless = await http.post(f"{URL}/catalogue", json={**MINISTRY, "authority": None}, headers=ADMIN)
        defined = await ok(await http.post(f"{URL}/catalogue", json=MINISTRY, headers=ADMIN))
        await ok(await imported(http, line("bang-khen-bo-gd", 2024, "2024-11-20", "bo-giao-duc-dao-tao")))
        grants = await listed(http, 1)
    assert nameless.status_code == 422 and nameless.json()["errors"][0]["field"] == "authority"
    assert defined["level"] == "ministry" and defined["authority"] == "bo-giao-duc-dao-tao"
    assert grants[0]["award"] == "bang-khen-bo-gd" and grants[0]["level"] == "ministry"


async def test_a_default_award_is_not_amended_and_an_unknown_one_is_not_found(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        default = await http.post(
            f"{URL}/catalogue/ldtt:amend", json={"effective_from": "2026-01-01", "name": "X"}, headers=ADMIN
        )
        until = {"effective_until": "2026-01-01"}
        unknown = await http.post(f"{URL}/catalogue/khong-co:retire", json=until, headers=ADMIN)
    assert default.status_code == 409 and default.json()["errors"][0]["field"] == "code"
    assert unknown.status_code == 404
