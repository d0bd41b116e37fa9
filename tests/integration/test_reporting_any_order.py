"""With replicas, reporting's consumers apply events in whatever order the bus hands them out:
the projections that keep only the latest state of an aggregate (covenants, block scores,
acclaims; a work's and an initiative's details, benefit and decision) keep its version beside
what it set, so applying the events reversed or shuffled, one at a time or set-wise, gives the
read model of applying them in order."""

from __future__ import annotations

import random
from typing import Any

import asyncpg

from services.reporting.adapters.projections import projector
from shared.kernel.settings import ReportingSettings
from shared.messaging.tracking import apply_batch, apply_once
from shared.store.eventstore import ensure_database
from tests import reporting_events as ev
from tests.integration.test_reporting_set_wise import _fresh
from tests.support import Isolation

FED = "bac-kan"
TABLES = ("covenants", "block_scores", "acclaims", "works", "initiatives")


def _covenant(block: str, name: str, version: int, **data: Any) -> dict[str, Any]:
    base = {"federation": FED, "block": block, "year": 2023, "block_name": f"Khối {block}"}
    return ev.envelope("registration", name, {**base, **data}, subject=f"covenant:{block}", version=version)


def covenant_events() -> list[dict[str, Any]]:
    """Two blocks' covenants: signed, scored, re-scored (a unit twice on one sheet, a unit left
    off the later sheet), their leaders acclaimed."""
    out = []
    for block, units in (("k1", ["cdcs-a", "cdcs-b", "cdcs-c"]), ("k2", ["cdcs-d", "cdcs-e"])):
        out += [
            _covenant(block, "covenant-signed", 1, units=units, signed_on="2023-01-10"),
            _covenant(
                block,
                "block-scored",
                2,
                units=units,
                scores=[{"unit": u, "score": 70 + i} for i, u in enumerate(units)]
                + [{"unit": units[0], "score": 60}],
            ),
            _covenant(block, "block-scored", 3, units=units, scores=[{"unit": units[1], "score": 99}]),
            _covenant(block, "block-scored", 4, units=units, scores=[{"unit": units[1], "score": 98}]),
            _covenant(block, "block-leader-acclaimed", 5, units=units[1:2], acclaimed_on="2023-12-01"),
        ]
    return out


def _initiative(code: str, name: str, version: int, **data: Any) -> dict[str, Any]:
    base = {"federation": FED, "initiative": code, "author_kind": "member", "author_code": "dv-1"}
    base |= {"unit": "cdcs-a", "unit_path": ["tp", "cdcs-a"], "year": 2023}
    return ev.envelope("registration", name, {**base, **data}, subject=f"initiative:{code}", version=version)


def _work(code: str, name: str, version: int, **data: Any) -> dict[str, Any]:
    base = {"federation": FED, "work": code, "unit": "cdcs-a", "unit_path": ["tp", "cdcs-a"]}
    base |= {"year": 2023, "name": f"Công trình {code}"}
    return ev.envelope("registration", name, {**base, **data}, subject=f"work:{code}", version=version)


def activity_events() -> list[dict[str, Any]]:
    """Initiatives registered, corrected (one to an empty benefit), decided twice; works
    registered, corrected between and after their steps."""
    registered = {"title": "Sáng kiến", "field": "kỹ thuật", "registered_on": "2023-03-01"}
    return [
        _initiative("sk-1", "initiative-registered", 1, **registered, benefit_value=0),
        _initiative("sk-1", "initiative-corrected", 2, title="Sáng kiến (sửa)", field="y", benefit_value=50),
        _initiative("sk-1", "initiative-recognised", 3, benefit_value=120, recognised_on="2023-09-01"),
        _initiative("sk-1", "initiative-rejected", 4, rejected_on="2023-10-01"),
        _initiative("sk-2", "initiative-registered", 1, **registered, benefit_value=10),
        _initiative("sk-2", "initiative-corrected", 2, title="Sáng kiến 2", field="x", benefit_value=None),
        _initiative("sk-2", "initiative-recognised", 3, benefit_value=None, recognised_on="2023-09-01"),
        _work("ct-1", "work-registered", 1, value=5, occasion="Đại hội X", registered_on="2023-02-01"),
        _work("ct-1", "work-completed", 2, value=5, completed_on="2023-08-01"),
        _work("ct-1", "work-corrected", 3, value=7, occasion="Đại hội XI", corrected=["value"], reason="r"),
        _work("ct-1", "work-plaqued", 4, value=7, plaqued_on="2023-08-20"),
        _work("ct-2", "work-registered", 1, value=3, occasion="Đại hội X", registered_on="2023-02-01"),
        _work("ct-2", "work-corrected", 2, value=9, occasion="Đại hội XI", corrected=["value"], reason="r"),
        _work("ct-2", "work-completed", 3, value=9, completed_on="2023-08-01"),
    ]


async def _read_model(conn: asyncpg.Connection, schema: str) -> dict[str, list[str]]:
    out = {}
    for table in TABLES:
        rows = await conn.fetch(f'SELECT t::text AS r FROM "{schema}".{table} t')
        out[table] = sorted(r["r"] for r in rows)
    return out


async def _one_at_a_time(conn: asyncpg.Connection, schema: str, events: list[dict[str, Any]]) -> None:
    await _fresh(conn, schema)
    project = projector(schema)
    async with conn.transaction():
        for e in events:
            await apply_once(conn, schema, "reporting", e, project)


async def test_latest_state_projections_give_the_same_read_model_in_any_order(isolation: Isolation) -> None:
    """Given covenants', works' and initiatives' events, when they are applied reversed, shuffled,
    or set-wise in shuffled batches, then their read models equal the in-order read model."""
    events = covenant_events() + activity_events()
    ensure_database(isolation.settings(ReportingSettings))
    conn = await asyncpg.connect(isolation.database_url)
    try:
        await _one_at_a_time(conn, "in_order", events)
        expected = await _read_model(conn, "in_order")
        assert len(expected["block_scores"]) == 5 and len(expected["acclaims"]) == 2
        assert any("cdcs-b,98" in r for r in expected["block_scores"])
        assert any("cdcs-a,60" in r for r in expected["block_scores"])
        works = {r.split(",")[1]: r for r in expected["works"]}
        assert ',7,"Đại hội XI",' in works["ct-1"] and "2023-08-20" in works["ct-1"], works
        initiatives = {r.split(",")[1]: r for r in expected["initiatives"]}
        assert '"Sáng kiến (sửa)",y,' in initiatives["sk-1"] and ",120," in initiatives["sk-1"], initiatives
        assert ",,2023-03-01,2023-09-01,," in initiatives["sk-2"], initiatives  # its benefit emptied
        rng = random.Random(21)
        orders = [list(reversed(events))] + [rng.sample(events, len(events)) for _ in range(4)]
        for order in orders:
            await _one_at_a_time(conn, "any_order", order)
            assert await _read_model(conn, "any_order") == expected
        for order in orders:
            await _fresh(conn, "set_wise")
            project = projector("set_wise")
            for i in range(0, len(order), 4):
                async with conn.transaction():
                    await apply_batch(conn, "set_wise", "reporting", order[i : i + 4], project, project.batch)
            assert await _read_model(conn, "set_wise") == expected
    finally:
        for schema in ("in_order", "any_order", "set_wise"):
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.close()
