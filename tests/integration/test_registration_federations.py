"""`GET /v1/federations`: the federations for national staff, by code, page by page; merged ones
only when asked for; a federation's token refused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import CAO_BANG, get, merged
from tests.support import Isolation, in_process


@pytest.fixture
async def registration(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given Bắc Kạn, Thái Nguyên and Cao Bằng, Bắc Kạn merged into Thái Nguyên on 2025-07-01."""
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await merged(http)
        yield http


async def test_national_staff_page_through_the_federations_by_code(registration: httpx.AsyncClient) -> None:
    # When national staff ask for the federations one at a time, following next_cursor
    codes, cursor = [], None
    while True:
        page = await get(registration, "/v1/federations", limit=1, **({"cursor": cursor} if cursor else {}))
        codes += [f["code"] for f in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # Then every federation standing comes once, by code (the merged one is not listed)
    assert codes == ["cao-bang", "thai-nguyen"]


async def test_a_merged_federation_is_listed_only_when_asked_for(registration: httpx.AsyncClient) -> None:
    # When national staff ask for the merged ones too
    page = await get(registration, "/v1/federations", include_merged="true")
    # Then Bắc Kạn is there, with whom it merged into and when
    assert page["items"][0] == {
        "code": "bac-kan",
        "name": "bac-kan",
        "merged_into": "thai-nguyen",
        "merged_on": "2025-07-01",
    }
    assert [f["code"] for f in page["items"]] == ["bac-kan", "cao-bang", "thai-nguyen"]


async def test_a_federations_token_is_refused_the_list(registration: httpx.AsyncClient) -> None:
    # When a federation's admin asks for the federations
    r = await registration.get("/v1/federations", headers=CAO_BANG)
    # Then it is refused, naming nothing of the other federations
    assert r.status_code == 403, r.text
    assert "thai-nguyen" not in r.text
