"""Single pledges of concurrent requests handled as one group (shared.store.group_commit): each request
keeps the answer it would get alone, and a group stores all of its pledges or, on a clash,
each again on its own."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from services.registration.application.service import RegistrationApplication
from services.registration.domain.pledges import Pledge
from shared.kernel.errors import Conflict, Invalid, NotFound
from shared.store.eventstore import CommandResult, Context
from shared.store.group_commit import Grouped
from tests.unit.test_pledge_rules import STAFF, app, pledge  # noqa: F401  (app is a fixture)

KEYED = Context(actor="staff", scope="bac-kan", idempotency_key="k-1", fingerprint="f-1")


def test_a_group_answers_each_request_as_if_alone(app: RegistrationApplication) -> None:  # noqa: F811
    results = app.register_pledge_group(
        [
            (STAFF, "bac-kan", pledge()),
            (STAFF, "bac-kan", pledge(subject_code="nobody")),
            (STAFF, "bac-kan", pledge(award="bang-khen-ldld", pledged_on="2023-04-01")),
            (STAFF, "bac-kan", pledge(award="bang-khen-ldld")),
        ]
    )
    assert isinstance(results[0], CommandResult) and results[0].status == 201
    assert isinstance(results[1], NotFound) and results[1].errors[0].field == "subject_code"
    assert isinstance(results[2], Invalid) and results[2].errors[0].field == "pledged_on"
    assert isinstance(results[3], CommandResult) and results[3].status == 201
    stored = {app.pledge("bac-kan", str(r.body["id"])).award for r in results if isinstance(r, CommandResult)}
    assert stored == {"ldtt", "bang-khen-ldld"}


def test_the_same_pledge_twice_in_a_group_is_stored_once(app: RegistrationApplication) -> None:  # noqa: F811
    first, second = app.register_pledge_group([(STAFF, "bac-kan", pledge()), (STAFF, "bac-kan", pledge())])
    assert isinstance(first, CommandResult) and first.status == 201
    assert isinstance(second, Conflict) and second.errors[0].message == "duplicate pledge"
    assert app.pledge("bac-kan", str(first.body["id"])).version == 1


def test_a_clash_in_a_group_leaves_the_other_pledges_stored(app: RegistrationApplication) -> None:  # noqa: F811
    results = app.register_pledge_group(
        [
            (STAFF, "bac-kan", pledge()),
            (STAFF, "bac-kan", pledge(award="bang-khen-ldld")),
            (STAFF, "bac-kan", pledge()),
        ]
    )
    assert [type(r).__name__ for r in results] == ["CommandResult", "CommandResult", "Conflict"]
    for r in results[:2]:
        assert isinstance(r, CommandResult)
        assert isinstance(
            app.find(Pledge, Pledge.id_for("bac-kan", "td-2023", "member", "dv-1", r.body["award"])), Pledge
        )


def test_one_idempotency_key_twice_in_a_group_has_one_effect(app: RegistrationApplication) -> None:  # noqa: F811
    first, again = app.register_pledge_group([(KEYED, "bac-kan", pledge()), (KEYED, "bac-kan", pledge())])
    assert isinstance(first, CommandResult) and not first.replayed
    assert isinstance(again, CommandResult) and again.replayed and again.body == first.body
    (later,) = app.register_pledge_group([(KEYED, "bac-kan", pledge())])
    assert isinstance(later, CommandResult) and later.replayed and later.body == first.body


def test_a_group_sees_what_was_stored_before_it(app: RegistrationApplication) -> None:  # noqa: F811
    (first,) = app.register_pledge_group([(STAFF, "bac-kan", pledge())])
    assert isinstance(first, CommandResult)
    app.close_movement(STAFF, "bac-kan", "td-2023")
    (late,) = app.register_pledge_group([(STAFF, "bac-kan", pledge(award="bang-khen-ldld"))])
    assert isinstance(late, Invalid) and "closed" in late.detail


async def test_grouped_submits_run_together_and_answer_each_caller() -> None:
    seen: list[int] = []

    def run(items: Sequence[int]) -> list[int | Exception]:
        seen.append(len(items))
        return [ValueError(str(i)) if i < 0 else i * 10 for i in items]

    grouped: Grouped[int, int] = Grouped(run)

    results = await asyncio.gather(*(grouped.submit(i) for i in (1, 2, 3)))
    assert results == [10, 20, 30] and sum(seen) == 3
    assert await grouped.submit(4) == 40
    with pytest.raises(ValueError, match="-4"):
        await grouped.submit(-4)
