"""Issue 18: a list of nominations at once (`nominations:batch`), as JSON or as the .xlsx template
with Vietnamese headings: each with its verdict, a refused row named by its sheet row, field and
column, all-or-nothing or keep-good-rows, and a keyed resend with no second effect."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.integration.awards_http import ADMIN, URL, XLSX, awards, ok, rated
from tests.support import Isolation


async def workbook(http: httpx.AsyncClient, rows: list[list[Any]]) -> bytes:
    template = await http.get(f"{URL}/nominations:template", headers=ADMIN)
    assert template.status_code == 200 and template.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)  # the template's example row
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_given_a_nominations_sheet_with_a_bad_row_then_both_modes_answer_by_sheet_row(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        await rated(http)
        content = await workbook(
            http,
            [
                [1, "Cá nhân", "dv-1", "Lao động tiên tiến", 2025, "Hoàn thành xuất sắc"],
                [2, "Cá nhân", "nobody", "ldtt", 2025],
                [3, "Tập thể", "cdcs-b", "Tập thể lao động tiên tiến", 2025],
            ],
        )
        upload = {**ADMIN, "content-type": XLSX}
        refused = await http.post(f"{URL}/nominations:batch", content=content, headers=upload)
        assert refused.status_code == 422, refused.text
        assert [(e["row"], e["field"], e["column"]) for e in refused.json()["errors"]] == [
            (3, "subject_code", "Mã cá nhân / tập thể")
        ]
        listed = await ok(await http.get(f"{URL}/nominations", headers=ADMIN), 200)
        assert listed["items"] == []
        keyed = {**upload, "Idempotency-Key": "nominations-2025"}
        kept = await ok(
            await http.post(f"{URL}/nominations:batch?mode=keep-good-rows", content=content, headers=keyed)
        )
        assert (kept["accepted"], kept["rejected"]) == (2, 1)
        assert [(r["row"], r["status"]) for r in kept["results"]] == [
            (2, "accepted"),
            (3, "rejected"),
            (4, "accepted"),
        ]
        assert kept["results"][1]["errors"][0]["column"] == "Mã cá nhân / tập thể"
        again = await http.post(
            f"{URL}/nominations:batch?mode=keep-good-rows", content=content, headers=keyed
        )
        assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
        assert again.json() == kept
        first = await ok(
            await http.get(f"{URL}/nominations/{kept['results'][0]['nomination']}", headers=ADMIN), 200
        )
        assert (first["subject_code"], first["award"], first["eligible"]) == ("dv-1", "ldtt", True)


async def test_a_nomination_twice_in_a_json_list_is_refused_by_its_second_row(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        line = {"subject_kind": "member", "subject_code": "dv-2", "award": "ldtt", "year": 2025}
        r = await http.post(f"{URL}/nominations:batch", json={"nominations": [line, line]}, headers=ADMIN)
        assert r.status_code == 422, r.text
        assert [(e["row"], e["field"]) for e in r.json()["errors"]] == [(2, "award")]
        r = await http.post(f"{URL}/nominations:batch", json={"nominations": [line]}, headers=ADMIN)
        assert r.status_code == 201 and r.json()["accepted"] == 1


async def test_a_unit_in_a_list_of_ldtt_is_judged_on_its_members(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # Given a list of LĐTT for a member (no rule of it counts members) and TTLĐTT for cdcs-b
        rows = [
            {"subject_kind": "member", "subject_code": "dv-2", "award": "ldtt", "year": 2025},
            {"subject_kind": "unit", "subject_code": "cdcs-b", "award": "ttldtt", "year": 2025},
        ]
        # When it is sent
        body = await ok(
            await http.post(f"{URL}/nominations:batch", json={"nominations": rows}, headers=ADMIN)
        )
        # Then the unit's verdict counts its member dv-2, as registration told awards of it
        unit = await ok(
            await http.get(f"{URL}/nominations/{body['results'][1]['nomination']}", headers=ADMIN), 200
        )
        counted = next(x for x in unit["verdict"]["clauses"] if x["clause"] == "70-percent-ldtt")
        assert (counted["facts_used"]["members"], counted["facts_used"]["not_meeting"]) == (1, ["dv-2"])
