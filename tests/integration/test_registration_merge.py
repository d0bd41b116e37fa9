"""The tree over HTTP: lists as of a date, cursor paging, search without diacritics, and the
2025 merge of Bắc Kạn into Thái Nguyên."""

from __future__ import annotations

from typing import Any

import httpx

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.support import Isolation, bearer, in_process

NATIONAL = bearer("*")
THAI_NGUYEN = bearer("thai-nguyen", ["admin"])
CAO_BANG = bearer("cao-bang", ["admin"])
BK = "/v1/federations/bac-kan"
TN = "/v1/federations/thai-nguyen"


async def post(
    http: httpx.AsyncClient, path: str, body: dict, headers: dict = NATIONAL, status: int = 201
) -> Any:
    r = await http.post(path, json=body, headers=headers)
    assert r.status_code == status, r.text
    return r.json()


async def get(http: httpx.AsyncClient, path: str, headers: dict = NATIONAL, **params: Any) -> Any:
    r = await http.get(path, params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def codes(http: httpx.AsyncClient, path: str, headers: dict = NATIONAL, **params: Any) -> list[str]:
    return [u["code"] for u in (await get(http, path, headers, **params))["items"]]


async def seed(http: httpx.AsyncClient) -> str:
    for code in ("bac-kan", "thai-nguyen", "cao-bang"):
        await post(http, "/v1/federations", {"code": code, "name": code})
    for code, kind, parent in (
        ("tp-bac-kan", "upper", None),
        ("cdcs-a", "grassroots", "tp-bac-kan"),
        ("cdcs-b", "grassroots", "tp-bac-kan"),
    ):
        await post(
            http,
            BK + "/units",
            {"code": code, "name": code, "kind": kind, "parent": parent, "effective_on": "2020-01-01"},
        )
    await post(
        http,
        TN + "/units",
        {"code": "tp-thai-nguyen", "name": "TP Thái Nguyên", "kind": "upper", "effective_on": "2020-01-01"},
    )
    await post(http, BK + "/members", {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a"})
    await post(http, BK + "/members", {"code": "dv-2", "full_name": "Nguyễn Văn Anh", "unit": "cdcs-b"})
    await post(
        http,
        BK + "/movements",
        {
            "code": "td-2023",
            "name": "TĐ 2023",
            "year": 2023,
            "awards": ["bang-khen-ldld"],
            "registration_deadline": "2023-03-31",
        },
    )
    pledge = await post(
        http,
        BK + "/pledges",
        {
            "movement": "td-2023",
            "award": "bang-khen-ldld",
            "subject_kind": "member",
            "subject_code": "dv-1",
            "pledged_on": "2023-02-01",
        },
    )
    return str(pledge["id"])


async def merged(http: Any) -> str:
    """Given Bắc Kạn's tree with a pledge (its id), merged into Thái Nguyên on 2025-07-01."""
    pledge_id = await seed(http)
    merge = {"into": "thai-nguyen", "effective_on": "2025-07-01"}
    done = await post(http, BK + ":merge", merge, status=200)
    assert done["units"] == ["tp-bac-kan"] and done["merged_into"] == "thai-nguyen"
    return pledge_id


async def test_given_two_federations_when_the_receiving_ones_staff_ask_for_the_merge_then_it_is_not_found(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(http)
        merge = {"into": "thai-nguyen", "effective_on": "2025-07-01"}
        assert (await http.post(BK + ":merge", json=merge, headers=THAI_NGUYEN)).status_code == 404


async def test_when_bac_kan_merges_into_thai_nguyen_then_its_units_move_that_day_and_2023_is_unchanged(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await merged(http)
        assert await codes(http, TN + "/units", THAI_NGUYEN, as_of="2025-07-01") == [
            "cdcs-a",
            "cdcs-b",
            "tp-bac-kan",
            "tp-thai-nguyen",
        ]
        assert await codes(http, TN + "/units", THAI_NGUYEN, as_of="2023-12-31") == ["tp-thai-nguyen"]
        then = await get(http, BK + "/units", as_of="2023-12-31")
        assert [(u["code"], u["path"]) for u in then["items"]] == [
            ("cdcs-a", "tp-bac-kan/cdcs-a"),
            ("cdcs-b", "tp-bac-kan/cdcs-b"),
            ("tp-bac-kan", "tp-bac-kan"),
        ]
        assert await codes(http, BK + "/units", as_of="2025-07-01") == []


async def test_when_merged_then_thai_nguyens_staff_reach_the_merged_records_and_others_do_not(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        pledge_id = await merged(http)
        # Thái Nguyên's staff reach the merged units, members and pledges, and act on them.
        unit = await get(http, TN + "/units/cdcs-a", THAI_NGUYEN)
        assert unit["federation"] == "thai-nguyen" and unit["path"] == "tp-bac-kan/cdcs-a"
        pledges = await get(http, TN + "/pledges", THAI_NGUYEN)
        assert [p["id"] for p in pledges["items"]] == [pledge_id]
        accepted = await post(http, f"{TN}/pledges/{pledge_id}:accept", {}, THAI_NGUYEN, status=200)
        assert accepted["state"] == "accepted"
        found = await get(http, TN + "/members", THAI_NGUYEN, q="Nguyen Van An")
        assert [m["code"] for m in found["items"]] == ["dv-1"]
        for path in (TN + "/pledges", f"{TN}/pledges/{pledge_id}", TN + "/units/cdcs-a"):
            assert (await http.get(path, headers=CAO_BANG)).status_code == 404


async def test_when_merged_then_the_feed_has_the_unit_moved_and_the_federation_merged(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await merged(http)
        feed = await get(http, BK + "/events", limit=1000)
        moved = [e["data"] for e in feed["events"] if e["type"] == "tdkt.registration.unit-moved.v1"]
        assert moved == [
            {
                "federation": "bac-kan",
                "code": "tp-bac-kan",
                "name": "tp-bac-kan",
                "kind": "upper",
                "from_parent": None,
                "to_parent": None,
                "previous_ancestry": ["tp-bac-kan"],
                "ancestry": ["tp-bac-kan"],
                "to_federation": "thai-nguyen",
                "effective_on": "2025-07-01",
            }
        ]
        done = [e["data"] for e in feed["events"] if e["type"] == "tdkt.registration.federation-merged.v1"]
        assert done == [
            {
                "federation": "bac-kan",
                "into": "thai-nguyen",
                "effective_on": "2025-07-01",
                "units": ["tp-bac-kan"],
            }
        ]


async def test_a_merge_with_clashing_codes_stores_nothing(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(http)
        await post(
            http,
            TN + "/units",
            {"code": "cdcs-a", "name": "Another A", "kind": "grassroots", "parent": "tp-thai-nguyen"},
        )
        head = await rt.eventlog.head()  # type: ignore[union-attr]
        r = await http.post(
            BK + ":merge", json={"into": "thai-nguyen", "effective_on": "2025-07-01"}, headers=NATIONAL
        )
        assert r.status_code == 409 and "cdcs-a" in r.json()["detail"]
        assert await rt.eventlog.head() == head  # type: ignore[union-attr]


async def test_moves_transfers_and_departures_read_as_of_any_date(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(http)
        await post(
            http,
            BK + "/units",
            {"code": "h-na-ri", "name": "Na Rì", "kind": "upper", "effective_on": "2020-01-01"},
        )
        await post(
            http,
            BK + "/units/cdcs-b:move",
            {"to_parent": "h-na-ri", "effective_on": "2024-01-01"},
            status=200,
        )
        await post(
            http, BK + "/members/dv-1:transfer", {"unit": "cdcs-b", "effective_on": "2024-06-01"}, status=200
        )
        await post(http, BK + "/members/dv-2:leave", {"effective_on": "2024-09-01"}, status=200)
        await post(http, BK + "/units/cdcs-a:dissolve", {"effective_on": "2024-12-31"}, status=200)

        async def members(on: str) -> list[tuple[str, str]]:
            page = await get(http, BK + "/members", as_of=on)
            return [(m["code"], m["unit_path"]) for m in page["items"]]

        assert await members("2023-12-31") == [("dv-1", "tp-bac-kan/cdcs-a"), ("dv-2", "tp-bac-kan/cdcs-b")]
        assert await members("2024-07-01") == [("dv-1", "h-na-ri/cdcs-b"), ("dv-2", "h-na-ri/cdcs-b")]
        assert await members("2025-01-01") == [("dv-1", "h-na-ri/cdcs-b")]
        assert await codes(http, BK + "/units", as_of="2025-01-01") == ["cdcs-b", "h-na-ri", "tp-bac-kan"]
        assert await codes(http, BK + "/units", parent="h-na-ri", as_of="2025-01-01") == ["cdcs-b"]

        bad = await http.post(
            BK + "/units/cdcs-b:move",
            json={"to_parent": "nowhere", "effective_on": "2025-01-01"},
            headers=NATIONAL,
        )
        assert bad.status_code == 404 and bad.json()["errors"][0]["field"] == "to_parent"


async def test_lists_page_by_cursor_and_search_ignores_diacritics(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(http)
        for i in range(5):
            await post(
                http,
                BK + "/members",
                {"code": f"dv-x{i}", "full_name": f"Trần Thị Hoà {i}", "unit": "cdcs-a"},
            )
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = await get(http, BK + "/members", **params)
            seen += [m["code"] for m in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == sorted(seen) and len(seen) == 7
        assert len(await codes(http, BK + "/members", q="tran thi hoa")) == 5
        assert await codes(http, BK + "/members", q="NGUYEN VAN AN") == ["dv-1"]
        assert await codes(http, BK + "/members", q="Nguyễn Văn Anh") == ["dv-2"]
        bad = await http.get(BK + "/members", params={"cursor": "not-a-cursor"}, headers=NATIONAL)
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


async def test_a_unit_scoped_clerk_lists_only_its_subtree(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(http)
        clerk = bearer("bac-kan/tp-bac-kan/cdcs-b", ["clerk"])
        assert await codes(http, BK + "/units", clerk) == ["cdcs-b"]
        assert await codes(http, BK + "/members", clerk) == ["dv-2"]
        assert await codes(http, BK + "/members", clerk, q="Nguyen Van An") == []
        assert (await get(http, BK + "/pledges", clerk))["items"] == []
        assert (await http.get(BK + "/members/dv-1", headers=clerk)).status_code == 404
        assert (await http.get(BK + "/units/cdcs-a", headers=clerk)).status_code == 404
        assert (await http.get(BK + "/members/dv-2", headers=clerk)).status_code == 200


async def test_the_read_model_equals_a_rebuild_from_the_log(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(http)
        await post(
            http, BK + "/units/cdcs-b:merge", {"into": "cdcs-a", "effective_on": "2024-01-01"}, status=200
        )
        await post(http, BK + "/members/dv-1:leave", {"effective_on": "2024-06-01"}, status=200)
        await post(http, BK + ":merge", {"into": "thai-nguyen", "effective_on": "2025-07-01"}, status=200)
        readmodel = rt.parts.readmodel
        await readmodel.catch_up()
        tables = ("rm_federations", "rm_units", "rm_members", "rm_pledges")

        async def snapshot() -> dict[str, list[tuple]]:
            out = {}
            for table in tables:
                rows = await rt.db.fetch(f"SELECT * FROM registration.{table}")
                out[table] = sorted(
                    tuple(v for k, v in r.items() if k != "id" or table == "rm_pledges") for r in rows
                )
            return out

        live = await snapshot()
        assert await readmodel.rebuild() == await rt.eventlog.head()  # type: ignore[union-attr]
        assert await snapshot() == live
        assert await codes(http, TN + "/members", THAI_NGUYEN, as_of="2025-07-01") == ["dv-2"]
