"""I5: a federation's token neither reads nor writes another federation's data."""

from __future__ import annotations

import time

import jwt

from services.awards.bootstrap import build_app as awards_app
from services.awards.bootstrap import runtime as awards_runtime
from services.registration.bootstrap import build_app as registration_app
from services.registration.bootstrap import runtime as registration_runtime
from services.reporting.bootstrap import build_app as reporting_app
from services.reporting.bootstrap import runtime as reporting_runtime
from shared.kernel.settings import AwardsSettings, RegistrationSettings, ReportingSettings
from tests.support import SECRET, Isolation, bearer, in_process

NATIONAL = bearer("*")
CAO_BANG = bearer("cao-bang", ["admin", "clerk", "reader"])


async def test_cao_bang_cannot_read_or_write_bac_kan(isolation: Isolation) -> None:
    reg_rt = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(reg_rt, registration_app) as reg:
        for code in ("bac-kan", "cao-bang"):
            r = await reg.post("/v1/federations", json={"code": code, "name": code}, headers=NATIONAL)
            assert r.status_code == 201
        r = await reg.post(
            "/v1/federations/bac-kan/units",
            headers=NATIONAL,
            json={"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots"},
        )
        assert r.status_code == 201
        head = await reg_rt.eventlog.head()  # type: ignore[union-attr]

        refused = [
            await reg.get("/v1/federations/bac-kan", headers=CAO_BANG),
            await reg.get("/v1/federations/bac-kan/units/cdcs-a", headers=CAO_BANG),
            await reg.get("/v1/federations/bac-kan/events", headers=CAO_BANG),
            await reg.post(
                "/v1/federations/bac-kan/units",
                headers=CAO_BANG,
                json={"code": "cdcs-x", "name": "X", "kind": "grassroots"},
            ),
            await reg.post(
                "/v1/federations/bac-kan/members",
                headers=CAO_BANG,
                json={"code": "dv-x", "full_name": "X", "unit": "cdcs-a"},
            ),
        ]
        for r in refused:
            assert r.status_code == 404, (r.request.url, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            assert "cdcs-a" not in r.text
        assert (await reg.get("/v1/events", headers=CAO_BANG)).status_code == 403
        assert await reg_rt.eventlog.head() == head  # type: ignore[union-attr]  # nothing stored

        # the same token works on its own federation
        r = await reg.post(
            "/v1/federations/cao-bang/units",
            headers=CAO_BANG,
            json={"code": "cdcs-b", "name": "CĐCS B", "kind": "grassroots"},
        )
        assert r.status_code == 201, r.text
        feed = (await reg.get("/v1/federations/cao-bang/events", headers=CAO_BANG)).json()
        assert {e["federation"] for e in feed["events"]} == {"cao-bang"}

    awards_rt = awards_runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(awards_rt, awards_app) as awards:
        r = await awards.post(
            "/v1/federations/bac-kan/decisions",
            headers=CAO_BANG,
            json={
                "number": "1",
                "signed_on": "2023-12-01",
                "signer": "X",
                "year": 2023,
                "grants": [{"subject_kind": "unit", "subject_code": "cdcs-a", "award": "giay-khen"}],
            },
        )
        assert r.status_code == 404
        assert (await awards.get("/v1/federations/bac-kan/catalogue", headers=CAO_BANG)).status_code == 404

    reporting_rt = reporting_runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(reporting_rt, reporting_app) as reporting:
        for path in (
            "/v1/federations/bac-kan/reports/registrations?year=2023",
            "/v1/federations/bac-kan/history/unit/cdcs-a",
        ):
            r = await reporting.get(path, headers=CAO_BANG)
            assert r.status_code == 404, r.text


async def test_tokens_that_are_missing_expired_or_forged_are_refused(isolation: Isolation) -> None:
    rt = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    now = int(time.time())
    expired = jwt.encode(
        {"sub": "x", "scope": "*", "roles": ["admin"], "exp": now - 10}, SECRET, algorithm="HS256"
    )
    forged = jwt.encode(
        {"sub": "x", "scope": "*", "roles": ["admin"], "exp": now + 600},
        "another-secret-another-secret-1234",
        algorithm="HS256",
    )
    async with in_process(rt, registration_app) as reg:
        body = {"code": "bac-kan", "name": "Bắc Kạn"}
        for headers in (
            {},
            {"Authorization": f"Bearer {expired}"},
            {"Authorization": f"Bearer {forged}"},
            {"Authorization": "Basic abc"},
        ):
            r = await reg.post("/v1/federations", json=body, headers=headers)
            assert r.status_code == 401, r.text
            assert r.headers["www-authenticate"] == "Bearer"
        reader = bearer("*", ["reader"])
        assert (await reg.post("/v1/federations", json=body, headers=reader)).status_code == 403
        assert await rt.eventlog.head() == 0  # type: ignore[union-attr]
        assert (await reg.get("/health")).status_code == 200
        assert (await reg.get("/openapi.json")).status_code == 200
        assert (await reg.get("/asyncapi")).status_code == 200  # documentation, like /docs
        assert (await reg.get("/metrics/")).status_code == 200
