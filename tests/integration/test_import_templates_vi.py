"""The import templates as a clerk meets them (issue 20): downloaded from the running services,
in Vietnamese, with drop-down lists; filled in as a clerk types (Vietnamese kinds and values, an
award's name, "22/12/2023"); a bad cell named by its row and Vietnamese heading; the files made
from the first, English-headed templates still read."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from services.registration.bootstrap import build_app as build_registration
from services.registration.bootstrap import runtime as registration_runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.awards_http import ADMIN, OWN_AWARD, URL, XLSX, awards, ok
from tests.integration.test_registration_batch import BK, NATIONAL, seed_tree, workbook
from tests.support import Isolation, in_process


async def filled(http: httpx.AsyncClient, resource: str, *rows: list[Any]) -> bytes:
    """The template of `resource` downloaded, its example row replaced by `rows`."""
    template = await http.get(f"{URL}/{resource}:template", headers=ADMIN)
    assert template.status_code == 200 and template.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(http: httpx.AsyncClient, path: str, content: bytes) -> httpx.Response:
    return await http.post(f"{URL}/{path}", files={"file": ("danh-sach.xlsx", content, XLSX)}, headers=ADMIN)


GRANT_ROW = [1, "cá nhân", "dv-1", "Bằng khen của LĐLĐ tỉnh", 2023, "12/QĐ-LĐLĐ", "22/12/2023", "", "ldld"]


async def test_a_grant_typed_as_a_clerk_types_it_is_imported(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # Given the grants template, filled with a Vietnamese kind, an award's name and a typed date
        content = await filled(http, "grants", GRANT_ROW)
        # When it is uploaded
        body = await ok(await upload(http, "grants:import", content))
    # Then the grant is stored with the award's code and the date read dd/mm/yyyy
    grant = body["grants"][0]
    assert grant["award"] == "bang-khen-ldld" and grant["subject_kind"] == "member"
    assert str(grant["decision_date"]).startswith("2023-12-22")


async def test_a_rating_typed_in_vietnamese_is_recorded(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # Given the ratings template, filled with Vietnamese words only
        content = await filled(http, "ratings", [1, "Cá nhân", "dv-2", 2023, "Hoàn thành tốt nhiệm vụ"])
        # When it is uploaded
        recorded = await ok(await upload(http, "ratings:batch", content))
    # Then the rating is recorded
    assert recorded["recorded"] == 1


async def test_a_discipline_with_a_typed_date_is_recorded(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # Given the disciplines template, filled with a level's name and a date typed as text
        content = await filled(http, "disciplines", [1, "CÁ NHÂN", "dv-2", 2023, "khien trach", "22/12/2023"])
        # When it is uploaded
        recorded = await ok(await upload(http, "disciplines:batch", content))
    # Then the discipline is recorded
    assert recorded["recorded"] == 1


async def test_a_bad_date_is_named_by_its_row_and_vietnamese_heading(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # Given a grants list whose second line has a date that does not exist
        bad = [*GRANT_ROW[:6], "31/02/2023", *GRANT_ROW[7:]]
        content = await filled(http, "grants", GRANT_ROW, bad)
        # When it is uploaded
        refused = await upload(http, "grants:import", content)
        # Then it is refused, naming the sheet's row 3 and the date's heading, in Vietnamese
        assert refused.status_code == 422
        [error] = refused.json()["errors"]
        assert (error["row"], error["column"]) == (3, "Ngày quyết định (dd/mm/yyyy)")
        assert "dd/mm/yyyy" in error["message"] and error["message"].startswith("không")
        # And nothing was stored: the good line alone imports as the first grant of its key
        again = await ok(await upload(http, "grants:import", await filled(http, "grants", GRANT_ROW)))
    assert again["imported"] == 1


def drop_downs(content: bytes) -> dict[str, list[str]]:
    """The heading of each column with a drop-down list -> the list's choices."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    out = {}
    for check in sheet.data_validations.dataValidation:
        column = str(check.sqref).split(":")[0].rstrip("0123456789")
        source, cells = str(check.formula1).split("!")
        start, end = (int(c.split("$")[-1]) for c in cells.split(":"))
        letter = cells.split("$")[1]
        lists = book[source.strip("'")]
        choices = [str(lists[f"{letter}{r}"].value) for r in range(start, end + 1)]
        out[str(sheet[f"{column}1"].value)] = choices
    return out


async def test_the_grants_template_offers_drop_downs_from_the_catalogue(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # Given a federation that defined an award of its own
        await ok(await http.post(f"{URL}/catalogue", json=OWN_AWARD, headers=ADMIN))
        # When its grants template is downloaded
        template = await http.get(f"{URL}/grants:template", headers=ADMIN)
    # Then the kind, award and occasion columns have drop-downs; awards by name and by code
    lists = drop_downs(template.content)
    assert set(lists) == {
        "Đối tượng (Cá nhân / Tập thể)",
        "Danh hiệu, hình thức khen thưởng (tên hoặc mã)",
        "Loại khen thưởng",
    }
    assert lists["Đối tượng (Cá nhân / Tập thể)"] == ["Cá nhân", "Tập thể"]
    assert {"Lao động giỏi", "lao-dong-gioi", "Bằng khen của LĐLĐ tỉnh", "bang-khen-ldld"} <= set(
        lists["Danh hiệu, hình thức khen thưởng (tên hoặc mã)"]
    )


async def test_the_history_templates_offer_their_values_and_date_cells(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # When the ratings and disciplines templates are downloaded
        ratings = await http.get(f"{URL}/ratings:template", headers=ADMIN)
        disciplines = await http.get(f"{URL}/disciplines:template", headers=ADMIN)
    # Then ratings and levels are offered in Vietnamese, and the date column shows dd/mm/yyyy
    assert "Hoàn thành xuất sắc nhiệm vụ" in drop_downs(ratings.content)["Xếp loại"]
    assert "Khiển trách" in drop_downs(disciplines.content)["Hình thức kỷ luật"]
    sheet = load_workbook(io.BytesIO(disciplines.content)).worksheets[0]
    assert sheet["F1"].value == "Ngày quyết định (dd/mm/yyyy)" and sheet["F2"].number_format == "DD/MM/YYYY"
    assert "Hướng dẫn" in load_workbook(io.BytesIO(disciplines.content)).sheetnames


async def test_a_file_from_the_old_english_template_still_imports(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        # Given a ratings list headed by the English field names, with codes and an ISO-era layout
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["subject_kind", "subject_code", "year", "rating"])
        sheet.append(["member", "dv-2", 2024, "good"])
        out = io.BytesIO()
        book.save(out)
        # When it is uploaded
        recorded = await ok(await upload(http, "ratings:batch", out.getvalue()))
    # Then it is recorded as before
    assert recorded["recorded"] == 1


async def test_a_pledge_names_its_award_by_name(isolation: Isolation) -> None:
    rt = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_registration) as http:
        await asyncio.to_thread(seed_tree, rt.application)
        # Given the pledge template filled with an award's name, a kind in capitals and a typed date
        row = [
            1,
            "td-2023",
            "Bằng khen của LĐLĐ tỉnh",
            "CÁ NHÂN",
            "dv-001",
            "Nguyễn Văn 1",
            None,
            None,
            "15/03/2023",
        ]
        content = await workbook(http, [row])
        # When it is uploaded
        r = await http.post(
            BK + "/pledges:batch", files={"file": ("d.xlsx", content, XLSX)}, headers=NATIONAL
        )
    # Then it is accepted
    assert r.status_code == 201, r.text[:1000]
    assert r.json()["accepted"] == 1


async def test_a_pledge_with_a_bad_date_is_named_by_its_row_and_heading(isolation: Isolation) -> None:
    rt = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_registration) as http:
        await asyncio.to_thread(seed_tree, rt.application)
        # Given the pledge template filled with a day that does not exist
        row = [1, "td-2023", "bang-khen-ldld", "Cá nhân", "dv-001", "Nguyễn Văn 1", None, None, "30/02/2023"]
        content = await workbook(http, [row])
        # When it is uploaded
        r = await http.post(
            BK + "/pledges:batch", files={"file": ("d.xlsx", content, XLSX)}, headers=NATIONAL
        )
    # Then its row and Vietnamese heading are named, in Vietnamese, and nothing is stored
    assert r.status_code == 422, r.text[:1000]
    [error] = r.json()["errors"]
    assert (error["row"], error["column"]) == (2, "Ngày đăng ký (dd/mm/yyyy)")
    assert error["message"].startswith("không phải một ngày")
