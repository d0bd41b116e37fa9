"""I5 through the codes and ids inside requests: `cao-bang` staff, with every role, send every
route under their own federation a request that names `bac-kan`'s ids and codes (its pledge,
decision and grant ids; its unit and member codes in paths and bodies). Whatever the answers,
none carries `bac-kan`'s data and no event of `bac-kan` is stored."""

from __future__ import annotations

from typing import Any

import httpx

from shared.auth.permissions import ROLES
from tests.integration.authz_requests import requests_for, routes, text_of
from tests.integration.test_authz_matrix import ADMIN, VICTIM_MARKS, _seed, services
from tests.support import Isolation, bearer

INTRUDER = bearer("cao-bang", list(ROLES), sub="intruder")
OWN = "/v1/federations/cao-bang"


async def national_feed(client: httpx.AsyncClient, after: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while True:
        page = (await client.get("/v1/events", params={"after": after, "limit": 1000}, headers=ADMIN)).json()
        events += page["events"]
        if page["next_after"] == after:
            return events
        after = page["next_after"]


async def test_naming_another_federations_ids_and_codes_reaches_nothing_of_it(isolation: Isolation) -> None:
    async with services(isolation) as running:
        seed = await _seed(running["registration"][1], running["awards"][1], running["reporting"][1])
        heads = {n: await rt.eventlog.head() for n, (rt, _) in running.items() if rt.eventlog is not None}
        leaks: dict[str, str] = {}
        answers: dict[int, int] = {}
        for name, (_rt, client) in running.items():
            app = client._transport.app  # type: ignore[attr-defined]
            spec = app.openapi()
            for path, method in routes(app):
                if "{federation}" not in path:
                    continue
                for variant, request in requests_for(path, method, spec, seed):
                    request["url"] = request["url"].replace("/v1/federations/bac-kan", OWN, 1)
                    r = await client.request(headers=INTRUDER, **request)
                    answers[r.status_code] = answers.get(r.status_code, 0) + 1
                    found = [m for m in VICTIM_MARKS if m in text_of(r)]
                    if found or r.status_code >= 500:
                        leaks[f"{name} {method} {path}{variant}"] = f"{r.status_code} {found or r.text[:200]}"
        assert sum(answers.values()) > 40 and answers.get(404, 0) > 5, answers
        assert not leaks, "\n".join(f"{k}: {v}" for k, v in sorted(leaks.items()))
        for name, head in heads.items():
            stored = await national_feed(running[name][1], head)
            assert all(e["federation"] != "bac-kan" for e in stored), [e["type"] for e in stored]
