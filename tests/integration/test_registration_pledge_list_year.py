"""The pledge list's `year` filter is bounded like every year (shared.kernel.commands.Year): a year
beyond a bigint was a 500 from PostgreSQL (found by tests/e2e/test_fuzz.py); now any year outside
1945-2100 is a 422 naming `year`, and a year inside it filters as before."""

from __future__ import annotations

from services.registration import bootstrap as registration
from shared.kernel.settings import RegistrationSettings
from tests.support import Isolation, bearer, in_process

NATIONAL = bearer("*", ["admin"])


async def test_a_pledge_list_year_out_of_range_is_a_422_naming_year(isolation: Isolation) -> None:
    rt = registration.runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, registration.build_app) as client:
        r = await client.post(
            "/v1/federations", json={"code": "bac-kan", "name": "Bắc Kạn"}, headers=NATIONAL
        )
        assert r.status_code == 201, r.text
        for year in (str(2**63), str(-(2**63) - 1), str(10**40), "1944", "2101"):
            r = await client.get(f"/v1/federations/bac-kan/pledges?year={year}", headers=NATIONAL)
            assert r.status_code == 422, (year, r.status_code, r.text)
            assert r.headers["content-type"].startswith("application/problem+json"), r.text
            assert [e["field"] for e in r.json()["errors"]] == ["year"], r.text
        r = await client.get("/v1/federations/bac-kan/pledges?year=2023", headers=NATIONAL)
        assert r.status_code == 200, r.text
        assert r.json()["items"] == []
