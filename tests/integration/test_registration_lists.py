"""Issue 18: bulk lists of units, members, initiatives (with their recognition and benefit value),
works and targets, as JSON or as the .xlsx template with Vietnamese headings and dd/mm/yyyy dates:
every bad row named by row, field and column; all-or-nothing or keep-good-rows; a keyed resend
has no second effect."""

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


def started(isolation: Isolation) -> Any:
    return runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))


async def workbook(http: httpx.AsyncClient, kind: str, rows: list[list[Any]]) -> bytes:
    template = await http.get(f"{BK}/{kind}:template", headers=NATIONAL)
    assert template.status_code == 200 and template.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)  # the template's example row
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def send(
    http: httpx.AsyncClient, kind: str, content: bytes, mode: str = "all-or-nothing", **h: str
) -> Any:
    return await http.post(
        f"{BK}/{kind}:batch?mode={mode}", content=content, headers={**NATIONAL, "content-type": XLSX, **h}
    )


async def test_given_a_tree_keyed_in_a_sheet_when_sent_then_units_and_members_come_from_two_lists(
    isolation: Isolation,
) -> None:
    """A unit under a unit of the same list; a bad row named by row, field and column, then
    nothing stored; keep-good-rows stores the rest; the same keyed list again changes nothing."""
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
        units = [[1, "tp-bac-kan", "LĐLĐ TP Bắc Kạn", "Công đoàn cấp trên cơ sở", None, "01/01/2015"]]
        units += [
            [i + 1, f"cdcs-{i:02}", f"CĐCS số {i}", "Công đoàn cơ sở", "tp-bac-kan", "01/01/2016"]
            for i in range(1, 21)
        ]
        units.append([22, "cdcs-sai", "CĐCS sai", "Khối thi đua", "tp-bac-kan", "31/02/2016"])
        content = await workbook(http, "units", units)
        head = await rt.eventlog.head()  # type: ignore[union-attr]
        refused = await send(http, "units", content)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert {(e["row"], e["field"], e["column"]) for e in refused.json()["errors"]} == {
            (23, "effective_on", "Ngày thành lập (dd/mm/yyyy)")
        }
        assert await rt.eventlog.head() == head  # type: ignore[union-attr]
        kept = await send(http, "units", content, "keep-good-rows", **{"Idempotency-Key": "units-1"})
        assert kept.status_code == 201, kept.text
        assert (kept.json()["accepted"], kept.json()["rejected"]) == (21, 1)
        head = await rt.eventlog.head()  # type: ignore[union-attr]
        again = await send(http, "units", content, "keep-good-rows", **{"Idempotency-Key": "units-1"})
        assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
        assert again.json() == kept.json() and await rt.eventlog.head() == head  # type: ignore[union-attr]
        unit = await get(http, BK + "/units/cdcs-07")
        assert unit["kind"] == "grassroots" and unit["path"] == "tp-bac-kan/cdcs-07"

        members = [
            {"code": f"dv-{i:03}", "full_name": f"Nguyễn Văn {i}", "unit": f"cdcs-{i % 20 + 1:02}"}
            for i in range(1, 201)
        ]
        members.append({"code": "dv-001", "full_name": "Trùng mã", "unit": "cdcs-01"})
        members.append({"code": "dv-x", "full_name": "Không đơn vị", "unit": "cdcs-99"})
        r = await http.post(BK + "/members:batch", json=members, headers=NATIONAL)
        assert r.status_code == 422
        assert {(e["row"], e["field"]) for e in r.json()["errors"]} == {(201, "code"), (202, "unit")}
        r = await http.post(BK + "/members:batch?mode=keep-good-rows", json=members, headers=NATIONAL)
        assert r.status_code == 201 and r.json()["accepted"] == 200
        member = await get(http, BK + "/members/dv-150")
        assert member["full_name"] == "Nguyễn Văn 150" and member["unit"] == "cdcs-11"


async def test_given_units_when_initiatives_works_and_targets_come_as_lists_then_each_is_stored(
    isolation: Isolation,
) -> None:
    """Initiatives with their recognition and benefit value from the .xlsx, works and targets as
    JSON; a recognition by a council outside the initiative's branch is named by its column."""
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
        tree = [
            {"code": "tp", "name": "LĐLĐ TP", "kind": "upper", "effective_on": "2015-01-01"},
            {
                "code": "cdcs-a",
                "name": "CĐCS A",
                "kind": "grassroots",
                "parent": "tp",
                "effective_on": "2016-01-01",
            },
            {
                "code": "cdcs-b",
                "name": "CĐCS B",
                "kind": "grassroots",
                "parent": "tp",
                "effective_on": "2016-01-01",
            },
        ]
        assert (await http.post(BK + "/units:batch", json=tree, headers=NATIONAL)).status_code == 201
        people = [{"code": "dv-1", "full_name": "Lê Thị Hoa", "unit": "cdcs-a"}]
        assert (await http.post(BK + "/members:batch", json=people, headers=NATIONAL)).status_code == 201
        rows = [
            [
                1,
                "sk-1",
                "Phần mềm hồ sơ",
                "CNTT",
                150000000,
                "Cá nhân",
                "dv-1",
                2023,
                "01/03/2023",
                "20/11/2023",
                "tp",
                120000000,
            ],
            [2, "sk-2", "Cải tiến máy", "Cơ khí", 0, "Tập thể", "cdcs-b", 2023, "02/03/2023"],
            [
                3,
                "sk-3",
                "Sai hội đồng",
                "Cơ khí",
                0,
                "Tập thể",
                "cdcs-b",
                2023,
                "02/03/2023",
                "20/11/2023",
                "cdcs-a",
            ],
        ]
        content = await workbook(http, "initiatives", rows)
        r = await send(http, "initiatives", content)
        assert r.status_code == 422
        assert [(e["row"], e["field"], e["column"]) for e in r.json()["errors"]] == [
            (4, "council_of", "Hội đồng công nhận (mã đơn vị)")
        ]
        r = await send(http, "initiatives", content, "keep-good-rows")
        assert r.status_code == 201 and r.json()["accepted"] == 2, r.text
        recognised = await get(http, BK + "/initiatives/sk-1")
        assert recognised["author_code"] == "dv-1" and recognised["unit"] == "cdcs-a"
        assert recognised["state"] == "recognised" and recognised["benefit_value"] == 120000000
        assert recognised["decided_on"] == "2023-11-20"
        assert (await get(http, BK + "/initiatives/sk-2"))["state"] == "registered"

        work = {
            "name": "Nhà văn hoá",
            "unit": "cdcs-a",
            "value": 1200000000,
            "occasion": "Đại hội XII",
            "year": 2023,
            "registered_on": "2023-03-01",
        }
        works = [{"code": f"ct-{i}", **work} for i in range(1, 4)]
        assert (await http.post(BK + "/works:batch", json=works, headers=NATIONAL)).status_code == 201
        assert (await get(http, BK + "/works/ct-3"))["value"] == 1200000000

        targets = [
            {"unit": u, "programme": "initiatives", "year": 2023, "target": 12, "assigned_by": "tp"}
            for u in ("cdcs-a", "cdcs-b")
        ]
        targets.append(targets[0])
        r = await http.post(BK + "/targets:batch", json=targets, headers=NATIONAL)
        assert r.status_code == 422 and [(e["row"], e["field"]) for e in r.json()["errors"]] == [(3, "unit")]
        r = await http.post(BK + "/targets:batch", json=targets[:2], headers=NATIONAL)
        assert r.status_code == 201, r.text
        assert (await get(http, BK + "/targets/cdcs-b/initiatives/2023"))["target"] == 12
