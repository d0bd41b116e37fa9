"""Grants removed by an amendment or with their cancelled decision (issue 18): the awards report
counts them as cancelled, apart from revocations, never as granted (in JSON and in the workbook,
even when the cancellation arrives before its grant); the subject's history shows the grant and
its cancellation, and a corrected name replaces the printed one."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import openpyxl
import pytest

from services.reporting.bootstrap import build_app, runtime
from shared.kernel.settings import ReportingSettings
from tests import reporting_events as ev
from tests.integration.test_reporting_reports import BAC_KAN, feed, get
from tests.support import Isolation, in_process

F = "bac-kan"
A = ["tp", "cdcs-a"]
REPORT = f"/v1/federations/{F}/reports/awards"


def cancelled(g: dict[str, Any], by: str) -> dict[str, Any]:
    """`grant-cancelled` of grant `g`, as awards publishes it."""
    d = g["data"]
    keep = ("federation", "subject_kind", "subject_code", "subject_name", "unit", "unit_path", "award")
    data = {k: d[k] for k in (*keep, "award_name", "level", "year", "decision_id", "decision_number")}
    data |= {"reason": "Ban hành sai thẩm quyền", "cancelled_on": "2024-01-15", "by": by}
    subject = f"grant:{F}:{d['subject_kind']}:{d['subject_code']}:{d['award']}:{d['year']}"
    return ev.envelope("awards", "grant-cancelled", data, subject=subject, version=2)


def corrected(g: dict[str, Any], name: str) -> dict[str, Any]:
    d = g["data"]
    data = {
        k: d[k] for k in ("federation", "subject_kind", "subject_code", "unit", "unit_path", "award", "year")
    }
    data |= {"decision_number": d["decision_number"], "subject_name": name, "was": d["subject_name"]}
    data |= {"reason": "Đính chính họ tên"}
    subject = f"grant:{F}:{d['subject_kind']}:{d['subject_code']}:{d['award']}:{d['year']}"
    return ev.envelope(
        "awards", "grant-corrected", data, subject=subject, version=3, time="2024-01-20T09:00:00+07:00"
    )


def events() -> list[dict[str, Any]]:
    out = [ev.envelope("registration", "federation-created", {"federation": F, "name": "Bắc Kạn"}, subject=F)]
    out += [ev.unit(F, "tp", ["tp"], "upper"), ev.unit(F, "cdcs-a", A)]
    kept, removed, revoked, early = (
        ev.grant(F, "member", f"dv-{i}", "bang-khen-ldld", A) for i in range(1, 5)
    )
    return [
        *out,
        kept,
        corrected(kept, "Nguyễn Văn Ân"),
        removed,
        cancelled(removed, "amendment"),
        revoked,
        ev.revoked(revoked, "2024-01-10", "2024-01-10T09:00:00+07:00"),
        cancelled(early, "cancellation"),  # overtakes its grant
        early,
    ]


@pytest.fixture
async def known(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given reporting fed four grants of 2023: one standing (its name corrected), one removed
    by an amendment, one revoked, one cancelled with its decision before its grant arrived."""
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await feed(rt, events())
        yield http


async def test_given_cancelled_grants_when_reported_then_they_are_counted_apart_from_revoked_and_granted(
    known: httpx.AsyncClient,
) -> None:
    report = await get(known, REPORT, year=2023, as_of="2024-06-30")
    assert (report["granted"], report["revoked"], report["cancelled"]) == (1, 1, 2)
    [line] = report["by_award"]
    assert (line["granted"], line["revoked"], line["cancelled"]) == (1, 1, 2)
    assert [p["granted"] for p in report["by_period"]] == [1]


async def test_given_cancelled_grants_when_the_workbook_is_made_then_it_counts_them_apart(
    known: httpx.AsyncClient,
) -> None:
    r = await known.get(
        REPORT, params={"year": 2023, "format": "xlsx", "as_of": "2024-06-30"}, headers=BAC_KAN
    )
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=7, values_only=True)}
    assert (summary["Số được khen"], summary["Số bị thu hồi"]) == (1, 1)
    assert summary["Số bị hủy (quyết định sửa đổi, hủy bỏ)"] == 2


async def test_given_a_removed_grant_then_the_history_shows_the_grant_and_its_cancellation_and_holds_nothing(
    known: httpx.AsyncClient,
) -> None:
    history = await get(known, f"/v1/federations/{F}/history/member/dv-2")
    assert [e["what"] for e in history["entries"]] == ["award-granted", "grant-cancelled"]
    assert (
        history["entries"][1]["by"] == "amendment" and history["entries"][1]["cancelled_on"] == "2024-01-15"
    )
    assert history["awards_held"] == []
    kept = await get(known, f"/v1/federations/{F}/history/member/dv-1")
    assert [e["what"] for e in kept["entries"]] == ["award-granted", "grant-corrected"]
    assert len(kept["awards_held"]) == 1
