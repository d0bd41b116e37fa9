"""Issue 13, recovery in the other services: awards' copy of registration's facts and reporting's
read models keep an event holding a NUL (with U+FFFD in its place) and record the problem instead
of dead-lettering it; a rebuild from position 0 copes; a correction renames the subject in every
copy and resolves the problems. One test follows a NUL member and its correction from
registration's log over the bus into both."""

from __future__ import annotations

import asyncio
import random
from datetime import date
from typing import Any

import asyncpg
import pytest

from services.awards.bootstrap import build_app as awards_app
from services.awards.bootstrap import parts_of as awards_parts
from services.awards.bootstrap import runtime as awards_runtime
from services.awards.domain.grants import Grant
from services.registration.bootstrap import build_app as registration_app
from services.registration.bootstrap import runtime as registration_runtime
from services.reporting.adapters.projections import projector
from services.reporting.application.rebuild import compare, rebuild
from services.reporting.bootstrap import runtime as reporting_runtime
from shared.kernel.settings import AwardsSettings, RegistrationSettings, ReportingSettings
from shared.messaging.storable import unstorable_fields
from shared.messaging.tracking import apply_batch, apply_once
from shared.store.eventstore import ensure_database
from tests import reporting_events as ev
from tests.integration.poisoned_log import BK, NUL_NAME, SHOWN, poison, seed
from tests.integration.test_awards_directory import publish
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.integration.test_reporting_rebuild import ListFeed
from tests.integration.test_reporting_set_wise import _fresh, _rows
from tests.support import Isolation, eventually, in_process

FED = "bac-kan"


def member(full_name: str = NUL_NAME) -> dict[str, Any]:
    return ev.envelope(
        "registration",
        "member-registered",
        {
            "federation": FED,
            "code": "nul1",
            "full_name": full_name,
            "unit": "cdcs-a",
            "unit_path": ["tp", "cdcs-a"],
        },
        subject="member:nul1",
    )


def corrected(what: str, data: dict[str, Any], subject: str, version: int = 2) -> dict[str, Any]:
    return ev.envelope(
        "registration",
        f"{what}-corrected",
        {"federation": FED, **data, "reason": "the old import stored a NUL"},
        subject=subject,
        version=version,
    )


def member_corrected() -> dict[str, Any]:
    return corrected("member", {"home": FED, "code": "nul1", "full_name": "An Nguyễn"}, "member:nul1")


def unit_with_nul() -> dict[str, Any]:
    return ev.unit(FED, "to-1", ["tp", "cdcs-a", "to-1"], "collective", name="To\x00 1")


def pledge_of_the_member() -> dict[str, Any]:
    pledge = ev.pledge(FED, "member", "nul1", "ldtt", ["tp", "cdcs-a"])
    pledge["data"]["subject_name"] = NUL_NAME
    return pledge


def log() -> list[dict[str, Any]]:
    """A registration log holding NULs, then the corrections."""
    return [
        ev.envelope("registration", "federation-created", {"federation": FED, "name": "BK\x00"}, subject="f"),
        ev.unit(FED, "tp", ["tp"], "upper"),
        ev.unit(FED, "cdcs-a", ["tp", "cdcs-a"]),
        unit_with_nul(),
        member(),
        pledge_of_the_member(),
        member_corrected(),
        corrected("unit", {"home": FED, "code": "to-1", "name": "Tổ 1"}, f"unit:{FED}:to-1"),
        corrected("federation", {"name": "LĐLĐ Bắc Kạn"}, "f"),
    ]


async def open_and_resolved(db: Any, schema: str) -> tuple[int, int]:
    row = await db.fetchrow(
        f"SELECT count(*) FILTER (WHERE resolved_at IS NULL) AS open, "
        f'count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved FROM "{schema}".problems'
    )
    return int(row["open"]), int(row["resolved"])


async def test_awards_keeps_a_nul_member_and_records_the_problem(isolation: Isolation) -> None:
    rt = awards_runtime(
        isolation.settings(AwardsSettings, consumer_max_deliveries=3), frozenset({"consumer"})
    )
    await rt.start()
    try:
        await publish(isolation, [member()])

        async def held() -> None:
            name = await rt.db.fetchval("SELECT name FROM awards.subjects WHERE code = 'nul1'")
            assert name == SHOWN

        await eventually(held)
        [problem] = await rt.db.fetch("SELECT * FROM awards.problems")
        assert (problem["reader"], problem["service"], problem["outcome"]) == (
            "awards.registration",
            "registration",
            "replaced",
        )
        assert (problem["subject_kind"], problem["subject_code"]) == ("member", "nul1")
        assert "data.full_name" in problem["problem"]
        assert await rt.db.fetchval("SELECT count(*) FROM awards.dead_letters") == 0
        health = await rt.health()
        assert health["problems"]["open"] == 1 and health["problems"]["state"] == "attention"
    finally:
        await rt.stop()


async def test_a_correction_renames_the_member_in_awards_copy_and_resolves_the_problem(
    isolation: Isolation,
) -> None:
    rt = awards_runtime(isolation.settings(AwardsSettings), frozenset({"consumer"}))
    await rt.start()
    try:
        await publish(isolation, [member(), member_corrected()])

        async def renamed() -> None:
            name = await rt.db.fetchval("SELECT name FROM awards.subjects WHERE code = 'nul1'")
            assert name == "An Nguyễn"
            assert await open_and_resolved(rt.db, "awards") == (0, 1)

        await eventually(renamed)
        assert (await rt.health())["problems"]["state"] == "ok"
    finally:
        await rt.stop()


async def test_reporting_keeps_a_nul_member_and_records_the_problem(isolation: Isolation) -> None:
    settings = isolation.settings(ReportingSettings, consumer_max_deliveries=3)
    rt = reporting_runtime(settings, frozenset({"consumer"}))
    await rt.start()
    try:
        clean = ev.unit(FED, "cdcs-a", ["tp", "cdcs-a"])
        await publish(isolation, [clean, member(), pledge_of_the_member()])

        async def held() -> None:
            names = await rt.db.fetch("SELECT full_name FROM reporting.members WHERE code = 'nul1'")
            assert [r["full_name"] for r in names] == [SHOWN]
            pledged = await rt.db.fetchval("SELECT subject_name FROM reporting.pledges")
            assert pledged == SHOWN
            assert await rt.db.fetchval("SELECT count(*) FROM reporting.units") == 1

        await eventually(held)
        history = await rt.db.fetchval("SELECT count(*) FROM reporting.history WHERE subject_code = 'nul1'")
        assert history == 2  # the registration and the pledge
        assert await rt.db.fetchval("SELECT count(*) FROM reporting.dead_letters") == 0
        assert await open_and_resolved(rt.db, "reporting") == (2, 0)
        assert (await rt.health())["problems"]["open"] == 2
    finally:
        await rt.stop()


async def test_corrections_rename_member_unit_and_federation_in_reporting(isolation: Isolation) -> None:
    rt = reporting_runtime(isolation.settings(ReportingSettings), frozenset({"consumer"}))
    await rt.start()
    try:
        await publish(isolation, log())

        async def renamed() -> None:
            assert await open_and_resolved(rt.db, "reporting") == (0, 4)

        await eventually(renamed)
        db = rt.db
        assert await db.fetchval("SELECT full_name FROM reporting.members WHERE code = 'nul1'") == "An Nguyễn"
        assert await db.fetchval("SELECT subject_name FROM reporting.pledges") == "An Nguyễn"
        assert await db.fetchval("SELECT name FROM reporting.units WHERE code = 'to-1'") == "Tổ 1"
        assert await db.fetchval("SELECT name FROM reporting.federations") == "LĐLĐ Bắc Kạn"
        what = await db.fetch(
            "SELECT what, detail->>'reason' AS reason FROM reporting.history "
            "WHERE subject_code = 'nul1' ORDER BY occurred_at, what"
        )
        assert ("member-corrected", "the old import stored a NUL") in [(r["what"], r["reason"]) for r in what]
    finally:
        await rt.stop()


async def test_a_reporting_rebuild_from_position_0_copes_with_nul_events(isolation: Isolation) -> None:
    settings = isolation.settings(ReportingSettings)
    events = log()
    for i, e in enumerate(events, 1):
        e["sequence"] = i
    ensure_database(settings)
    outcome = await rebuild(
        settings.database_url, "reporting", [ListFeed("registration", events)], swap=False, target="rebuilt"
    )
    assert outcome.applied == len(events)
    conn = await asyncpg.connect(settings.database_url)
    try:
        assert await conn.fetchval("SELECT full_name FROM rebuilt.members") == "An Nguyễn"
        assert await conn.fetchval("SELECT name FROM rebuilt.units WHERE code = 'to-1'") == "Tổ 1"
        assert await open_and_resolved(conn, "rebuilt") == (0, 4)
        index = await conn.fetchval("SELECT count(*) FROM pg_indexes WHERE indexname = 'problems_open'")
        assert index == 1  # restored after the bulk load
    finally:
        await conn.close()


async def test_a_rebuild_equals_the_live_read_models_with_nul_events(isolation: Isolation) -> None:
    settings = isolation.settings(ReportingSettings)
    events = log()[:6]  # the NULs, not yet corrected
    for i, e in enumerate(events, 1):
        e["sequence"] = i
    rt = reporting_runtime(settings, frozenset({"consumer"}))
    await rt.start()
    try:
        await publish(isolation, events)

        async def consumed() -> None:
            assert await rt.db.fetchval("SELECT count(*) FROM reporting.processed_events") == len(events)

        await eventually(consumed)
        await rebuild(
            settings.database_url, "reporting", [ListFeed("registration", events)], swap=False, target="check"
        )
        differences = await compare(settings.database_url, "reporting", "check")
        assert all(v == {"missing_in_live": 0, "extra_in_live": 0} for v in differences.values()), differences
    finally:
        await rt.stop()


@pytest.mark.parametrize("seed", [1, 2])
async def test_set_wise_batches_with_corrections_equal_one_at_a_time(isolation: Isolation, seed: int) -> None:
    rng = random.Random(seed)
    events = [
        ev.envelope("registration", "federation-created", {"federation": FED, "name": "BK"}, subject="f"),
        ev.unit(FED, "tp", ["tp"], "upper"),
        ev.unit(FED, "cdcs-a", ["tp", "cdcs-a"]),
        member("An Nguyen"),
        ev.pledge(FED, "member", "nul1", "ldtt", ["tp", "cdcs-a"]),
        ev.unit(FED, "to-1", ["tp", "cdcs-a", "to-1"], "collective"),
        *log()[6:],  # the three corrections
        ev.pledge(FED, "member", "nul1", "bang-khen", ["tp", "cdcs-a"]),
        ev.unit_moved(FED, "to-1", ["tp", "cdcs-a", "to-1"], ["tp", "to-1"], "2023-07-01", version=3),
    ]
    assert not unstorable_fields(events)
    ensure_database(isolation.settings(ReportingSettings))
    conn = await asyncpg.connect(isolation.database_url)
    try:
        await _fresh(conn, "one_by_one")
        project = projector("one_by_one")
        async with conn.transaction():
            for e in events:
                await apply_once(conn, "one_by_one", "reporting", e, project)
        expected = await _rows(conn, "one_by_one")
        assert "An Nguyễn" in str(expected["pledges"]) and "Tổ 1" in str(expected["units"])
        for size in (len(events), rng.randint(2, 5)):
            await _fresh(conn, "set_wise")
            project = projector("set_wise")
            for i in range(0, len(events), size):
                async with conn.transaction():
                    await apply_batch(
                        conn, "set_wise", "reporting", events[i : i + size], project, project.batch
                    )
            got = await _rows(conn, "set_wise")
            for table in expected:
                if table != "processed_events":
                    assert got[table] == expected[table], (size, table)
    finally:
        for schema in ("one_by_one", "set_wise"):
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.close()


async def test_a_nul_member_and_its_correction_travel_to_awards_and_reporting(isolation: Isolation) -> None:
    registration = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api", "relay"}))
    awards = awards_runtime(isolation.settings(AwardsSettings), frozenset({"consumer"}))
    reporting = reporting_runtime(isolation.settings(ReportingSettings), frozenset({"consumer"}))
    await awards.start()
    await reporting.start()
    try:
        async with in_process(registration, registration_app) as http:
            await seed(http)
            await poison(http, registration.application)

            async def copied(name: str) -> None:
                assert (
                    await awards.db.fetchval("SELECT name FROM awards.subjects WHERE code = 'nul1'") == name
                )
                rows = await reporting.db.fetch("SELECT full_name FROM reporting.members WHERE code = 'nul1'")
                assert [r["full_name"] for r in rows] == [name]
                pledged = await reporting.db.fetchval(
                    "SELECT subject_name FROM reporting.pledges WHERE subject_code = 'nul1'"
                )
                assert pledged == name

            await eventually(lambda: copied(SHOWN))
            assert (await awards.health())["problems"]["open"] == 2  # the member, the unit
            assert (await reporting.health())["problems"]["open"] == 4
            body = {"full_name": "An Nguyễn", "reason": "the old import stored a NUL"}
            await post(http, BK + "/members/nul1:correct", body, NATIONAL, status=200)
            await eventually(lambda: copied("An Nguyễn"))
            listed = {m["code"]: m["full_name"] for m in (await get(http, BK + "/members"))["items"]}
            assert listed["nul1"] == "An Nguyễn"

            async def resolved() -> None:
                assert await open_and_resolved(awards.db, "awards") == (1, 1)  # the unit's is left
                assert await open_and_resolved(reporting.db, "reporting") == (2, 2)  # unit, federation

            await eventually(resolved)
            for rt in (awards, reporting):
                assert (
                    await rt.db.fetchval(f'SELECT count(*) FROM "{rt.settings.schema_name}".dead_letters')
                    == 0
                )
    finally:
        await asyncio.gather(awards.stop(), reporting.stop())


def grant(code: str, number: str) -> Grant:
    return Grant(
        federation=FED,
        subject_kind="member",
        subject_code=code,
        subject_name=code,
        unit="cdcs-a",
        unit_path=["tp", "cdcs-a"],
        award="ldtt",
        award_name="Lao động tiên tiến",
        level="grassroots",
        year=2023,
        decision_id="d",
        decision_number=number,
        decision_date=date(2023, 12, 22),
        signer="Hoàng Thị Thu",
        authority="ldld:bac-kan",
        source="decision",
        meta={"actor": "old-deployment", "scope": "*"},
    )


async def test_awards_own_lists_keep_a_grant_holding_a_nul(isolation: Isolation) -> None:
    rt = awards_runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, awards_app) as http:
        await asyncio.to_thread(rt.application.save, grant("dv-1", "45/QĐ\x00"), grant("dv-2", "46/QĐ"))
        await awards_parts(rt).index.catch_up()
        r = await http.get(f"/v1/federations/{FED}/grants", headers=NATIONAL, params={"year": 2023})
        assert r.status_code == 200, r.text
        numbers = {g["subject_code"]: g["decision_number"] for g in r.json()["items"]}
        assert numbers == {"dv-1": "45/QĐ\ufffd", "dv-2": "46/QĐ"}
        [problem] = await rt.db.fetch("SELECT * FROM awards.problems")
        assert (problem["reader"], problem["event_type"], problem["outcome"]) == (
            "awards.index",
            "Grant.Granted",
            "replaced",
        )
        assert "decision_number" in problem["problem"]
