"""A unit's clerk registers initiatives only for authors inside its own subtree: an author
elsewhere is answered as one that does not exist (I5), naming `author_code`, and nothing is
stored; a list refuses that row the same way."""

from __future__ import annotations

from typing import Any

import pytest

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import post
from tests.support import Isolation, bearer, in_process

CB = "/v1/federations/cao-bang"
CLERK_B = bearer("cao-bang/tp-cao-bang/cdcs-b", ["clerk"])


async def two_grassroots_unions(http: Any) -> None:
    """Given: cdcs-a with member dv-a and cdcs-b with member dv-b, under tp-cao-bang."""
    await post(http, "/v1/federations", {"code": "cao-bang", "name": "LĐLĐ tỉnh Cao Bằng"})
    for code, parent in (("tp-cao-bang", None), ("cdcs-a", "tp-cao-bang"), ("cdcs-b", "tp-cao-bang")):
        kind = "upper" if parent is None else "grassroots"
        await post(http, CB + "/units", {"code": code, "name": code, "kind": kind, "parent": parent})
    for code, unit in (("dv-a", "cdcs-a"), ("dv-b", "cdcs-b")):
        await post(http, CB + "/members", {"code": code, "full_name": "Hoàng Thị Mai", "unit": unit})


def initiative(code: str, author_kind: str, author_code: str) -> dict[str, Any]:
    return {
        "code": code,
        "title": "Sáng kiến",
        "field": "kỹ thuật",
        "benefit_value": 50_000_000,
        "author_kind": author_kind,
        "author_code": author_code,
        "year": 2023,
        "registered_on": "2023-03-01",
    }


@pytest.mark.parametrize(("author_kind", "author_code"), [("member", "dv-a"), ("unit", "cdcs-a")])
async def test_a_clerk_registering_an_initiative_by_an_author_of_another_unit_is_answered_not_found(
    isolation: Isolation, author_kind: str, author_code: str
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await two_grassroots_unions(http)
        head = await rt.eventlog.head()  # type: ignore[union-attr]
        body = initiative("sk-1", author_kind, author_code)
        r = await http.post(CB + "/initiatives", json=body, headers=CLERK_B)
        assert r.status_code == 404, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["author_code"]
        assert await rt.eventlog.head() == head  # type: ignore[union-attr]


async def test_an_initiatives_list_refuses_the_row_whose_author_is_outside_the_clerks_unit(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await two_grassroots_unions(http)
        rows = [initiative("sk-1", "member", "dv-b"), initiative("sk-2", "member", "dv-a")]
        r = await http.post(CB + "/initiatives:batch?mode=keep-good-rows", json=rows, headers=CLERK_B)
        assert r.status_code == 201, r.text
        results = r.json()["results"]
        assert [x["status"] for x in results] == ["accepted", "rejected"]
        assert [(e["row"], e["field"]) for e in results[1]["errors"]] == [(2, "author_code")]
