"""Awards' history inputs over HTTP, each test one behaviour: ratings (JSON and the .xlsx
template), imported grants, eligibility answering each clause with its facts, and a revoked grant
no longer counting."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.integration.awards_http import (
    ADMIN,
    RATINGS,
    URL,
    XLSX,
    awards,
    eligibility,
    imported,
    ok,
    rated,
    sheet,
)
from tests.support import Isolation, eventually


async def test_the_openapi_document_names_the_import_and_eligibility_paths(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        paths = (await ok(await http.get("/openapi.json"), 200))["paths"]
    assert {f"/v1/federations/{{federation}}/{p}" for p in ("grants:import", "eligibility")} <= set(paths)


async def test_ratings_are_recorded_from_the_xlsx_template_filled_in(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        template = await http.get(f"{URL}/ratings:template", headers=ADMIN)
        assert template.status_code == 200 and template.headers["content-type"] == XLSX
        book = load_workbook(io.BytesIO(template.content))
        ws = book.active
        assert ws is not None
        ws.delete_rows(2)
        ws.append([1, "member", "dv-2", 2025, "good"])  # STT first; codes still read
        upload = io.BytesIO()
        book.save(upload)
        files = {"file": ("xep-loai.xlsx", upload.getvalue(), XLSX)}
        recorded = await ok(await http.post(f"{URL}/ratings:batch", files=files, headers=ADMIN))
    assert recorded["recorded"] == 1


async def test_a_ratings_list_naming_an_unknown_subject_is_refused_by_row(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        bad = [{**RATINGS[0], "subject_code": "nobody"}]
        refused = await http.post(f"{URL}/ratings:batch", json={"ratings": bad}, headers=ADMIN)
    assert refused.status_code == 422 and refused.json()["errors"][0]["row"] == 1


async def test_eligibility_answers_each_clause_with_the_facts_it_used(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        await rated(http)
        before = await eligibility(http, "bang-khen-tld")
    assert [c["clause"] for c in before["clauses"] if not c["passed"]] == ["bang-khen-ldld-year-before"]
    assert before["clauses"][4]["facts_used"] == {"recognised": {"2024": 1, "2025": 1}, "total": 2}


async def test_an_imported_grant_counts_for_a_later_award(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        await rated(http)
        grant = await imported(http)
        verdict = await eligibility(http, "bang-khen-tld")
    assert grant["source"] == "import" and grant["unit"] == "cdcs-a"
    assert verdict["eligible"] is True


async def test_a_revoked_grant_no_longer_counts_and_says_why(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        await rated(http)
        grant = await imported(http)
        revocation = {"reason": "khai man thành tích", "reference": "3/QĐ-LĐLĐ"}
        await ok(await http.post(f"{URL}/grants/{grant['id']}:revoke", json=revocation, headers=ADMIN), 200)
        after = await eligibility(http, "bang-khen-tld")
    failed = [c for c in after["clauses"] if not c["passed"]]
    assert [c["clause"] for c in failed] == ["bang-khen-ldld-year-before"]
    assert failed[0]["facts_used"]["not_counted"] == [
        {"award": "bang-khen-ldld", "year": 2024, "why": "revoked"}
    ]


async def test_a_revoked_grant_is_listed_with_its_revocation_page_by_page(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        grant = await imported(http)
        revocation = {"reason": "khai man thành tích", "reference": "3/QĐ-LĐLĐ"}
        await ok(await http.post(f"{URL}/grants/{grant['id']}:revoke", json=revocation, headers=ADMIN), 200)

        async def revoked_in_list() -> None:
            page = await ok(await http.get(f"{URL}/grants?year=2024&limit=1", headers=ADMIN), 200)
            assert len(page["items"]) == 1 and page["items"][0]["revoked_on"] is not None
            assert page["next_after"] is not None
            empty = await ok(
                await http.get(f"{URL}/grants?year=2024&after={page['next_after']}", headers=ADMIN), 200
            )
            assert empty == {"items": [], "next_cursor": None, "next_after": None}

        await eventually(revoked_in_list)


async def test_a_grants_sheet_naming_an_unknown_subject_is_refused_by_row(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        bad_sheet = sheet([["member", "nobody", "bang-khen-ldld", 2023, "1", "2023-12-20", "ldld"]])
        refused = await http.post(
            f"{URL}/grants:import", content=bad_sheet, headers={**ADMIN, "content-type": XLSX}
        )
    assert refused.status_code == 422
    error = refused.json()["errors"][0] | {"message": ""}  # the sheet's row, under its heading
    assert error == {"field": "subject_code", "message": "", "row": 2, "column": "Mã cá nhân / tập thể"}
