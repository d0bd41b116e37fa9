"""Periods other than a calendar year (issue 17): a decision and an imported grant state a school
year or a phase, which counts for the year it ends in; the same award to the same subject clashes
only for the same period."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import Workbook

from services.awards.adapters.sheets import GRANTS
from tests.integration.awards_http import ADMIN, URL, XLSX, awards, ok
from tests.support import Isolation, eventually


def decision(number: str, year: int, period: Any = None, code: str = "dv-1") -> dict[str, Any]:
    body: dict[str, Any] = {
        "number": number,
        "signed_on": "2024-06-01",
        "signer": "Lý Văn Hùng",
        "year": year,
        "grants": [{"subject_kind": "member", "subject_code": code, "award": "bang-khen-ldld"}],
    }
    return body | ({"period": period} if period is not None else {})


async def issued(http: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await http.post(f"{URL}/decisions", json=body, headers=ADMIN)


async def grant_of(http: httpx.AsyncClient, answer: httpx.Response) -> dict[str, Any]:
    grant_id = (await ok(answer))["grants"][0]["grant_id"]
    return await ok(await http.get(f"{URL}/grants/{grant_id}", headers=ADMIN), 200)  # type: ignore[no-any-return]


def period_sheet(period: str) -> bytes:
    """The import template's headings, one thematic row of the People's Committee for `period`."""
    row = {"subject_kind": "Tập thể", "subject_code": "cdcs-b", "award": "bang-khen-ubnd-tinh"}
    row |= {"year": 2023, "period": period, "decision_number": "88/QĐ-UBND"}
    row |= {"decision_date": "20/11/2023", "authority": "ubnd:bac-kan", "occasion": "Theo chuyên đề"}
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append([GRANTS.heading(f) for f in row])
    ws.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_given_a_school_years_decision_when_issued_then_it_and_its_grant_carry_the_school_year(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        answer = await issued(http, decision("7/QĐ-LĐLĐ", 2023, "Năm học 2022–2023"))
        grant = await grant_of(http, answer)
    school_year = {"kind": "school-year", "from": 2022, "to": 2023}
    assert answer.json()["period"] == school_year
    assert grant["period"] == school_year and grant["year"] == 2023


async def test_given_a_sheet_row_for_a_thematic_phase_when_imported_then_the_grant_keeps_phase_and_occasion(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        body = await ok(
            await http.post(
                f"{URL}/grants:import",
                content=period_sheet("Giai đoạn 2021–2023"),
                headers={**ADMIN, "content-type": XLSX},
            )
        )
    grant = body["grants"][0]
    assert grant["period"] == {"kind": "phase", "from": 2021, "to": 2023}
    assert (grant["occasion"], grant["year"], grant["subject_code"]) == ("thematic", 2023, "cdcs-b")


async def test_given_a_grant_for_2022_when_the_same_award_is_granted_for_the_phase_2021_2023_then_both_stand(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        yearly = await grant_of(http, await issued(http, decision("1/QĐ-LĐLĐ", 2022)))
        phase = await grant_of(http, await issued(http, decision("2/QĐ-LĐLĐ", 2023, "phase:2021-2023")))
    assert yearly["period"] == {"kind": "year", "from": 2022, "to": 2022}
    assert phase["period"] == {"kind": "phase", "from": 2021, "to": 2023}
    assert yearly["id"] != phase["id"]


async def test_given_a_grant_for_the_phase_when_granted_again_for_the_same_phase_then_409_and_nothing_stored(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        await ok(await issued(http, decision("3/QĐ-LĐLĐ", 2023, {"kind": "phase", "from": 2021, "to": 2023})))
        again = await issued(http, decision("4/QĐ-LĐLĐ", 2023, "Giai đoạn 2021-2023"))
        listed = await ok(await http.get(f"{URL}/decisions", headers=ADMIN), 200)
    assert again.status_code == 409, again.text
    assert "Giai đoạn 2021–2023" in again.json()["detail"]
    assert [e["field"] for e in again.json()["errors"]] == ["grants.0"]
    assert "4/QĐ-LĐLĐ" not in str(listed)


async def test_given_a_period_not_ending_in_the_year_or_malformed_when_issued_then_422_naming_period(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        late = await issued(http, decision("5/QĐ-LĐLĐ", 2024, "phase:2021-2023"))
        wrong = await issued(http, decision("6/QĐ-LĐLĐ", 2023, "school-year:2021-2023"))
        listed = await ok(await http.get(f"{URL}/decisions", headers=ADMIN), 200)
    for answer in (late, wrong):
        assert answer.status_code == 422, answer.text
        assert [e["field"] for e in answer.json()["errors"]] == ["period"]
    assert "5/QĐ-LĐLĐ" not in str(listed) and "6/QĐ-LĐLĐ" not in str(listed)


async def test_given_a_school_years_nomination_then_the_phases_is_another_but_the_same_school_year_is_a_409(
    isolation: Isolation,
) -> None:
    row = {"subject_kind": "member", "subject_code": "dv-1", "award": "bang-khen-ldld", "year": 2023}
    async with awards(isolation) as http:
        school = await http.post(
            f"{URL}/nominations", json=row | {"period": "Năm học 2022–2023"}, headers=ADMIN
        )
        phase = await http.post(f"{URL}/nominations", json=row | {"period": "phase:2021-2023"}, headers=ADMIN)
        again = await http.post(f"{URL}/nominations", json=row | {"period": "2022-2023"}, headers=ADMIN)
    assert (await ok(school))["period"] == {"kind": "school-year", "from": 2022, "to": 2023}
    assert (await ok(phase))["period"] == {"kind": "phase", "from": 2021, "to": 2023}
    assert again.status_code == 409, again.text
    assert "Năm học 2022–2023" in again.json()["detail"]


async def test_given_grants_for_2023_and_for_the_phase_when_the_grants_are_listed_then_each_names_its_period(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        await ok(await issued(http, decision("8/QĐ-LĐLĐ", 2023)))
        await ok(await issued(http, decision("9/QĐ-LĐLĐ", 2023, "Giai đoạn 2021–2023")))

        async def listed() -> None:
            page = await ok(await http.get(f"{URL}/grants?year=2023&subject_code=dv-1", headers=ADMIN), 200)
            assert sorted((g["decision_number"], g["period"]["kind"]) for g in page["items"]) == [
                ("8/QĐ-LĐLĐ", "year"),
                ("9/QĐ-LĐLĐ", "phase"),
            ]

        await eventually(listed)
