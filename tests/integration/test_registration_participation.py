"""Issue 18: a participation pledge — to take part in a movement without a specific award (seed
001: "3,500 workers registered to take part"): a pledge whose `award` is omitted or null, one per
subject and movement, accepted by a campaign that opens no awards, one by one (the fast lane
too), in a JSON list or an .xlsx list whose award cell is empty (awards ignores it:
test_awards_participation.py)."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import load_workbook

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.support import Isolation, in_process

BK = "/v1/federations/bac-kan"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CAMPAIGN = {"code": "vi-nguoi-ngheo", "name": "Vì người nghèo 2023", "year": 2023, "kind": "thematic"}
TAKE_PART = {"movement": "vi-nguoi-ngheo", "subject_kind": "member", "pledged_on": "2023-05-01"}


def started(isolation: Isolation) -> Any:
    return runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))


async def seed(http: httpx.AsyncClient) -> None:
    """Given a campaign with no awards and members dv-1..dv-4 of cdcs-a."""
    await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
    unit = {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots", "effective_on": "2020-01-01"}
    await post(http, BK + "/units", unit)
    for i in range(1, 5):
        await post(http, BK + "/members", {"code": f"dv-{i}", "full_name": f"Người {i}", "unit": "cdcs-a"})
    await post(http, BK + "/movements", CAMPAIGN | {"registration_deadline": "2023-12-31"})


async def test_a_participation_pledge_for_a_campaign_is_stored_and_a_second_one_is_a_conflict(
    isolation: Isolation,
) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When dv-1 pledges to take part (no award), through the fast lane and the route alike
        done = await post(http, BK + "/pledges", TAKE_PART | {"subject_code": "dv-1"})
        also = await post(http, BK + "/pledges", TAKE_PART | {"subject_code": "dv-2", "award": None})
        # Then it is stored with no award, listed, and published as pledge-registered with award null
        assert (done["award"], done["state"], also["award"]) == (None, "submitted", None)
        listed = (await get(http, BK + "/pledges", movement="vi-nguoi-ngheo"))["items"]
        assert sorted((p["subject_code"], p["award"]) for p in listed) == [("dv-1", None), ("dv-2", None)]
        feed = (await get(http, BK + "/events", limit=1000))["events"]
        registered = [e["data"] for e in feed if e["type"] == "tdkt.registration.pledge-registered.v1"]
        assert [(d["subject_code"], d["award"]) for d in registered] == [("dv-1", None), ("dv-2", None)]
        # And the same subject's second participation pledge for the movement is a conflict
        again = await http.post(BK + "/pledges", json=TAKE_PART | {"subject_code": "dv-1"}, headers=NATIONAL)
        assert again.status_code == 409, again.text
        assert "to take part" in again.json()["detail"]


async def test_participation_pledges_come_in_a_json_list_and_an_xlsx_list_with_an_empty_award(
    isolation: Isolation,
) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When a JSON list holds dv-1's participation pledge, and an .xlsx list dv-2's and dv-3's
        r = await http.post(
            BK + "/pledges:batch", json=[TAKE_PART | {"subject_code": "dv-1"}], headers=NATIONAL
        )
        assert r.status_code == 201, r.text
        template = await http.get(BK + "/pledges:template", headers=NATIONAL)
        book = load_workbook(io.BytesIO(template.content))
        sheet = book.worksheets[0]
        sheet.delete_rows(2)
        for i, code in enumerate(("dv-2", "dv-3"), start=1):
            sheet.append([i, "vi-nguoi-ngheo", None, "Cá nhân", code, None, None, None, "01/05/2023"])
        out = io.BytesIO()
        book.save(out)
        r = await http.post(
            BK + "/pledges:batch", content=out.getvalue(), headers=NATIONAL | {"content-type": XLSX}
        )
        assert r.status_code == 201, r.text
        # Then all three are stored as participation pledges
        listed = (await get(http, BK + "/pledges", movement="vi-nguoi-ngheo"))["items"]
        assert sorted((p["subject_code"], p["award"]) for p in listed) == [
            ("dv-1", None),
            ("dv-2", None),
            ("dv-3", None),
        ]
