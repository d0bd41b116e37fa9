"""Bulk pledges through `pledges:batch`: the 2023 Bắc Kạn lists (docs/domain.md, 8. Reports) as the
clerk's Excel file, with every row reported, both modes, and no second effect on a resend."""

from __future__ import annotations

import asyncio
import io
from collections import Counter
from datetime import date
from typing import Any

import httpx
from openpyxl import load_workbook

from services.registration.application import commands as c
from services.registration.application.service import RegistrationApplication
from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context
from tests.support import BusTap, Isolation, bearer, eventually, in_process

NATIONAL = bearer("*")
BK = "/v1/federations/bac-kan"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AWARDS = ["co-thi-dua-tld", "bang-khen-tld", "co-thi-dua-ldld", "bang-khen-ldld"]
# docs/domain.md, 8. Reports, seed 000: (award, subject kind, how many).
BAC_KAN_2023 = [
    ("co-thi-dua-tld", "unit", 2),
    ("bang-khen-tld", "unit", 7),
    ("bang-khen-tld", "member", 12),
    ("co-thi-dua-ldld", "unit", 4),
    ("bang-khen-ldld", "unit", 97),
    ("bang-khen-ldld", "member", 305),
]


def seed_tree(app: RegistrationApplication) -> None:
    ctx = Context(actor="seed", scope="*")
    for fed in ("bac-kan", "cao-bang"):
        app.create_federation(ctx, c.CreateFederation(code=fed, name=fed))
    app.register_unit(ctx, "bac-kan", c.RegisterUnit(code="tp-bac-kan", name="LĐLĐ TP Bắc Kạn", kind="upper"))
    app.register_unit(
        ctx, "cao-bang", c.RegisterUnit(code="cdcs-cb", name="CĐCS Cao Bằng", kind="grassroots")
    )
    for i in range(1, 101):
        app.register_unit(
            ctx,
            "bac-kan",
            c.RegisterUnit(code=f"cdcs-{i:03}", name=f"CĐCS số {i}", kind="grassroots", parent="tp-bac-kan"),
        )
    for i in range(1, 306):
        app.register_member(
            ctx,
            "bac-kan",
            c.RegisterMember(code=f"dv-{i:03}", full_name=f"Nguyễn Văn {i}", unit=f"cdcs-{i % 100 + 1:03}"),
        )
    app.launch_movement(
        ctx,
        "bac-kan",
        c.LaunchMovement(
            code="td-2023",
            name="Thi đua 2023",
            year=2023,
            awards=AWARDS,
            registration_deadline=date(2023, 3, 31),
        ),
    )


def rows_2023() -> list[list[Any]]:
    rows: list[list[Any]] = []
    for award, kind, count in BAC_KAN_2023:
        for i in range(1, count + 1):
            code, name = (
                (f"cdcs-{i:03}", f"CĐCS số {i}") if kind == "unit" else (f"dv-{i:03}", f"Nguyen Van {i}")
            )
            label = "Tập thể" if kind == "unit" else "Cá nhân"
            rows.append([len(rows) + 1, "td-2023", award, label, code, name, None, None, "15/02/2023"])
    return rows


async def workbook(http: httpx.AsyncClient, rows: list[list[Any]]) -> bytes:
    template = await http.get(BK + "/pledges:template", headers=NATIONAL)
    assert template.status_code == 200 and template.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)  # the template's example row
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_the_2023_bac_kan_pledges_arrive_on_the_bus(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api", "relay"}))
    async with in_process(rt, build_app) as http, BusTap(isolation) as tap:
        await asyncio.to_thread(seed_tree, rt.application)
        content = await workbook(http, rows_2023())
        upload = {"file": ("dang-ky-2023.xlsx", content, XLSX)}
        keyed = {**NATIONAL, "Idempotency-Key": "bac-kan-2023-list"}
        r = await http.post(BK + "/pledges:batch", files=upload, headers=keyed)
        assert r.status_code == 201, r.text[:2000]
        answer = r.json()
        assert (answer["rows"], answer["accepted"], answer["rejected"]) == (427, 427, 0)
        assert [x["row"] for x in answer["results"]] == list(range(2, 429))
        head = await rt.eventlog.head()  # type: ignore[union-attr]

        again = await http.post(BK + "/pledges:batch", files=upload, headers=keyed)
        assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
        assert again.json() == answer
        assert await rt.eventlog.head() == head  # type: ignore[union-attr]

        async def on_the_bus() -> Counter:
            pledges = [e for e in tap.envelopes() if e["type"] == "tdkt.registration.pledge-registered.v1"]
            assert len(pledges) == 427
            return Counter((e["data"]["award"], e["data"]["subject_kind"]) for e in pledges)

        counts = await eventually(on_the_bus, timeout=60)
        assert counts == Counter({(a, k): n for a, k, n in BAC_KAN_2023})
        sample = next(e for e in tap.envelopes() if e["type"] == "tdkt.registration.pledge-registered.v1")
        assert sample["federation"] == "bac-kan" and sample["actor"] == "tester"
        assert sample["data"]["movement_name"] == "Thi đua 2023" and sample["data"]["year"] == 2023
        listed = (
            await http.get(
                BK + "/pledges", params={"award": "bang-khen-ldld", "limit": 1000}, headers=NATIONAL
            )
        ).json()
        assert len(listed["items"]) == 402 and listed["next_cursor"] is None


def bad_rows() -> list[list[Any]]:
    """500 rows of which 3 are bad: an unknown member, another federation's unit, a wrong date."""
    rows = [r for r in rows_2023() if r[2] == "bang-khen-ldld"]
    rows += [
        [0, "td-2023", "co-thi-dua-ldld", "Tập thể", f"cdcs-{i:03}", None, None, None, "15/02/2023"]
        for i in range(1, 99)
    ]
    rows[9][4] = "dv-999"
    rows[50][4] = "cdcs-cb"
    rows[199][8] = "31/04/2023"
    assert len(rows) == 500
    return rows


async def test_a_list_with_3_bad_rows_among_500(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await asyncio.to_thread(seed_tree, rt.application)
        content = await workbook(http, bad_rows())
        head = await rt.eventlog.head()  # type: ignore[union-attr]
        r = await http.post(
            BK + "/pledges:batch", content=content, headers={**NATIONAL, "content-type": XLSX}
        )
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
        errors = {(e["row"], e["field"], e["column"]) for e in r.json()["errors"]}
        assert errors == {
            (11, "subject_code", "Mã cá nhân / tập thể"),
            (52, "subject_code", "Mã cá nhân / tập thể"),
            (201, "pledged_on", "Ngày đăng ký (dd/mm/yyyy)"),
        }
        assert await rt.eventlog.head() == head  # type: ignore[union-attr]  # all or nothing: nothing

        kept = await http.post(
            BK + "/pledges:batch?mode=keep-good-rows",
            content=content,
            headers={**NATIONAL, "content-type": XLSX},
        )
        assert kept.status_code == 201
        body = kept.json()
        assert (body["accepted"], body["rejected"]) == (497, 3)
        assert [x["row"] for x in body["results"] if x["status"] == "rejected"] == [11, 52, 201]
        listed = (await http.get(BK + "/pledges", params={"limit": 1000}, headers=NATIONAL)).json()
        assert len(listed["items"]) == 497


async def test_json_lists_and_malformed_files_are_refused_by_row_and_field(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await asyncio.to_thread(seed_tree, rt.application)
        head = await rt.eventlog.head()  # type: ignore[union-attr]
        broken = await http.post(
            BK + "/pledges:batch",
            content=b"PK\x03\x04 not really",
            headers={**NATIONAL, "content-type": XLSX},
        )
        assert broken.status_code == 422 and broken.json()["errors"][0]["field"] == "file"
        good = {
            "movement": "td-2023",
            "award": "bang-khen-ldld",
            "subject_kind": "member",
            "subject_code": "dv-001",
            "pledged_on": "2023-02-01",
        }
        rows = [
            good,
            {**good, "subject_code": "dv-002", "subject_name": "Somebody Else"},
            {**good, "subject_kind": "robot"},
            good,
        ]
        r = await http.post(BK + "/pledges:batch", json=rows, headers=NATIONAL)
        assert r.status_code == 422
        assert {(e["row"], e["field"]) for e in r.json()["errors"]} == {
            (2, "subject_name"),
            (3, "subject_kind"),
            (4, "subject_code"),
        }
        too_many = await http.post(BK + "/pledges:batch", json=[good] * 10_001, headers=NATIONAL)
        assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "body"
        foreign = await http.post(BK + "/pledges:batch", json=[good], headers=bearer("cao-bang", ["clerk"]))
        assert foreign.status_code == 404
        clerk = bearer("bac-kan/tp-bac-kan/cdcs-002", ["clerk"])  # dv-001 is in cdcs-002, dv-002 is not
        mixed = [good, {**good, "subject_code": "dv-002"}]
        r = await http.post(BK + "/pledges:batch?mode=keep-good-rows", json=mixed, headers=clerk)
        assert r.status_code == 201 and r.json()["accepted"] == 1
        # dv-002 is another subtree's: answered as a member that does not exist (I5)
        assert r.json()["results"][1]["errors"][0]["field"] == "subject_code"
        assert await rt.eventlog.head() == head + 1  # type: ignore[union-attr]
        ok = await http.post(
            BK + "/pledges:batch", json=[{**good, "subject_code": "dv-003"}], headers=NATIONAL
        )
        assert ok.status_code == 201 and ok.json()["accepted"] == 1
