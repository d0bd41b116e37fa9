"""I5, generated: every route of every service (read from the apps themselves, so new endpoints
are covered without editing this file) gets a request from each kind of caller that must not
act. Each is refused (401/403/404), changes nothing (the event log heads stay put), and no answer
carries the victim's data. Only a national or subtree-filtered read may answer 2xx, and then
without a trace of the victim.

Victim: federation `bac-kan`, unit `cdcs-a` with member `dv-1`, a pledge and a granted decision.
Callers: no token, an expired token, a token signed with another key, `cao-bang` staff with every
role, a user of the sibling unit `bac-kan/cdcs-b` with every role, a `bac-kan` token with no
role, and (for writes) a `bac-kan` reader."""

from __future__ import annotations

import contextlib
import json
import time
import warnings
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt

from shared.auth import ROLES
from tests.integration.authz_requests import Seed, requests_for, routes, text_of
from tests.support import SECRET, Isolation, bearer, eventually, in_process

ADMIN = bearer("*", ["admin"], sub="seed")
VICTIM_MARKS = ("Victim Unit Xq7", "Victim Member Xq7", "Victim Signer Xq7")
SIBLING_MARK = "Sibling Unit Xq7"
VICTIM_CODES = ("cdcs-a", "dv-1")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _jwt(secret: str, exp: int, scope: str = "*", roles: list[str] | None = None) -> dict[str, str]:
    claims = {"sub": "intruder", "scope": scope, "roles": ["admin"] if roles is None else roles, "exp": exp}
    return {"Authorization": f"Bearer {jwt.encode(claims, secret, algorithm='HS256')}"}


def callers() -> dict[str, dict[str, str]]:
    now = int(time.time())
    return {
        "no token": {},
        "expired": _jwt(SECRET, now - 30),
        "another key": _jwt("another-secret-another-secret-0123", now + 600),
        "foreign federation": bearer("cao-bang", list(ROLES), sub="intruder"),
        "outside subtree": bearer("bac-kan/cdcs-b", list(ROLES), sub="intruder"),
        "no role": _jwt(SECRET, now + 600, "bac-kan", []),
        "read-only role": bearer("bac-kan", ["reader"], sub="intruder"),
    }


async def _seed(reg: httpx.AsyncClient, awards: httpx.AsyncClient, reporting: httpx.AsyncClient) -> Seed:
    async def post(client: httpx.AsyncClient, path: str, body: dict) -> dict:
        r = await client.post(path, json=body, headers=ADMIN)
        assert r.status_code == 201, (path, r.text)
        return r.json()  # type: ignore[no-any-return]

    for code in ("bac-kan", "cao-bang"):
        await post(reg, "/v1/federations", {"code": code, "name": code})
    fed = "/v1/federations/bac-kan"
    await post(reg, fed + "/units", {"code": "cdcs-a", "name": VICTIM_MARKS[0], "kind": "grassroots"})
    await post(reg, fed + "/units", {"code": "cdcs-b", "name": SIBLING_MARK, "kind": "grassroots"})
    await post(reg, fed + "/members", {"code": "dv-1", "full_name": VICTIM_MARKS[1], "unit": "cdcs-a"})
    movement = {
        "code": "td-2023",
        "name": "TĐ 2023",
        "year": 2023,
        "awards": ["bang-khen-ldld"],
        "registration_deadline": "2023-03-31",
    }
    await post(reg, fed + "/movements", movement)
    pledge = await post(
        reg,
        fed + "/pledges",
        {
            "movement": "td-2023",
            "award": "bang-khen-ldld",
            "subject_kind": "member",
            "subject_code": "dv-1",
            "pledged_on": "2023-02-01",
        },
    )
    grant = {"subject_kind": "member", "subject_code": "dv-1", "award": "bang-khen-ldld"}
    body = {
        "number": "9/QĐ",
        "signed_on": "2023-12-01",
        "signer": VICTIM_MARKS[2],
        "year": 2023,
        "grants": [grant],
    }

    async def decided() -> dict:
        r = await awards.post(fed + "/decisions", json=body, headers=ADMIN)
        assert r.status_code == 201, r.text  # 422 until awards has consumed the member
        return r.json()  # type: ignore[no-any-return]

    decision = await eventually(decided)

    async def projected() -> None:
        r = await reporting.get(fed + "/history/member/dv-1", headers=ADMIN)
        assert r.status_code == 200 and "award-granted" in r.text, r.text

    await eventually(projected)
    return Seed(
        {
            "pledge_id": pledge["id"],
            "decision_id": decision["id"],
            "grant_id": decision["grants"][0]["grant_id"],
        }
    )


# Gaps found by this matrix and left to a service's owner, each with its reason, are reported as
# warnings instead of failures (a change of the log is never excused). Remove an entry once fixed.
KNOWN_GAPS: dict[str, str] = {}


# -- the verdict -------------------------------------------------------------------------------


def fault(case: str, method: str, has_federation: bool, r: httpx.Response, sent: str) -> str | None:
    marks = VICTIM_MARKS[:2] if case == "outside subtree" else (*VICTIM_MARKS, SIBLING_MARK)
    # the victim's codes too, where the request did not name them (a refusal may echo them)
    codes = VICTIM_CODES if case == "outside subtree" else (*VICTIM_CODES, "cdcs-b", "bac-kan")
    marks = (*marks, *(c for c in codes if c not in sent))
    text = text_of(r)
    leaked = [m for m in marks if m in text]
    if leaked:
        return f"{r.status_code} leaks {leaked}"
    if r.status_code >= 500:
        return f"{r.status_code} {r.text[:200]}"
    if case in ("no token", "expired", "another key"):
        return None if r.status_code == 401 else f"{r.status_code}, expected 401"
    if case == "no role":
        return None if r.status_code in (403, 404) else f"{r.status_code}, expected 403"
    if case == "foreign federation" and has_federation:
        return None if r.status_code == 404 else f"{r.status_code}, expected 404"
    if r.status_code in (401, 403, 404):
        return None
    if method not in WRITES and r.is_success:
        return None  # a national or subtree-filtered read that shows nothing of the victim
    if case == "outside subtree" and r.status_code == 422:
        return None  # a unit-level action must read the body to know which units it touches
    return f"{r.status_code}, expected a refusal: {r.text[:200]}"


@contextlib.asynccontextmanager
async def services(isolation: Isolation) -> AsyncIterator[dict[str, tuple[Any, httpx.AsyncClient]]]:
    from services.awards import bootstrap as awards
    from services.registration import bootstrap as registration
    from services.reporting import bootstrap as reporting
    from shared.settings import AwardsSettings, RegistrationSettings, ReportingSettings

    parts = {
        "registration": (registration, RegistrationSettings, {"api", "relay"}),
        "awards": (awards, AwardsSettings, {"api", "relay", "consumer"}),
        "reporting": (reporting, ReportingSettings, {"api", "consumer"}),
    }
    async with contextlib.AsyncExitStack() as stack:
        out = {}
        for name, (module, settings, components) in parts.items():
            rt = module.runtime(isolation.settings(settings), frozenset(components))
            out[name] = (rt, await stack.enter_async_context(in_process(rt, module.build_app)))
        yield out


async def heads(running: dict[str, tuple[Any, httpx.AsyncClient]]) -> dict[str, int]:
    return {name: await rt.eventlog.head() for name, (rt, _) in running.items() if rt.eventlog is not None}


async def test_every_route_refuses_every_caller_that_must_not_act(isolation: Isolation) -> None:
    async with services(isolation) as running:
        seed = await _seed(running["registration"][1], running["awards"][1], running["reporting"][1])
        before = await heads(running)
        faults: dict[str, str] = {}
        checked = 0
        for name, (_rt, client) in running.items():
            app = client._transport.app  # type: ignore[attr-defined]
            spec = app.openapi()
            for path, method in routes(app):
                has_federation = "{federation}" in path
                for case, headers in callers().items():
                    if case == "read-only role" and method not in WRITES:
                        continue
                    for variant, request in requests_for(path, method, spec, seed):
                        r = await client.request(headers=headers, **request)
                        checked += 1
                        problem = fault(case, method, has_federation, r, json.dumps(request))
                        if problem is None and r.status_code >= 400:
                            assert r.headers["content-type"].startswith("application/problem+json"), r.text
                        after = await heads(running)
                        if after != before:
                            problem = f"{problem or r.status_code}; the event log changed"
                            before = after
                        if problem:
                            faults[f"{name} {method} {path}{variant} [{case}]"] = problem
        assert checked > 50
        # the marks are there to be found, also in an export
        history = "/v1/federations/bac-kan/history/member/dv-1"
        export = await running["reporting"][1].get(history, params={"format": "xlsx"}, headers=ADMIN)
        assert "cdcs-a" in text_of(export), text_of(export)[:500]
        # the same kind of token, inside its subtree, still reads and writes
        own = bearer("bac-kan/cdcs-a", ["clerk"], sub="insider")
        reg = running["registration"][1]
        for path in ("/v1/federations/bac-kan/units/cdcs-a", "/v1/federations/bac-kan/members/dv-1"):
            r = await reg.get(path, headers=own)
            assert r.status_code == 200 and VICTIM_MARKS[0 if "units" in path else 1] in r.text, r.text
        r = await reg.post(
            "/v1/federations/bac-kan/members",
            json={"code": "dv-2", "full_name": "Insider", "unit": "cdcs-a"},
            headers=own,
        )
        assert r.status_code == 201, r.text
        aw = running["awards"][1]
        for path in (f"/grants/{seed.ids['grant_id']}", f"/decisions/{seed.ids['decision_id']}"):
            r = await aw.get("/v1/federations/bac-kan" + path, headers=own)
            assert r.status_code == 200, (path, r.text)
        r = await reg.get(f"/v1/federations/bac-kan/pledges/{seed.ids['pledge_id']}", headers=own)
        assert r.status_code == 200, r.text
        reporting = running["reporting"][1]
        for path in (
            "/v1/federations/bac-kan/history/member/dv-1",
            "/v1/federations/bac-kan/reports/registrations",
        ):
            r = await reporting.get(path, params={"year": 2023}, headers=own)
            assert r.status_code == 200, (path, r.text)
        # a change of the log is never excused
        known = {k: v for k, v in faults.items() if k in KNOWN_GAPS and "log changed" not in v}
        for key, problem in sorted(known.items()):
            warnings.warn(f"known gap: {key}: {problem} ({KNOWN_GAPS[key]})", stacklevel=1)
        new = {k: v for k, v in faults.items() if k not in known}
        assert not new, "unprotected:\n" + "\n".join(f"{k}: {v}" for k, v in sorted(new.items()))
