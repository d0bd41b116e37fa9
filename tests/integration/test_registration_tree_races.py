"""Issue 18, nobody stranded when two commands are in flight: a placement (a transfer, a list of
members) is stored only if its unit has not ended meanwhile, and an ending (a dissolution, a
merge, a code change) only if nobody was placed in the unit after its people were read. Each
test stores the other command at the very moment the first one stores its own (its commit is
intercepted once), the order a race would take; the loser is refused with 409 and stores
nothing."""

from __future__ import annotations

import concurrent.futures
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from services.registration.application import commands as c
from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.integration.test_registration_unit_recode import BK, seed
from tests.support import Isolation, in_process

ROOT = Context(actor="root", scope="*")
ENDED = "2025-07-01"
MOVED = "2025-06-01"


@pytest.fixture
async def stack(isolation: Isolation) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    """Given the city's union tp with cdcs-a (trade-union group to-1 under it, member dv-1 in it)
    and the empty cdcs-b, all since 2020."""
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as client:
        await seed(client)
        yield rt.parts.application, client


def before_the_next_commit(app: Any, other: Callable[[], Any]) -> None:
    """The application's next commit first waits for `other` (a command of its own, run in a
    thread of its own, so with reads of its own) to be stored: the race."""
    real = app.commit

    def commit(*args: Any, **kwargs: Any) -> Any:
        app.commit = real
        with concurrent.futures.ThreadPoolExecutor(1) as pool:  # its threads start with no context
            pool.submit(other).result()
        return real(*args, **kwargs)

    app.commit = commit


def dissolve_b(app: Any) -> Callable[[], Any]:
    return lambda: app.dissolve_unit(ROOT, "bac-kan", "cdcs-b", c.DissolveUnit(effective_on=ENDED))


def transfer_dv1_to_b(app: Any) -> Callable[[], Any]:
    body = c.TransferMember(unit="cdcs-b", effective_on=MOVED)
    return lambda: app.transfer_member(ROOT, "bac-kan", "dv-1", body)


async def test_a_transfer_into_a_unit_dissolved_while_it_was_stored_is_refused(stack: Any) -> None:
    app, http = stack
    # Given cdcs-b is dissolved just as dv-1's transfer into it is stored
    before_the_next_commit(app, dissolve_b(app))
    # When the transfer is sent
    body = {"unit": "cdcs-b", "effective_on": MOVED}
    r = await http.post(BK + "/members/dv-1:transfer", json=body, headers=NATIONAL)
    # Then it is refused, and dv-1 stays in cdcs-a
    assert r.status_code == 409, r.text
    assert "cdcs-b" in r.json()["detail"]
    assert (await get(http, BK + "/units/cdcs-b"))["state"] == "dissolved"
    assert (await get(http, BK + "/members/dv-1"))["unit"] == "cdcs-a"


async def test_a_members_list_into_a_unit_dissolved_while_it_was_stored_stores_nothing(stack: Any) -> None:
    app, http = stack
    # Given cdcs-b is dissolved just as a list of 70 members for it is stored (a COPY save)
    before_the_next_commit(app, dissolve_b(app))
    rows = [{"code": f"dv-b{i:02d}", "full_name": "Lê Thị Hoa", "unit": "cdcs-b"} for i in range(70)]
    # When the list is sent
    r = await http.post(BK + "/members:batch", json=rows, headers=NATIONAL)
    # Then it is refused, and none of them exists
    assert r.status_code == 409, r.text
    assert (await http.get(BK + "/members/dv-b00", headers=NATIONAL)).status_code == 404


async def test_a_dissolution_while_a_member_was_transferred_in_is_refused(stack: Any) -> None:
    app, http = stack
    # Given dv-1 is transferred into cdcs-b after the dissolution read who is in it, before it
    # is stored
    before_the_next_commit(app, transfer_dv1_to_b(app))
    # When cdcs-b is dissolved
    r = await http.post(BK + "/units/cdcs-b:dissolve", json={"effective_on": ENDED}, headers=NATIONAL)
    # Then it is refused, and cdcs-b goes on with dv-1 in it
    assert r.status_code == 409, r.text
    assert "cdcs-b" in r.json()["detail"]
    assert (await get(http, BK + "/units/cdcs-b"))["state"] == "active"
    assert (await get(http, BK + "/members/dv-1"))["unit"] == "cdcs-b"


async def test_a_merge_while_a_member_was_transferred_into_the_merged_unit_is_refused(stack: Any) -> None:
    app, http = stack
    # Given dv-1 is transferred into cdcs-b after its merge into cdcs-a read who is in it
    before_the_next_commit(app, transfer_dv1_to_b(app))
    # When cdcs-b is merged into cdcs-a
    body = {"into": "cdcs-a", "effective_on": ENDED}
    r = await http.post(BK + "/units/cdcs-b:merge", json=body, headers=NATIONAL)
    # Then it is refused: the merge would not have taken dv-1 along
    assert r.status_code == 409, r.text
    assert (await get(http, BK + "/units/cdcs-b"))["state"] == "active"


async def test_a_code_change_while_a_member_was_transferred_in_is_refused(stack: Any) -> None:
    app, http = stack
    # Given dv-1 is transferred into cdcs-b after its code change read who is in it
    before_the_next_commit(app, transfer_dv1_to_b(app))
    # When cdcs-b's code changes
    body = {"code": "cdcs-b-2025", "effective_on": ENDED, "reason": "Đánh số lại"}
    r = await http.post(BK + "/units/cdcs-b:recode", json=body, headers=NATIONAL)
    # Then it is refused: dv-1 would have stayed under the old code
    assert r.status_code == 409, r.text
    assert (await http.get(BK + "/units/cdcs-b-2025", headers=NATIONAL)).status_code == 404


async def test_commands_one_after_the_other_are_not_refused(stack: Any) -> None:
    _, http = stack
    # Given dv-1 transferred into cdcs-b, then out again, before cdcs-b is dissolved
    await post(http, BK + "/members/dv-1:transfer", {"unit": "cdcs-b", "effective_on": MOVED}, status=200)
    await post(http, BK + "/members/dv-1:transfer", {"unit": "cdcs-a", "effective_on": ENDED}, status=200)
    # When cdcs-b is dissolved
    done = await post(http, BK + "/units/cdcs-b:dissolve", {"effective_on": ENDED}, status=200)
    # Then it is: a placement read before the dissolution's own read refuses nothing
    assert done["state"] == "dissolved"
