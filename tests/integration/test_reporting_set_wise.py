"""Applying batches set-wise (the consumer's and the rebuild's path) gives exactly the read models
of applying the same events one at a time in the same order: a mixed set where later events
override earlier ones for the same key (pledge states, member transfers, unit moves, grant then
revoke and the reverse, nominations, initiative decisions, targets reassigned, block scores
re-scored), delivered out of order and with repeats, cut into batches of several sizes."""

from __future__ import annotations

import random
from typing import Any

import asyncpg
import pytest

from services.reporting.adapters.projections import projector
from services.reporting.adapters.readmodels import SCHEMA_SQL, TABLES
from shared.kernel.settings import ReportingSettings
from shared.messaging.tracking import apply_batch, apply_once, ensure_tracking_tables
from shared.store.eventstore import ensure_database
from tests import reporting_events as ev
from tests.support import Isolation

FED = "bac-kan"
A, B, C = ["tp", "cdcs-a"], ["tp", "cdcs-b"], ["huyen", "cdcs-c"]
COMPARED = (*TABLES, "processed_events", "consumer_positions")


def _e(service: str, name: str, data: dict[str, Any], subject: str, version: int = 1) -> dict[str, Any]:
    return ev.envelope(service, name, {"federation": FED, **data}, subject=subject, version=version)


def _member(code: str, unit: list[str], change: str, version: int) -> dict[str, Any]:
    return _e(
        "registration",
        f"member-{change}",
        {
            "code": code,
            "full_name": f"Nguyễn {code}",
            "unit": unit[-1],
            "unit_path": unit,
            "effective_on": f"2023-0{version}-01",
        },
        f"member:{code}",
        version,
    )


def _pledge_change(first: dict[str, Any], name: str, version: int) -> dict[str, Any]:
    d = first["data"]
    key = f"pledge:{d['federation']}:{d['movement']}:{d['subject_kind']}:{d['subject_code']}:{d['award']}"
    return ev.envelope("registration", name, dict(d), subject=key, version=version)


def _nomination(n: str, name: str, version: int, **extra: Any) -> dict[str, Any]:
    data = {
        "nomination": n,
        "subject_kind": "member",
        "subject_code": f"dv-{n}",
        "award": "bang-khen",
        "year": 2023,
        "subject_name": n,
        "unit": "cdcs-a",
        "unit_path": A,
        "level": "federation",
        "eligible": True,
        "upward": False,
        **extra,
    }
    return _e("awards", f"nomination-{name}", data, f"nomination:{n}", version)


def mixed() -> list[dict[str, Any]]:
    out = [
        _e("registration", "federation-created", {"name": "Bắc Kạn"}, FED),
        ev.unit(FED, "tp", ["tp"], "upper"),
        ev.unit(FED, "huyen", ["huyen"], "upper"),
        ev.unit(FED, "cdcs-a", A),
        ev.unit(FED, "cdcs-c", C),
        ev.unit_moved(FED, "cdcs-c", C, ["tp", "cdcs-c"], "2023-07-01"),
        ev.unit_moved(FED, "cdcs-c", ["tp", "cdcs-c"], C, "2024-01-01", version=3),
        # back-dated, told after the moves above them: they follow them (organisation.py)
        ev.unit(FED, "to-d", [*C, "to-d"], effective_on="2023-01-01"),
        ev.unit_moved(FED, "huyen", ["huyen"], ["tp", "huyen"], "2024-06-01"),
        ev.unit_moved(FED, "cdcs-a", A, ["huyen", "cdcs-a"], "2023-03-01"),
        _e(
            "registration",
            "unit-merged",
            {"code": "cdcs-b", "into": "cdcs-a", "effective_on": "2024-02-01"},
            "unit:cdcs-b",
            5,
        ),
        _e("registration", "movement-closed", {"code": "td-2023", "closed_on": "2023-12-31"}, "mv", 2),
        _e(
            "registration",
            "movement-launched",
            {
                "code": "td-2023",
                "name": "Thi đua",
                "year": 2023,
                "kind": "annual",
                "phases": [{"name": "Đợt 1"}],
                "awards": ["bang-khen"],
                "registration_deadline": "2023-03-31",
                "launched_by": "ldld",
            },
            "mv",
        ),
    ]
    for i in range(6):
        out += [_member(f"dv-{i}", A, "registered", 1), _member(f"dv-{i}", C, "transferred", 2)]
    out.append(_member("dv-0", C, "left", 3))
    pledges = [ev.pledge(FED, "member", f"dv-{i}", "bang-khen", A) for i in range(6)]
    out += pledges
    out += [
        _pledge_change(pledges[0], "pledge-accepted", 2),
        _pledge_change(pledges[1], "pledge-returned", 2),
        _pledge_change(pledges[1], "pledge-resubmitted", 3),
        _pledge_change(pledges[1], "pledge-accepted", 4),
    ]
    out.append(ev.pledge_withdrawn(pledges[2]))
    out += [
        _pledge_change(pledges[3], "pledge-accepted", 3),
        _pledge_change(pledges[3], "pledge-returned", 2),
    ]
    for n in ("n1", "n2", "n3"):
        out.append(_nomination(n, "submitted", 1))
    out += [_nomination("n1", "withdrawn", 2), _nomination("n2", "forwarded", 2, to="national")]
    out.append(
        _e(
            "awards",
            "council-resolved",
            {
                "year": 2023,
                "results": [
                    {
                        "nomination": "n2",
                        "passed": True,
                        "subject_kind": "member",
                        "subject_code": "dv-n2",
                        "award": "bang-khen",
                    },
                    {"nomination": "n3", "passed": False},
                    {"nomination": "n3", "passed": True},
                ],
            },
            "council",
        )
    )
    grants = [ev.grant(FED, "member", f"dv-{i}", "bang-khen", A) for i in range(4)]
    grants[0]["data"]["nomination"] = "n2"
    out += [ev.revoked(grants[3], "2024-03-01", "2024-03-01T09:00:00+07:00")]  # before its grant
    out += [*grants, ev.revoked(grants[1], "2024-04-01", "2024-04-01T09:00:00+07:00")]
    out += [
        _e(
            "awards",
            "rating-recorded",
            {"subject_kind": "member", "subject_code": f"dv-{i}", "year": 2023, "rating": "good"},
            f"rating:{i}",
        )
        for i in range(4)
    ]
    out += ev.initiative(FED, "sk-1", A, 2023, 100) + ev.initiative(FED, "sk-2", B, 2023, None)
    out += [
        _e(
            "registration",
            "initiative-rejected",
            {"initiative": "sk-1", "unit": "cdcs-a", "year": 2023, "rejected_on": "2023-10-01"},
            "initiative:x",
            3,
        )
    ]
    out += ev.work(FED, "ct-1", A, 5, 2023, plaqued=True) + ev.work(FED, "ct-2", B, 7, 2023, plaqued=False)
    out += [ev.target(FED, "tp", ["tp"], "initiatives", 2023, 2)]
    retarget = ev.target(FED, "tp", ["tp"], "initiatives", 2023, 5)
    retarget["version"], retarget["id"] = 2, "00000000-0000-0000-0000-00000000f002"
    out.append(retarget)
    block = {"block": "k1", "year": 2023, "block_name": "Khối 1", "units": ["cdcs-a", "cdcs-c"]}
    out += [
        _e("registration", "covenant-signed", {**block, "signed_on": "2023-01-10"}, "block:k1"),
        _e(
            "registration",
            "block-scored",
            {
                **block,
                "scores": [
                    {"unit": "cdcs-a", "score": 90},
                    {"unit": "cdcs-c", "score": 80},
                    {"unit": "cdcs-a", "score": 95},
                ],
            },
            "block:k1",
            2,
        ),
        _e(
            "registration",
            "block-scored",
            {**block, "scores": [{"unit": "cdcs-c", "score": 85}]},
            "block:k1",
            3,
        ),
        _e("registration", "block-leader-acclaimed", {**block, "acclaimed_on": "2023-12-01"}, "block:k1", 4),
        _e(
            "registration", "federation-merged", {"into": "thai-nguyen", "effective_on": "2025-07-01"}, FED, 2
        ),
        _e("awards", "decision-issued", {"number": "1"}, "decision"),
    ]
    return out


def deliveries(seed: int) -> list[dict[str, Any]]:
    """Log order locally disturbed (neighbours swapped), with about one event in ten repeated."""
    rng = random.Random(seed)
    out = mixed()
    for i in range(len(out) - 1):
        if rng.random() < 0.3:
            out[i], out[i + 1] = out[i + 1], out[i]
    for e in list(out):
        if rng.random() < 0.1:
            out.insert(rng.randrange(len(out)), e)
    return out


async def _fresh(conn: asyncpg.Connection, schema: str) -> None:
    await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE; CREATE SCHEMA "{schema}"')
    await conn.execute(SCHEMA_SQL.format(s=schema))
    await ensure_tracking_tables(conn, schema)


async def _rows(conn: asyncpg.Connection, schema: str) -> dict[str, list[str]]:
    out = {}
    for table in COMPARED:
        rows = await conn.fetch(f'SELECT t::text AS r FROM "{schema}".{table} t')
        out[table] = sorted(r["r"] for r in rows)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_set_wise_batches_equal_one_at_a_time(isolation: Isolation, seed: int) -> None:
    events = deliveries(seed)
    ensure_database(isolation.settings(ReportingSettings))
    conn = await asyncpg.connect(isolation.database_url)
    try:
        await _fresh(conn, "one_by_one")
        project = projector("one_by_one")
        async with conn.transaction():
            for e in events:
                await apply_once(conn, "one_by_one", "reporting", e, project)
        await conn.execute("UPDATE one_by_one.processed_events SET processed_at = '2000-01-01'")
        expected = await _rows(conn, "one_by_one")
        assert expected["grants"] and expected["pledges"] and expected["nominations"]
        rng = random.Random(seed)
        for sizes in ([len(events)], [1], [3], [50], [rng.randint(1, 40) for _ in range(len(events))]):
            await _fresh(conn, "set_wise")
            project = projector("set_wise")
            i = 0
            for n in sizes * len(events):
                if i >= len(events):
                    break
                async with conn.transaction():
                    await apply_batch(
                        conn, "set_wise", "reporting", events[i : i + n], project, project.batch
                    )
                i += n
            await conn.execute("UPDATE set_wise.processed_events SET processed_at = '2000-01-01'")
            got = await _rows(conn, "set_wise")
            for table in COMPARED:
                assert got[table] == expected[table], (sizes[:3], table)
    finally:
        for schema in ("one_by_one", "set_wise"):
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.close()
