"""Reports from known event sets: withdrawn pledges, revoked grants, a unit moved mid-year,
a merged federation, initiatives against target, works, block rotation, xlsx export."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import openpyxl
import pytest

from services.reporting.adapters.projections import projector
from services.reporting.bootstrap import build_app, runtime
from shared.kernel.settings import ReportingSettings
from shared.messaging.tracking import apply_once
from tests import reporting_events as ev
from tests.support import Isolation, bearer, in_process

NATIONAL = bearer("*", ["reader"])
BAC_KAN = bearer("bac-kan", ["reader"])

TP, HUYEN = ["tp"], ["huyen"]
A, B, C = ["tp", "cdcs-a"], ["tp", "cdcs-b"], ["huyen", "cdcs-c"]


def events() -> list[dict[str, Any]]:
    fed = "bac-kan"
    out = [
        ev.envelope(
            "registration", "federation-created", {"federation": fed, "name": "Bắc Kạn"}, subject=fed
        ),
        ev.envelope(
            "registration",
            "federation-created",
            {"federation": "thai-nguyen", "name": "Thái Nguyên"},
            subject="thai-nguyen",
        ),
        ev.unit(fed, "tp", TP, "upper"),
        ev.unit(fed, "huyen", HUYEN, "upper"),
        ev.unit(fed, "cdcs-a", A),
        ev.unit(fed, "cdcs-b", B),
        ev.unit(fed, "cdcs-c", C),
        # cdcs-c moves from the district to the city on 1 July 2023
        ev.unit_moved(fed, "cdcs-c", C, ["tp", "cdcs-c"], "2023-07-01"),
    ]
    members = [
        ev.pledge(fed, "member", f"dv-{i}", "bang-khen-ldld", A if i < 3 else C, phase="Đợt 1")
        for i in range(5)
    ]
    units = [ev.pledge(fed, "unit", code, "ttldtt", path) for code, path in (("cdcs-a", A), ("cdcs-b", B))]
    out += members + units + [ev.pledge_withdrawn(members[4])]
    g1 = ev.grant(fed, "member", "dv-0", "bang-khen-ldld", A)
    g2 = ev.grant(fed, "member", "dv-1", "bang-khen-ldld", A)
    g3 = ev.grant(fed, "unit", "cdcs-b", "bang-khen-ubnd-tinh", B, level="state", authority="ubnd-tinh")
    out += [g1, g2, g3, ev.revoked(g2, "2024-03-01", "2024-03-01T09:00:00+07:00")]
    out += ev.initiative(fed, "sk-1", A, 2023, 100_000_000) + ev.initiative(fed, "sk-2", B, 2023, 50_000_000)
    out += ev.initiative(fed, "sk-3", C, 2023)
    out += [ev.target(fed, fed, [], "initiatives", 2023, 2)]
    out += ev.work(fed, "ct-1", A, 10_000_000_000, 2023, plaqued=False)
    out += ev.work(fed, "ct-2", B, 5_000_000_000, 2023, plaqued=True)
    out.append(
        ev.envelope(
            "registration",
            "federation-merged",
            {
                "federation": fed,
                "into": "thai-nguyen",
                "effective_on": "2025-07-01",
                "units": ["tp", "huyen"],
            },
            subject=fed,
            version=2,
        )
    )
    return out


async def feed(rt: Any, envelopes: list[dict[str, Any]]) -> None:
    project = projector(rt.settings.schema_name)
    async with rt.db.acquire() as conn, conn.transaction():
        for e in envelopes:
            await apply_once(conn, rt.settings.schema_name, "reporting", e, project)


async def get(http: httpx.AsyncClient, path: str, headers: dict[str, str] = BAC_KAN, **params: Any) -> Any:
    r = await http.get(path, params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
async def known(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given reporting fed the known event set (`events`): its API."""
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await feed(rt, events())
        yield http


async def test_a_withdrawn_pledge_is_listed_by_state_but_not_counted(known: httpx.AsyncClient) -> None:
    # When the year's registrations are asked for
    reg = await get(known, "/v1/federations/bac-kan/reports/registrations", year=2023)
    # Then the 5 members and 2 units count, less the withdrawn member, which shows by state
    assert reg["pledged"] == 6
    assert reg["by_state"] == {"submitted": 6, "withdrawn": 1}
    by_award = {(g["award"], g["subject_kind"]): g["pledged"] for g in reg["by_award"]}
    assert by_award == {("bang-khen-ldld", "member"): 4, ("ttldtt", "unit"): 2}
    assert reg["by_phase"] == [{"movement": "td-2023", "phase": "Đợt 1", "pledged": 4}]


async def test_units_roll_up_as_the_tree_stood_on_the_report_date(known: httpx.AsyncClient) -> None:
    path = "/v1/federations/bac-kan/reports/registrations"
    # When the report is dated at year end: cdcs-c (2 pledges, one withdrawn) is under the city
    reg = await get(known, path, year=2023)
    assert {u["unit"]: u["pledged"] for u in reg["by_unit"]} == {"tp": 6}
    # When it is dated before the move on 1 July: cdcs-c is under the district
    mid = await get(known, path, year=2023, as_of="2023-06-30")
    assert {u["unit"]: u["pledged"] for u in mid["by_unit"]} == {"tp": 5, "huyen": 1}
    # When it is the city's subtree: its units one level below
    city = await get(known, path, year=2023, unit="tp")
    assert {u["unit"]: u["pledged"] for u in city["by_unit"]} == {"cdcs-a": 4, "cdcs-b": 1, "cdcs-c": 1}


async def test_a_grant_revoked_later_counts_as_granted_until_its_revocation(known: httpx.AsyncClient) -> None:
    path = "/v1/federations/bac-kan/reports/awards"
    # When the awards report is dated before the revocation (1 March 2024): three granted
    end_2023 = await get(known, path, year=2023)
    assert end_2023["granted"] == 3 and end_2023["revoked"] == 0
    # When it is dated after it: two granted, one revoked, and the revoked one achieved nothing
    after = await get(known, path, year=2023, as_of="2024-12-31")
    assert after["granted"] == 2 and after["revoked"] == 1
    achieved = {r["award"]: (r["pledged"], r["achieved"]) for r in after["pledged_vs_achieved"]}
    assert achieved == {"bang-khen-ldld": (4, 1), "ttldtt": (2, 0)}


async def test_initiatives_are_counted_against_the_federations_target(known: httpx.AsyncClient) -> None:
    ini = await get(known, "/v1/federations/bac-kan/reports/initiatives", year=2023)
    assert (ini["registered"], ini["recognised"], ini["benefit_value"]) == (3, 2, 150_000_000)
    assert ini["target"] == 2 and ini["percent_of_target"] == 150.0


async def test_works_are_counted_with_their_value_and_plaques(known: httpx.AsyncClient) -> None:
    works = await get(known, "/v1/federations/bac-kan/reports/works", year=2023)
    assert (works["registered"], works["value"]) == (2, 15_000_000_000)
    assert (works["plaqued"], works["plaqued_value"]) == (1, 5_000_000_000)


async def test_after_a_merge_the_receiving_federation_reports_the_merged_units(
    known: httpx.AsyncClient,
) -> None:
    tn = bearer("thai-nguyen", ["reader"])
    path = "/v1/federations/thai-nguyen/reports/registrations"
    # When Thái Nguyên's staff ask after the merge (1 July 2025): Bắc Kạn's units and figures
    merged = await get(known, path, tn, year=2023, as_of="2025-12-31")
    assert merged["pledged"] == 6
    # When they ask as of 2023: those units were Bắc Kạn's
    before = await get(known, path, tn, year=2023)
    assert before["pledged"] == 0


async def test_a_history_follows_its_member_across_the_merge(known: httpx.AsyncClient) -> None:
    # When the merged-into federation asks for a Bắc Kạn member's history
    history = await get(
        known, "/v1/federations/thai-nguyen/history/member/dv-1", bearer("thai-nguyen", ["reader"])
    )
    # Then it has every line, and the revoked grant is no longer held
    assert [e["what"] for e in history["entries"]] == ["pledge-registered", "award-granted", "award-revoked"]
    assert history["awards_held"] == []
    # When the history is dated before the revocation: the grant was held, with its decision
    then = await get(known, "/v1/federations/bac-kan/history/member/dv-1", as_of="2023-12-31")
    assert then["awards_held"][0]["decision_number"] == "45/QĐ-LĐLĐ"


async def test_each_history_line_names_the_record_an_auditor_can_ask_for(known: httpx.AsyncClient) -> None:
    # Given the known events, When a member's history is read
    history = await get(known, "/v1/federations/bac-kan/history/member/dv-1")
    # Then each line names the service and the record (the envelope's subject) it came from
    by_what = {e["what"]: e["record"] for e in history["entries"]}
    grant = ev.grant("bac-kan", "member", "dv-1", "bang-khen-ldld", A)
    assert by_what["award-granted"] == {"service": "awards", "id": grant["subject"]}
    assert by_what["award-revoked"] == by_what["award-granted"]  # the same grant's trail
    assert by_what["pledge-registered"]["service"] == "registration"


async def test_the_national_report_rolls_up_by_federation_for_a_national_token(
    known: httpx.AsyncClient,
) -> None:
    national = await get(known, "/v1/reports/registrations", NATIONAL, year=2023)
    assert {f["federation"]: f["pledged"] for f in national["by_federation"]} == {
        "bac-kan": 6,
        "thai-nguyen": 0,
    }
    # When a federation's token asks for it: refused
    r = await known.get("/v1/reports/registrations", params={"year": 2023}, headers=BAC_KAN)
    assert r.status_code == 403


async def test_a_report_exports_to_xlsx_with_vietnamese_headings(known: httpx.AsyncClient) -> None:
    xlsx = await known.get(
        "/v1/federations/bac-kan/reports/registrations",
        params={"year": 2023, "format": "xlsx"},
        headers=BAC_KAN,
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    # Then below the title block (6 lines) each grouping's headings and rows are in Vietnamese
    rows = list(book["Theo hình thức"].iter_rows(min_row=7, values_only=True))
    assert rows[0][:3] == ("Hình thức khen thưởng", "Đối tượng", "Số đăng ký")
    assert {(r[0], r[1]): r[2] for r in rows[1:]} == {
        ("Bằng khen của LĐLĐ tỉnh", "Cá nhân"): 4,
        ("Tập thể lao động tiên tiến", "Tập thể"): 2,
    }
    summary = {r[0]: r[1] for r in book["Tổng hợp"].iter_rows(min_row=7, values_only=True)}
    assert summary["Số đăng ký"] == 6  # the layout in full: test_reporting_workbooks.py


async def test_block_rotation_is_flagged(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    fed, units = "cao-bang", ["a", "b", "c"]
    envelopes = []
    recipients = {2020: "a", 2021: "b", 2022: "c", 2023: "a"}
    envelopes.append(ev.unit(fed, "a", ["a"], name="CĐCS A"))
    for year, winner in recipients.items():
        envelopes.append(
            ev.envelope(
                "registration",
                "covenant-signed",
                {
                    "federation": fed,
                    "block": "khoi-1",
                    "block_name": "Khối 1",
                    "year": year,
                    "units": units,
                    "criteria": [],
                    "signed_on": f"{year}-01-15",
                },
                subject=f"cov:{year}",
            )
        )
        envelopes.append(
            ev.grant(fed, "unit", winner, "co-thi-dua-ldld", [winner], year=year, number=f"{year}/QĐ")
        )
    envelopes.append(
        ev.envelope(
            "registration",
            "block-scored",
            {
                "federation": fed,
                "block": "khoi-1",
                "year": 2022,
                "scores": [
                    {"unit": "a", "score": 90},
                    {"unit": "b", "score": 97},
                    {"unit": "c", "score": 85},
                ],
            },
            subject="score:2022",
        )
    )
    async with in_process(rt, build_app) as http:
        await feed(rt, envelopes)
        report = await get(
            http,
            "/v1/federations/cao-bang/reports/rotation",
            bearer("cao-bang", ["reader"]),
            **{"from": 2020, "to": 2023},
        )
        block = report["blocks"][0]
        assert [y["flag_to"] for y in block["years"]] == [["a"], ["b"], ["c"], ["a"]]
        assert block["unit_names"] == {"a": "CĐCS A", "b": "b", "c": "c"}  # a name, else the code
        assert block["strict_rotation"] is True and block["longest_rotation_years"] == 4
        assert block["years_not_to_top_scorer"] == [2022]


async def test_unit_names_come_from_the_reported_federation(isolation: Isolation) -> None:
    """Unit codes repeat across federations: a report names its own federation's units."""
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    envelopes = []
    for fed, name in (("bac-kan", "Thành phố Bắc Kạn"), ("cao-bang", "Thành phố Cao Bằng")):
        envelopes.append(ev.unit(fed, "tp", TP, "upper", name=name))
        envelopes.append(ev.pledge(fed, "member", f"dv-{fed}", "bang-khen-ldld", TP))
        envelopes.append(ev.initiative(fed, f"sk-{fed}", TP, 2023, 1_000_000)[0])
    async with in_process(rt, build_app) as http:
        await feed(rt, envelopes)
        for fed, headers, name in (
            ("bac-kan", BAC_KAN, "Thành phố Bắc Kạn"),
            ("cao-bang", bearer("cao-bang", ["reader"]), "Thành phố Cao Bằng"),
        ):
            reg = await get(http, f"/v1/federations/{fed}/reports/registrations", headers, year=2023)
            assert [(u["unit"], u["unit_name"]) for u in reg["by_unit"]] == [("tp", name)]
            ini = await get(http, f"/v1/federations/{fed}/reports/initiatives", headers, year=2023)
            assert [(u["unit"], u["unit_name"]) for u in ini["by_unit"]] == [("tp", name)]


async def test_national_reports_roll_up_by_federation(isolation: Isolation) -> None:
    """One level below the nation are the federations: unit codes that repeat across federations
    are never added together, and each federation's own target counts for it."""
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    envelopes = []
    for fed, name, n in (("bac-kan", "Bắc Kạn", 2), ("cao-bang", "Cao Bằng", 3)):
        envelopes.append(
            ev.envelope("registration", "federation-created", {"federation": fed, "name": name}, subject=fed)
        )
        envelopes.append(ev.unit(fed, "tp", TP, "upper"))
        envelopes += [ev.pledge(fed, "member", f"dv-{fed}-{i}", "bang-khen-ldld", TP) for i in range(n)]
        for i in range(n):
            envelopes += ev.initiative(fed, f"sk-{fed}-{i}", TP, 2023, 1_000_000)
        envelopes.append(ev.target(fed, fed, [], "initiatives", 2023, 2 * n))
    async with in_process(rt, build_app) as http:
        await feed(rt, envelopes)
        reg = await get(http, "/v1/reports/registrations", NATIONAL, year=2023)
        assert [(u["unit"], u["unit_name"], u["pledged"]) for u in reg["by_unit"]] == [
            ("bac-kan", "Bắc Kạn", 2),
            ("cao-bang", "Cao Bằng", 3),
        ]
        ini = await get(http, "/v1/reports/initiatives", NATIONAL, year=2023)
        assert [(u["unit"], u["registered"], u["target"]) for u in ini["by_unit"]] == [
            ("bac-kan", 2, 4),
            ("cao-bang", 3, 6),
        ]
        assert ini["target"] == 10


async def test_the_history_of_a_subject_the_federation_never_had_is_not_found(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await feed(rt, events())
        for kind, code in (("member", "dv-1"), ("unit", "cdcs-a")):
            known = await get(http, f"/v1/federations/bac-kan/history/{kind}/{code}")
            assert known["entries"] and known["unit_path"], known  # placed, as every line naming a unit
            for fmt in ("json", "xlsx"):
                path = f"/v1/federations/bac-kan/history/{kind}/nobody"
                r = await http.get(path, params={"format": fmt}, headers=BAC_KAN)
                assert r.status_code == 404, (kind, fmt, r.status_code, r.text)
                assert r.json()["detail"] == f"{kind} 'nobody' does not exist in 'bac-kan'"
        # a unit-scoped token: another subtree's member is answered as one that never was
        clerk = bearer("bac-kan/tp/cdcs-b", ["reader"])
        hidden = await http.get("/v1/federations/bac-kan/history/member/dv-1", headers=clerk)
        missing = await http.get("/v1/federations/bac-kan/history/member/dv-99", headers=clerk)
        assert (hidden.status_code, hidden.text.replace("dv-1", "dv-99")) == (404, missing.text)
