"""POST …/pledges is served by a fast lane (shared.web.asgi.FastLane) before FastAPI's routing: every
answer must be the one the route gives. Each request is sent to the app with and without the
lane, on the same runtime, and the answers compared."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx

from services.registration.bootstrap import build_app, knows_federation, runtime
from services.registration.entrypoints import activities_api, api, pledges_api
from shared.kernel import clock
from shared.kernel.settings import RegistrationSettings
from shared.web.app import create_app
from shared.web.subscriptions import subscriptions_router
from tests.integration.test_registration_merge import post
from tests.support import Isolation, bearer, in_process

NATIONAL = bearer("*")
PLEDGES = "/v1/federations/bac-kan/pledges"
GOOD = {"movement": "td-2023", "award": "ldtt", "subject_kind": "member", "subject_code": "dv-1"}


ROUTERS = [api.router, pledges_api.router, activities_api.router, subscriptions_router(knows_federation)]
served: list[bool] = []  # per request the lane saw: answered by it (True) or left to the route


async def counted(request: Any, path: dict[str, str]) -> Any:
    response = await pledges_api.register_pledge_fast(request, path)
    served.append(response is not None)
    return response


def laned(rt: Any) -> Any:
    ((method, pattern, _),) = pledges_api.FAST
    return create_app(rt, "fast", "", ROUTERS, fast=[(method, pattern, counted)])


def routed(rt: Any) -> Any:
    return create_app(rt, "plain", "", ROUTERS)


def answer(r: httpx.Response) -> tuple[int, Any, str | None]:
    body = r.json() if r.headers.get("content-type", "").endswith("json") else r.text
    return r.status_code, body, r.headers.get("idempotent-replayed")


async def test_the_fast_lane_answers_as_the_route_does(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    assert len(pledges_api.FAST) == 1 and build_app(rt).user_middleware  # the service has the lane
    async with in_process(rt, laned) as fast:
        plain = httpx.AsyncClient(transport=httpx.ASGITransport(app=routed(rt)), base_url="http://test")
        await post(fast, "/v1/federations", {"code": "bac-kan", "name": "BK"})
        await post(fast, "/v1/federations", {"code": "cao-bang", "name": "CB"})
        for code, parent in (("tp", None), ("cdcs-a", "tp"), ("cdcs-b", "tp")):
            kind = "upper" if parent is None else "grassroots"
            await post(
                fast,
                "/v1/federations/bac-kan/units",
                {"code": code, "name": code, "kind": kind, "parent": parent},
            )
        for i, unit in ((1, "cdcs-a"), (2, "cdcs-a"), (3, "cdcs-b")):
            await post(
                fast,
                "/v1/federations/bac-kan/members",
                {"code": f"dv-{i}", "full_name": f"M {i}", "unit": unit},
            )
        await post(
            fast,
            "/v1/federations/bac-kan/movements",
            {
                "code": "td-2023",
                "name": "TĐ",
                "year": 2023,
                "awards": ["ldtt"],
                "registration_deadline": (clock.today() + timedelta(days=365)).isoformat(),
            },
        )
        stored = await fast.post(PLEDGES, json=GOOD, headers=NATIONAL)
        assert stored.status_code == 201 and stored.headers["etag"] == '"1"'

        cases: list[tuple[dict[str, Any], dict[str, str]]] = [
            ({"json": GOOD}, NATIONAL),  # a duplicate
            # no award is a participation pledge (issue 18): refused alike when it is refused
            ({"json": {**GOOD, "award": None, "subject_code": "nobody"}}, NATIONAL),
            ({"json": {k: v for k, v in GOOD.items() if k != "award"} | {"movement": "nope"}}, NATIONAL),
            ({"json": {**GOOD, "extra": 1}}, NATIONAL),
            ({"content": b"{not json", "headers": {"content-type": "application/json"}}, NATIONAL),
            ({"content": json.dumps(GOOD).encode(), "headers": {"content-type": "text/plain"}}, NATIONAL),
            ({"json": [GOOD]}, NATIONAL),
            ({"json": {**GOOD, "subject_code": "nobody"}}, NATIONAL),
            ({"json": {**GOOD, "movement": "nope"}}, NATIONAL),
            ({"json": {**GOOD, "subject_code": "dv-2", "pledged_on": "2999-01-01"}}, NATIONAL),
            ({"json": {**GOOD, "subject_code": "dv-2"}}, {**NATIONAL, "Idempotency-Key": "x" * 201}),
            ({"json": {**GOOD, "subject_code": "dv-2"}}, {**NATIONAL, "If-Match": "soon"}),
            ({"json": {**GOOD, "subject_code": "dv-3"}}, bearer("bac-kan/tp/cdcs-a", ["clerk"])),
            ({"json": {**GOOD, "subject_code": "dv-3"}}, bearer("bac-kan", ["reader"])),
            ({"json": {**GOOD, "subject_code": "dv-3"}}, bearer("cao-bang", ["admin"])),
            ({"json": {**GOOD, "subject_code": "dv-3"}}, {}),
            # hostile text, dates and nesting (the lane validates with the route's types)
            ({"json": {**GOOD, "subject_code": "dv\u00002"}}, NATIONAL),
            ({"json": {**GOOD, "subject_code": "dv-2\n"}}, NATIONAL),
            ({"json": {**GOOD, "subject_code": "dv-2", "phase": "\u202eĐợt 1"}}, NATIONAL),
            ({"json": {**GOOD, "subject_code": "dv-2", "phase": "Đợt\u200b1"}}, NATIONAL),
            ({"json": {**GOOD, "subject_code": "dv-2", "pledged_on": "0001-01-01"}}, NATIONAL),
            ({"content": b"[" * 990 + b"]" * 990, "headers": {"content-type": "application/json"}}, NATIONAL),
            (
                {
                    "content": b'{"movement": ' + b"[" * 70 + b"]" * 70 + b"}",
                    "headers": {"content-type": "application/json"},
                },
                NATIONAL,
            ),
            ({"json": {**GOOD, "subject_code": "dv-2"}, "params": {"x": "a\u0000"}}, NATIONAL),
        ]
        for request, headers in cases:
            kwargs = {**request, "headers": {**headers, **request.get("headers", {})}}
            one, other = await fast.post(PLEDGES, **kwargs), await plain.post(PLEDGES, **kwargs)
            assert one.status_code >= 400, (request, one.text)
            assert answer(one) == answer(other), request

        # a participation pledge (no award) is stored by the lane, and a second one refused alike
        taking_part = {k: v for k, v in GOOD.items() if k != "award"}
        assert (await fast.post(PLEDGES, json=taking_part, headers=NATIONAL)).status_code == 201
        twice = [await c.post(PLEDGES, json=taking_part, headers=NATIONAL) for c in (fast, plain)]
        assert twice[0].status_code == 409 and answer(twice[0]) == answer(twice[1])

        keyed = {**NATIONAL, "Idempotency-Key": "k-1"}
        first = await fast.post(PLEDGES, json={**GOOD, "subject_code": "dv-2"}, headers=keyed)
        assert first.status_code == 201 and first.headers.get("idempotent-replayed") is None
        for client in (fast, plain):
            again = await client.post(PLEDGES, json={**GOOD, "subject_code": "dv-2"}, headers=keyed)
            assert answer(again) == (201, first.json(), "true")
        other_body = [
            await c.post(PLEDGES, json={**GOOD, "subject_code": "dv-3"}, headers=keyed) for c in (fast, plain)
        ]
        assert other_body[0].status_code == 422 and answer(other_body[0]) == answer(other_body[1])
        await plain.aclose()
    assert True in served and False in served
