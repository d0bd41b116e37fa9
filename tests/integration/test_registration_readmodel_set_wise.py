"""Registration's read model caught up set-wise (runs of one kind in one statement) gives exactly the
tables of applying the same log one event at a time: a mixed log of registrations, pledge state
changes (several of one pledge in one run), a transfer, a move and a departure in between, lists of
units (some registered late under a parent that moved since), activity lists, and events the read
model does not project, read in pages of several sizes."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import asyncpg
import pytest

from services.registration.adapters import activity_lists, readmodel
from services.registration.adapters.readmodel import ReadModel
from shared.kernel.settings import RegistrationSettings
from shared.messaging.eventlog import LoggedEvent
from shared.store.eventstore import ensure_database
from tests.support import Isolation

FED = "bac-kan"
ORG = "services.registration.domain.organisation"
MEMBERS = "services.registration.domain.members"
PLEDGES = "services.registration.domain.pledges"
MOVEMENTS = "services.registration.domain.movements"
PROGRAMMES = "services.registration.domain.programmes"
_classes: dict[tuple[str, str], type] = {}


def event(module: str, qualname: str, **attrs: Any) -> Any:
    """A stand-in for the domain event (the read model reads its class's module and name, and fields)."""
    key = (module, qualname)
    if key not in _classes:
        _classes[key] = type(
            qualname.rsplit(".", 1)[-1],
            (),
            {"__module__": module, "__qualname__": qualname, "__init__": _init},
        )
    return _classes[key](**attrs)


def _init(self: Any, **attrs: Any) -> None:
    self.__dict__.update(attrs)


WEIRD = 'cdcs-"c",{d}'  # a code that a hand-made array literal would break
A, B, C = ["tp", "cdcs-a"], ["tp", "cdcs-b"], ["tp", WEIRD]
PLEDGE_IDS = [uuid.UUID(int=i + 1) for i in range(8)]


def unit(code: str, path: list[str], kind: str = "grassroots", on: date | None = date(2020, 1, 1)) -> Any:
    parent = path[-2] if len(path) > 1 else None
    return event(
        ORG, "Unit.Registered", federation=FED, code=code, name=f"Đơn vị {code}", kind=kind,
        parent=parent, ancestry=path, effective_on=on,
    )  # fmt: skip


def member(code: str, path: list[str]) -> Any:
    return event(
        MEMBERS, "Member.Registered", federation=FED, code=code, full_name=f"Nguyễn Văn {code}",
        unit=path[-1], unit_path=path,
    )  # fmt: skip


def pledge(i: int, path: list[str]) -> Any:
    return event(
        PLEDGES, "Pledge.Registered", originator_id=PLEDGE_IDS[i], federation=FED, movement="td-2023",
        year=2023, award="bang-khen", subject_kind="member", subject_code=f"dv-{i}",
        subject_name=f"Nguyễn Văn dv-{i}", unit=path[-1], unit_path=path, pledged_on=date(2023, 2, i + 1),
    )  # fmt: skip


def change(i: int, name: str) -> Any:
    return event(PLEDGES, f"Pledge.{name}", originator_id=PLEDGE_IDS[i], federation=FED)


def initiative(code: str, path: list[str], benefit: int) -> Any:
    return event(
        PROGRAMMES, "Initiative.Registered", federation=FED, initiative=code, title=f"Sáng kiến {code}",
        author_kind="member", author_code="dv-1", unit=path[-1], unit_path=path, year=2023,
        benefit_value=benefit, registered_on=date(2023, 3, 1),
    )  # fmt: skip


def work(code: str, path: list[str]) -> Any:
    return event(
        PROGRAMMES, "Work.Registered", federation=FED, work=code, name=f"Công trình {code}", unit=path[-1],
        unit_path=path, value=1_000_000, occasion="Đại hội", year=2023, registered_on=date(2023, 3, 1),
    )  # fmt: skip


def log() -> list[Any]:
    unprojected = event(PROGRAMMES, "Target.Assigned", federation=FED)
    return [
        event(ORG, "Federation.Created", federation=FED, name="Bắc Kạn"),
        unit("tp", ["tp"], "upper"),
        unit("huyen", ["huyen"], "upper"),
        unit("cdcs-a", A),
        unit("cdcs-b", B),
        unit(WEIRD, C),
        *(member(f"dv-{i}", [A, B, C][i % 3]) for i in range(6)),
        event(
            MOVEMENTS,
            "Movement.Launched",
            federation=FED,
            code="td-2023",
            name="TĐ 2023",
            year=2023,
            kind="annual",
            registration_deadline=date(2023, 3, 31),
            launched_by=None,
        ),
        *(pledge(i, [A, B, C][i % 3]) for i in range(5)),
        # One run of state changes: pledge 1 three times (ends accepted; backwards it ends returned).
        change(0, "Accepted"),
        change(1, "Returned"),
        change(1, "Resubmitted"),
        unprojected,
        change(1, "Accepted"),
        change(2, "Withdrawn"),
        event(
            MEMBERS,
            "Member.Transferred",
            federation=FED,
            code="dv-0",
            unit="cdcs-b",
            effective_on=date(2023, 4, 1),
        ),
        member("dv-6", B),
        member("dv-7", A),
        event(
            ORG,
            "Unit.Moved",
            federation=FED,
            code="cdcs-b",
            to_parent="huyen",
            ancestry=["huyen", "cdcs-b"],
            to_federation=FED,
            effective_on=date(2023, 5, 1),
        ),
        # Two lists of units: one registers a unit with no day under a unit it registered from a
        # later day; the other one registered late under cdcs-b (from before its move: it follows
        # cdcs-b under huyen, with the group under it).
        unit("huyen-2", ["huyen-2"], "upper", on=date(2023, 6, 1)),
        unit("cdcs-e", ["huyen-2", "cdcs-e"], on=None),
        unit("cdcs-f", ["huyen-2", "cdcs-f"], on=date(2023, 6, 1)),
        member("dv-8", ["huyen", "cdcs-b"]),
        unit("cdcs-c", ["tp", "cdcs-c"], on=date(2023, 5, 2)),
        unit("to-late", ["tp", "cdcs-b", "to-late"], "collective", on=date(2023, 1, 1)),
        unit("to-con", ["tp", "cdcs-b", "to-late", "to-con"], "collective", on=date(2023, 2, 1)),
        unit("cdcs-d", ["tp", "cdcs-d"], on=date(2023, 5, 2)),
        pledge(5, ["huyen", "cdcs-b"]),
        pledge(6, C),
        change(3, "Returned"),
        change(3, "Resubmitted"),
        change(4, "Accepted"),
        change(4, "Returned"),
        event(MEMBERS, "Member.Left", federation=FED, code="dv-1", effective_on=date(2023, 6, 1)),
        pledge(7, A),
        initiative("sk-1", A, 10),
        initiative("sk-2", C, 20),
        event(PROGRAMMES, "Initiative.Recognised", federation=FED, initiative="sk-1", benefit_value=15),
        # As a list stores initiatives, some recognised: the two kinds alternate.
        initiative("sk-3", A, 30),
        initiative("sk-4", C, 40),
        event(PROGRAMMES, "Initiative.Recognised", federation=FED, initiative="sk-4", benefit_value=35),
        initiative("sk-5", A, 50),
        event(PROGRAMMES, "Initiative.Recognised", federation=FED, initiative="sk-5", benefit_value=45),
        event(PROGRAMMES, "Initiative.Recognised", federation=FED, initiative="sk-3", benefit_value=25),
        event(PROGRAMMES, "Initiative.Rejected", federation=FED, initiative="sk-2"),
        work("ct-1", A),
        work("ct-2", ["huyen", "cdcs-b"]),
        event(PROGRAMMES, "Work.Completed", federation=FED, work="ct-1"),
        event(PROGRAMMES, "Work.Plaqued", federation=FED, work="ct-1"),
        event(PROGRAMMES, "Work.Completed", federation=FED, work="ct-2"),
        change(6, "Withdrawn"),
    ]


class FakeLog:
    def __init__(self, events: list[Any]) -> None:
        self.events = [LoggedEvent(i + 1, e) for i, e in enumerate(events)]

    async def page(self, after: int, limit: int) -> list[LoggedEvent]:
        return [logged for logged in self.events if logged.sequence > after][:limit]


TABLES = (*readmodel.TABLES, *activity_lists.TABLES)


async def project(pool: asyncpg.Pool, schema: str, page_size: int, set_wise: bool) -> dict[str, list[str]]:
    await pool.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE; CREATE SCHEMA "{schema}"')
    events = FakeLog(log())
    model = ReadModel(pool, schema, events, page_size=page_size, set_wise=set_wise)  # type: ignore[arg-type]
    await model.migrate()
    assert await model.catch_up() == len(events.events)
    out = {}
    for table in TABLES:  # ids included: each schema numbers its own rows from 1, in log order
        rows = await pool.fetch(f'SELECT * FROM "{schema}".{table}')
        out[table] = sorted(json.dumps(dict(r), default=str, ensure_ascii=False) for r in rows)
    return out


@pytest.mark.parametrize("page_size", [1000, 7, 3])
async def test_set_wise_catch_up_equals_one_at_a_time(isolation: Isolation, page_size: int) -> None:
    ensure_database(isolation.settings(RegistrationSettings))
    pool = await asyncpg.create_pool(isolation.database_url, min_size=1, max_size=2)
    try:
        expected = await project(pool, "rm_one_by_one", 1000, set_wise=False)
        assert await project(pool, "rm_set_wise", page_size, set_wise=True) == expected
        # The one-at-a-time reference itself: the last change of each pledge wins, paths intact.
        states = dict(await pool.fetch('SELECT seq, state FROM "rm_set_wise".rm_pledges'))
        final = ["accepted", "accepted", "withdrawn", "submitted", "returned", "submitted", "withdrawn"]
        assert [states[s] for s in sorted(states)] == [*final, "submitted"]
        paths = await pool.fetch('SELECT subject_code, path FROM "rm_set_wise".rm_pledges ORDER BY seq')
        assert [list(r["path"]) for r in paths][2] == C
        members = await pool.fetch(
            'SELECT code, unit, valid_from, valid_to FROM "rm_set_wise".rm_members ORDER BY id'
        )
        assert [r["code"] for r in members][:9] == [f"dv-{i}" for i in (0, 1, 2, 3, 4, 5, 0, 6, 7)]
        late = await pool.fetchval(
            'SELECT path FROM "rm_set_wise".rm_units WHERE code = $1 AND valid_to IS NULL', "to-con"
        )
        assert list(late) == ["huyen", "cdcs-b", "to-late", "to-con"]
        works = await pool.fetch('SELECT code, state FROM "rm_set_wise".rm_works ORDER BY code')
        assert [tuple(r) for r in works] == [("ct-1", "plaqued"), ("ct-2", "completed")]
        initiatives = await pool.fetch(
            'SELECT code, state, benefit_value, path FROM "rm_set_wise".rm_initiatives ORDER BY code'
        )
        assert [tuple(r) for r in initiatives] == [
            ("sk-1", "recognised", 15, A),
            ("sk-2", "rejected", 20, C),
            ("sk-3", "recognised", 25, A),
            ("sk-4", "recognised", 35, C),
            ("sk-5", "recognised", 45, A),
        ]
    finally:
        await pool.close()
