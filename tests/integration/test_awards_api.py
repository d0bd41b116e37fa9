"""Awards over HTTP on the real PostgreSQL, each test one behaviour: registration's facts copied
into awards' copy of them, history inputs (JSON and .xlsx), eligibility, the nomination → council →
decision path, revocation changing a later verdict, and what a unit's clerk sees."""

from __future__ import annotations

import asyncio
import contextlib
import io
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from services.awards.adapters.registration_facts import RegistrationFacts
from services.awards.bootstrap import build_app, parts_of, runtime
from shared.kernel.settings import AwardsSettings
from tests.support import Isolation, bearer, eventually, in_process

F = "bac-kan"
ADMIN = bearer(F)
URL = f"/v1/federations/{F}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
sequence = iter(range(1, 10_000))


def registration(name: str, data: dict[str, Any], version: int = 1) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": f"tdkt.registration.{name}.v1",
        "source": "tdkt/registration",
        "sequence": next(sequence),
        "version": version,
        "data": {"federation": F, **data},
    }


async def seed(directory: RegistrationFacts, pool: Any) -> None:
    events = [
        registration("unit-registered", {"code": "tp", "name": "TP", "kind": "upper", "ancestry": ["tp"]}),
        registration(
            "unit-registered",
            {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots", "ancestry": ["tp", "cdcs-a"]},
        ),
        registration(
            "unit-registered",
            {"code": "cdcs-b", "name": "CĐCS B", "kind": "grassroots", "ancestry": ["tp", "cdcs-b"]},
        ),
        *(
            registration(
                "member-registered",
                {"code": code, "full_name": name, "unit": "cdcs-b", "unit_path": ["tp", "cdcs-b"]},
            )
            for code, name in (("dv-1", "Nguyễn Văn An"), ("dv-2", "Lê Thị Hoa"))
        ),
        registration(
            "member-transferred",
            {
                "code": "dv-1",
                "full_name": "Nguyễn Văn An",
                "from_unit": "cdcs-b",
                "unit": "cdcs-a",
                "unit_path": ["tp", "cdcs-a"],
                "effective_on": "2024-01-01",
            },
            version=2,
        ),
        *(
            registration(
                "initiative-recognised",
                {
                    "initiative": f"sk-{year}",
                    "title": "Sáng kiến",
                    "author_kind": "member",
                    "author_code": "dv-1",
                    "unit": "cdcs-a",
                    "unit_path": ["tp", "cdcs-a"],
                    "year": year,
                    "benefit_value": 1_000_000,
                    "recognised_on": f"{year}-10-01",
                    "recognised_by": "tp",
                },
                version=2,
            )
            for year in (2024, 2025)
        ),
    ]
    async with pool.acquire() as conn, conn.transaction():
        for envelope in events:
            await directory.handle(conn, envelope)


def sheet(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(
        ["subject_kind", "subject_code", "award", "year", "decision_number", "decision_date", "authority"]
    )
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def ok(response: httpx.Response, status: int = 201) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def eligibility(http: httpx.AsyncClient, award: str, on: str = "2025-12-01") -> dict:
    query = f"subject_kind=member&subject_code=dv-1&award={award}&year=2025&on={on}"
    return await ok(await http.get(f"{URL}/eligibility?{query}", headers=ADMIN), 200)


@contextlib.asynccontextmanager
async def awards(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given awards over HTTP, knowing the seeded units and members of registration."""
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(parts_of(rt).facts, rt.db)
        yield http


RATINGS = [
    {"subject_kind": "member", "subject_code": "dv-1", "year": y, "rating": "excellent"} for y in (2024, 2025)
]
IMPORTED = [["member", "dv-1", "bang-khen-ldld", 2024, "12/QĐ-LĐLĐ", "2024-12-20", "ldld"]]


async def rated(http: httpx.AsyncClient) -> None:
    """dv-1 rated excellent in 2024 and 2025."""
    await ok(await http.post(f"{URL}/ratings:batch", json={"ratings": RATINGS}, headers=ADMIN))


async def imported(http: httpx.AsyncClient) -> dict:
    """dv-1's 2024 bang-khen-ldld, imported from a sheet; the grant stored."""
    body = await ok(
        await http.post(
            f"{URL}/grants:import", content=sheet(IMPORTED), headers={**ADMIN, "content-type": XLSX}
        )
    )
    return body["grants"][0]  # type: ignore[no-any-return]


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


STRICTER = {
    "award": "ldtt",
    "rule_version": "qd-2026",
    "effective_from": "2026-01-01",
    "clauses": [{"clause": "excellent", "rating": {"at_least": "excellent"}}],
}
OWN_AWARD = {"code": "lao-dong-gioi", "name": "Lao động giỏi", "subjects": "member", "bonus_coefficient": 0.2}


async def test_a_later_rule_set_applies_to_proposals_after_its_date(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        rating = {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "rating": "good"}
        await ok(await http.post(f"{URL}/ratings", json=rating, headers=ADMIN))
        await ok(await http.post(f"{URL}/rules", json=STRICTER, headers=ADMIN))
        assert (await eligibility(http, "ldtt", on="2025-12-31"))["eligible"] is True
        later = await eligibility(http, "ldtt", on="2026-01-02")
    assert later["rule_version"] == "qd-2026" and later["eligible"] is False


async def test_a_federations_own_award_is_defined_once_beside_the_defaults(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        defined = await ok(await http.post(f"{URL}/catalogue", json=OWN_AWARD, headers=ADMIN))
        codes = [a["code"] for a in await ok(await http.get(f"{URL}/catalogue", headers=ADMIN), 200)]
        again = await http.post(f"{URL}/catalogue", json=OWN_AWARD, headers=ADMIN)
    assert defined["defined_by"] == F and defined["level"] == "federation"
    assert "lao-dong-gioi" in codes and "ldtt" in codes
    assert again.status_code == 409


async def test_an_own_award_and_a_rule_set_are_published_on_the_feed(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        await ok(await http.post(f"{URL}/rules", json=STRICTER, headers=ADMIN))
        await ok(await http.post(f"{URL}/catalogue", json=OWN_AWARD, headers=ADMIN))
        feed = await ok(await http.get(f"{URL}/events", headers=ADMIN), 200)
    published = {e["type"]: e["data"] for e in feed["events"]}
    assert published["tdkt.awards.award-defined.v1"]["bonus_coefficient"] == 0.2
    assert published["tdkt.awards.rule-set-published.v1"]["rule"]["clauses"] == STRICTER["clauses"]


async def test_a_rule_set_with_a_malformed_clause_is_refused_naming_it(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        broken = {**STRICTER, "rule_version": "x", "clauses": [{"clause": "a", "streak": {"years": 2}}]}
        refused = await http.post(f"{URL}/rules", json=broken, headers=ADMIN)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.clauses.0.streak.each"


COUNCIL_MEMBERS = [
    {"user": "an", "name": "Nguyễn Văn An", "member_code": "dv-1", "unit_path": ["tp", "cdcs-a"]},
    *({"user": f"u{i}", "name": f"U{i}"} for i in range(2)),
]
VOTES = f"{URL}/councils/hd-2025/votes"
DECISION = {"number": "45/QĐ-LĐLĐ", "signed_on": "2025-12-10", "signer": "Hoàng Thị Thu", "year": 2025}


async def nominated(http: httpx.AsyncClient) -> dict:
    """dv-1, rated good for 2025, nominated for ldtt; a council of dv-1 and two others convened."""
    rating = {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "rating": "good"}
    await ok(await http.post(f"{URL}/ratings", json=rating, headers=ADMIN))
    nomination = await ok(
        await http.post(
            f"{URL}/nominations",
            json={"subject_kind": "member", "subject_code": "dv-1", "award": "ldtt", "year": 2025},
            headers=ADMIN,
        )
    )
    council = {
        "code": "hd-2025",
        "name": "Hội đồng TĐKT 2025",
        "year": 2025,
        "meets_on": "2025-12-05",
        "quorum": 2,
        "members": COUNCIL_MEMBERS,
        "nominations": [nomination["id"]],
    }
    await ok(await http.post(f"{URL}/councils", json=council, headers=ADMIN))
    return nomination  # type: ignore[no-any-return]


async def granted(http: httpx.AsyncClient) -> dict:
    """The nomination passed by u0 and u1, and granted by a decision."""
    nomination = await nominated(http)
    ballot = {"nomination": nomination["id"], "choice": "yes"}
    for user in ("u0", "u1"):
        await ok(await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub=user)))
    await ok(await http.post(f"{URL}/councils/hd-2025:resolve", headers=ADMIN), 200)
    decision = {**DECISION, "grants": [{"nomination": nomination["id"]}]}
    await ok(await http.post(f"{URL}/decisions", json=decision, headers=ADMIN))
    return nomination


async def test_a_nomination_carries_its_verdict_and_its_subjects_place(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
    assert nomination["eligible"] and nomination["unit_path"] == ["tp", "cdcs-a"]


async def test_a_member_cannot_vote_on_their_own_nomination(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        recused = await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub="an"))
    assert recused.status_code == 403


async def test_a_second_vote_by_the_same_member_is_refused(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        await ok(await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub="u0")))
        twice = await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub="u0"))
    assert twice.status_code == 409


async def test_a_council_resolves_with_the_members_who_voted(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await nominated(http)
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        for user in ("u0", "u1"):
            await ok(await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub=user)))
        resolved = await ok(await http.post(f"{URL}/councils/hd-2025:resolve", headers=ADMIN), 200)
    assert resolved["results"][0]["passed"] and resolved["results"][0]["members"] == 2


async def test_a_decision_grants_the_passed_nomination_and_publishes_the_path_in_order(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await granted(http)
        feed = await ok(await http.get(f"{URL}/events?limit=100", headers=ADMIN), 200)
    kinds = [e["type"].split(".")[2] for e in feed["events"]]
    assert kinds == [
        "rating-recorded",
        "nomination-submitted",
        "council-resolved",
        "decision-issued",
        "award-granted",
    ]
    granted_data = feed["events"][-1]["data"]
    assert granted_data["nomination"] == nomination["id"] and granted_data["bonus_coefficient"] == 0.3
    assert granted_data["subject_name"] == "Nguyễn Văn An" and granted_data["occasion"] == "regular"


async def test_the_lists_show_the_passed_nomination_and_its_grant(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await granted(http)

        async def listed() -> None:
            page = await ok(await http.get(f"{URL}/nominations?year=2025", headers=ADMIN), 200)
            assert [(n["nomination"], n["passed"]) for n in page["items"]] == [(nomination["id"], True)]
            grants = await ok(await http.get(f"{URL}/grants?subject_code=dv-1", headers=ADMIN), 200)
            assert [(g["award"], g["nomination"]) for g in grants["items"]] == [("ldtt", nomination["id"])]

        await eventually(listed)


async def test_a_unit_clerk_sees_only_its_own_subtrees_verdicts_nominations_and_grants(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await granted(http)
        await eventually(lambda: _listed_once(http))
        other_unit = bearer(f"{F}/tp/cdcs-b", ["clerk"])
        own_unit = bearer(f"{F}/tp/cdcs-a", ["clerk"])
        query = "subject_kind=member&subject_code=dv-1&award=ldtt&year=2025"
        assert (await http.get(f"{URL}/eligibility?{query}", headers=other_unit)).status_code == 422
        assert (await http.get(f"{URL}/eligibility?{query}", headers=own_unit)).status_code == 200
        assert (
            await http.get(f"{URL}/nominations/{nomination['id']}", headers=other_unit)
        ).status_code == 404
        assert (await http.get(f"{URL}/nominations/{nomination['id']}", headers=own_unit)).status_code == 200
        assert (await ok(await http.get(f"{URL}/grants", headers=other_unit), 200))["items"] == []
        assert len((await ok(await http.get(f"{URL}/grants", headers=own_unit), 200))["items"]) == 1
        assert (await ok(await http.get(f"{URL}/nominations", headers=other_unit), 200))["items"] == []


async def _listed_once(http: httpx.AsyncClient) -> None:
    """The grant has reached the lists (they are projected a moment after the store)."""
    grants = await ok(await http.get(f"{URL}/grants?subject_code=dv-1", headers=ADMIN), 200)
    assert len(grants["items"]) == 1


async def test_members_voting_at_once_are_all_counted_and_a_second_vote_is_refused(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await ok(
            await http.post(
                f"{URL}/nominations",
                json={"subject_kind": "member", "subject_code": "dv-2", "award": "ldtt", "year": 2025},
                headers=ADMIN,
            )
        )
        council = {
            "code": "hd",
            "name": "Hội đồng",
            "year": 2025,
            "meets_on": "2025-12-05",
            "quorum": 8,
            "secret_ballot": True,
            "members": [{"user": f"u{i}", "name": f"U{i}"} for i in range(8)],
            "nominations": [nomination["id"]],
        }
        await ok(await http.post(f"{URL}/councils", json=council, headers=ADMIN))
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        voters = [f"u{i}" for i in range(8)] + ["u0", "u0"]
        answers = await asyncio.gather(
            *(
                http.post(f"{URL}/councils/hd/votes", json=ballot, headers=bearer(F, ["council"], sub=u))
                for u in voters
            )
        )
        codes = sorted(r.status_code for r in answers)
        assert codes == [201] * 8 + [409] * 2, [r.text for r in answers]
        resolved = await ok(await http.post(f"{URL}/councils/hd:resolve", headers=ADMIN), 200)
        assert resolved["results"][0]["yes"] == 8 and resolved["results"][0]["passed"] is True
