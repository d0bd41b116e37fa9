"""Text hygiene at the boundary, over HTTP on the real apps: unsafe characters in bodies, query
parameters, path segments and spreadsheet cells are 422s that name the field (never a 500,
never stored); JSON nested too deeply is one 400 on every endpoint, fast lane included; dates
lie between 1945 and ten years ahead."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from services.awards.bootstrap import build_app as build_awards
from services.awards.bootstrap import runtime as awards_runtime
from services.registration.adapters import pledge_sheet
from services.registration.bootstrap import build_app, runtime
from shared.kernel import clock
from shared.kernel.settings import AwardsSettings, RegistrationSettings
from tests.integration.test_registration_merge import get, post
from tests.support import Isolation, bearer, in_process

NATIONAL = bearer("*")
BK = "/v1/federations/bac-kan"
CLERK = bearer("bac-kan/tp/cdcs-a", ["clerk"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEM = "application/problem+json"
PLEDGE = {"movement": "td", "award": "ldtt", "subject_kind": "member", "subject_code": "dv-1"}
DEEP = b"[" * 990 + b"]" * 990


def refused(r: httpx.Response, field: str, status: int = 422) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body: dict[str, Any] = r.json()
    assert [e["field"] for e in body["errors"]] == [field], body
    return body


async def seed(http: httpx.AsyncClient) -> None:
    await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
    await post(http, BK + "/units", {"code": "tp", "name": "TP", "kind": "upper"})
    await post(
        http, BK + "/units", {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots", "parent": "tp"}
    )
    for code in ("dv-1", "dv-2", "dv-3"):
        await post(http, BK + "/members", {"code": code, "full_name": "Nguyễn Văn An", "unit": "cdcs-a"})
    deadline = (clock.today() + timedelta(days=365)).isoformat()
    movement = {"code": "td", "name": "TĐ", "year": clock.today().year, "awards": ["ldtt"]}
    await post(http, BK + "/movements", {**movement, "registration_deadline": deadline})


@pytest.fixture
async def registration(isolation: Isolation) -> Any:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(http)
        yield http


async def test_a_nul_in_a_members_name_is_a_422_naming_full_name_and_nothing_is_stored(
    registration: httpx.AsyncClient,
) -> None:
    http = registration
    for headers in (NATIONAL, CLERK):
        body = {"code": "nul1", "full_name": "An\u0000Nguyen", "unit": "cdcs-a"}
        body = refused(await http.post(BK + "/members", json=body, headers=headers), "full_name")
        assert "U+0000" in body["errors"][0]["message"]
    assert (await http.get(BK + "/members/nul1", headers=NATIONAL)).status_code == 404
    feed = await get(http, BK + "/events", limit=1000)
    assert not [e for e in feed["events"] if e["data"].get("code") == "nul1"]
    assert len((await get(http, BK + "/members"))["items"]) == 3
    federation = {"code": "nul-fed", "name": "LĐLĐ\u0000"}
    refused(await http.post("/v1/federations", json=federation, headers=NATIONAL), "name")


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u200b", "\u200d", "\u2060", "\ufeff"])
async def test_names_with_bidi_overrides_or_zero_width_characters_are_refused(
    registration: httpx.AsyncClient, char: str
) -> None:
    http = registration
    unit = {"code": "cdcs-z", "name": f"CĐCS{char}Z", "kind": "grassroots", "parent": "tp"}
    refused(await http.post(BK + "/units", json=unit, headers=NATIONAL), "name")
    member = {"code": "dv-z", "full_name": f"Nguyễn{char} Văn Z", "unit": "cdcs-a"}
    refused(await http.post(BK + "/members", json=member, headers=NATIONAL), "full_name")
    assert (await http.get(BK + "/units/cdcs-z", headers=NATIONAL)).status_code == 404


async def test_a_code_with_a_trailing_newline_is_refused_not_trimmed(registration: httpx.AsyncClient) -> None:
    http = registration
    unit = {"code": "cdcs-x\n", "name": "CĐCS X", "kind": "grassroots", "parent": "tp"}
    refused(await http.post(BK + "/units", json=unit, headers=NATIONAL), "code")
    assert (await http.get(BK + "/units/cdcs-x", headers=NATIONAL)).status_code == 404
    member = {"code": "dv-x", "full_name": "X", "unit": "cdcs-a "}
    refused(await http.post(BK + "/members", json=member, headers=NATIONAL), "unit")


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/members", "q"),
        ("/members", "unit"),
        ("/units", "parent"),
        ("/units", "kind"),
        ("/pledges", "movement"),
        ("/pledges", "unit"),
        ("/pledges", "award"),
    ],
)
async def test_a_nul_in_a_query_parameter_is_a_422_naming_it_not_a_500(
    registration: httpx.AsyncClient, path: str, parameter: str
) -> None:
    http = registration
    for value in ("a\x00b", "a\u202eb", "a\x1b"):
        refused(await http.get(BK + path, params={parameter: value}, headers=NATIONAL), parameter)
    stranger = await http.get(BK + path, params={parameter: "a\x00b"})
    assert stranger.status_code == 401  # checked after the gate: strangers learn nothing


async def test_a_control_character_in_a_path_segment_is_a_422(registration: httpx.AsyncClient) -> None:
    http = registration
    for path in ("/members/dv%001", "/units/tp%0A", "/pledges/x%00y"):
        refused(await http.get(BK + path, headers=NATIONAL), "path")
    refused(await http.post(BK + "/units/tp%00:move", json={}, headers=NATIONAL), "path")


async def test_deeply_nested_json_is_the_same_400_on_every_endpoint_fast_lane_included(
    registration: httpx.AsyncClient,
) -> None:
    http = registration
    headers = {**NATIONAL, "content-type": "application/json"}
    nested_field = b'{"movement": ' + b"[" * 100 + b"]" * 100 + b"}"
    answers = []
    for path in ("/pledges", "/members", "/pledges:batch", "/units/tp:move"):
        for body in (DEEP, nested_field):
            answers.append(refused(await http.post(BK + path, content=body, headers=headers), "body", 400))
    assert len({a["detail"] for a in answers}) == 1 and "nested" in answers[0]["detail"]
    ok = await http.post(BK + "/pledges", json=PLEDGE, headers=NATIONAL)  # the lane still serves
    assert ok.status_code == 201, ok.text


async def test_dates_out_of_range_are_refused_naming_the_field(registration: httpx.AsyncClient) -> None:
    http = registration
    for pledged_on in ("0001-01-01", "1944-12-31"):
        body = {**PLEDGE, "subject_code": "dv-2", "pledged_on": pledged_on}
        refused(await http.post(BK + "/pledges", json=body, headers=NATIONAL), "pledged_on")
    too_late = (clock.today() + timedelta(days=3700)).isoformat()
    for effective_on in ("9999-12-31", too_late):
        body = {"to_parent": None, "effective_on": effective_on}
        refused(await http.post(BK + "/units/cdcs-a:move", json=body, headers=NATIONAL), "effective_on")
    unit = {
        "code": "cdcs-old",
        "name": "Old",
        "kind": "grassroots",
        "parent": "tp",
        "effective_on": "1900-01-01",
    }
    refused(await http.post(BK + "/units", json=unit, headers=NATIONAL), "effective_on")
    rows = [{**PLEDGE, "subject_code": "dv-3", "pledged_on": "0001-01-01"}]
    batch = await http.post(BK + "/pledges:batch", json=rows, headers=NATIONAL)
    assert batch.status_code == 422 and batch.json()["errors"][0]["field"] == "pledged_on"


def pledge_list(*rows: list[Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([h for _, h in pledge_sheet.COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def patched(content: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with `old` replaced by `new` in its XML, as another program may write it."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename).replace(old, new))
    return out.getvalue()


async def test_an_xlsx_with_a_nul_cell_reports_its_row_column_and_field(
    registration: httpx.AsyncClient,
) -> None:
    """Given a list whose third row holds a NUL (as Excel writes it, `_x0000_`) and whose fourth
    a code ending in a line break, when it is sent, then those rows are reported with their
    column and field and only the good row is stored."""
    http = registration
    content = pledge_list(
        [1, "td", "ldtt", "Cá nhân", "dv-1", "Nguyễn Văn An", "", "", ""],
        [2, "td", "ldtt", "Cá nhân", "dv-2", "Nguyễn Văn An", "", "Đợt_x0000_1", ""],
        [3, "td", "ldtt", "Cá nhân", "dv-3\n", "Nguyễn Văn An", "", "", ""],
    )
    headers = {**NATIONAL, "content-type": XLSX}
    body = (await http.post(BK + "/pledges:batch", content=content, headers=headers)).json()
    assert [(e["row"], e["field"], e["column"]) for e in body["errors"]] == [
        (3, "phase", "Đợt thi đua"),
        (4, "subject_code", "Mã cá nhân / tập thể"),
    ], body
    assert "U+0000" in body["errors"][0]["message"]
    kept = await http.post(BK + "/pledges:batch?mode=keep-good-rows", content=content, headers=headers)
    assert kept.status_code == 201 and kept.json()["accepted"] == 1, kept.text
    stored = await get(http, BK + "/pledges")
    assert [p["subject_code"] for p in stored["items"]] == ["dv-1"]


async def test_an_xlsx_cell_no_parser_can_read_is_a_422_naming_its_row(
    registration: httpx.AsyncClient,
) -> None:
    http = registration
    content = pledge_list(
        [1, "td", "ldtt", "Cá nhân", "dv-1", "X", "", "", ""], [2, "td", "ldtt", "Cá nhân", "PLACEHOLDER"]
    )
    content = patched(content, b"PLACEHOLDER", b"dv&#0;2")
    r = await http.post(BK + "/pledges:batch", content=content, headers={**NATIONAL, "content-type": XLSX})
    body = refused(r, "file")
    assert body["errors"][0]["row"] == 3


# -- awards --------------------------------------------------------------------------------------

AW = "/v1/federations/bac-kan"


@pytest.fixture
async def awards(isolation: Isolation) -> Any:
    rt = awards_runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, build_awards) as http:
        yield http


@pytest.mark.parametrize(
    ("path", "parameter"),
    [("/grants", "subject_code"), ("/grants", "award"), ("/nominations", "award")],
)
async def test_a_nul_in_an_awards_query_filter_is_a_422_naming_it(
    awards: httpx.AsyncClient, path: str, parameter: str
) -> None:
    r = await awards.get(AW + path, params={parameter: "a\x00b"}, headers=NATIONAL)
    refused(r, parameter)


async def test_an_awards_sheet_with_a_nul_cell_reports_its_row(awards: httpx.AsyncClient) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["subject_kind", "subject_code", "award", "year", "decision_number", "decision_date", "authority"]
    )
    sheet.append(["member", "dv-1", "bang-khen-ldld", 2024, "12/QĐ_x0000_", "2024-12-20", "ldld"])
    out = io.BytesIO()
    book.save(out)
    r = await awards.post(
        AW + "/grants:import", content=out.getvalue(), headers={**NATIONAL, "content-type": XLSX}
    )
    body = refused(r, "decision_number")
    assert body["errors"][0]["row"] == 2 and body["errors"][0]["column"] == "Số quyết định"  # the sheet's row


async def test_awards_bodies_are_guarded_and_deep_json_is_a_400(awards: httpx.AsyncClient) -> None:
    rating = {"subject_kind": "member", "subject_code": "dv-1", "year": 2024, "rating": "good"}
    r = await awards.post(AW + "/ratings", json={**rating, "subject_code": "dv-1\n"}, headers=NATIONAL)
    refused(r, "subject_code")
    headers = {**NATIONAL, "content-type": "application/json"}
    refused(await awards.post(AW + "/ratings:batch", content=DEEP, headers=headers), "body", 400)
    refused(
        await awards.post(
            AW + "/ratings:batch", content=DEEP, headers={**NATIONAL, "content-type": "text/plain"}
        ),
        "body",
        400,
    )
    discipline = {**{k: v for k, v in rating.items() if k != "rating"}, "level": "reprimand"}
    discipline["decided_on"] = "0001-01-01"
    refused(await awards.post(AW + "/disciplines", json=discipline, headers=NATIONAL), "decided_on")


async def test_a_vietnamese_x_reason_sent_as_utf8_is_stored_as_written(
    registration: httpx.AsyncClient,
) -> None:
    http = registration
    headers = {**NATIONAL, "X-Reason": "Bổ sung đoàn viên mới".encode()}
    member = {"code": "dv-r", "full_name": "Lê Thị Hoa", "unit": "cdcs-a"}
    assert (await http.post(BK + "/members", json=member, headers=headers)).status_code == 201
    feed = await get(http, BK + "/events", limit=1000)
    [event] = [e for e in feed["events"] if e["data"].get("code") == "dv-r"]
    assert event["data"]["reason"] == "Bổ sung đoàn viên mới"


@pytest.mark.parametrize("reason", ["sai\u202etên".encode(), b"sai\x01ten", b"sai \xff ten"])
async def test_an_x_reason_with_unsafe_characters_or_not_utf8_is_a_422_naming_it(
    registration: httpx.AsyncClient, reason: bytes
) -> None:
    http = registration
    member = {"code": "dv-s", "full_name": "Lê Thị Hoa", "unit": "cdcs-a"}
    headers = {**NATIONAL, "X-Reason": reason}
    refused(await http.post(BK + "/members", json=member, headers=headers), "X-Reason")
    assert (await http.get(BK + "/members/dv-s", headers=NATIONAL)).status_code == 404


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
async def test_a_date_query_parameter_out_of_the_domains_range_is_a_422_naming_it(
    registration: httpx.AsyncClient, day: str
) -> None:
    refused(await registration.get(BK + "/units", params={"as_of": day}, headers=NATIONAL), "as_of")
