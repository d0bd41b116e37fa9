"""I5, generated: every route of every service (read from the apps themselves, so new endpoints
are covered without editing this file) gets a request from each kind of caller that must not
act. Each is refused (401/403/404), changes nothing (the event log heads stay put), and no answer
carries the victim's data. Only a national or subtree-filtered read may answer 2xx, and then
without a trace of the victim.

Victim: federation `bac-kan`, unit `cdcs-a` with member `dv-1`, a pledge, a granted decision, an
initiative, a work, a target, a rating, a nomination and a council of its own; the block `khoi-1`
and its covenant. Callers: no token, an expired token, a token signed with another key,
`cao-bang` staff with every role, a user of the sibling unit `bac-kan/cdcs-b` with every role, a
`bac-kan` token with no role, and (for writes) a `bac-kan` reader.

Then unit-scoped tokens of other subtrees (the sibling, another branch, a unit below the victim)
name the victim's records in every read and write, and are answered exactly as for codes that do
not exist."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import warnings
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt

from shared.auth.permissions import ROLES
from tests.integration.authz_requests import (
    Seed,
    as_ghost,
    ghost_of,
    read_variants,
    requests_for,
    routes,
    text_of,
)
from tests.support import SECRET, Isolation, bearer, eventually, in_process

ADMIN = bearer("*", ["admin"], sub="seed")
VICTIM_MARKS = ("Victim Unit Xq7", "Victim Member Xq7", "Victim Signer Xq7")
SIBLING_MARK = "Sibling Unit Xq7"
# the victim unit's own records: a unit-scoped token of another subtree must not see them either
RECORD_MARKS = ("Victim Initiative Xq7", "Victim Work Xq7", "Victim Council Xq7")
VICTIM_CODES = ("cdcs-a", "dv-1")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _jwt(secret: str, exp: int, scope: str = "*", roles: list[str] | None = None) -> dict[str, str]:
    claims = {"sub": "intruder", "scope": scope, "roles": ["admin"] if roles is None else roles, "exp": exp}
    return {"Authorization": f"Bearer {jwt.encode(claims, secret, algorithm='HS256')}"}


# Product-issued tokens (registration's POST /v1/access/tokens signs them): the services verify
# them through registration's key set at TDKT_JWKS_URL, served here by a small HTTP server.
ISSUER, AUDIENCE = "https://tdkt.test/registration", "tdkt"


async def product_callers(registration: Any) -> dict[str, dict[str, str]]:
    """Callers with tokens signed by registration's own signing key ("(product)")."""
    now = int(time.time())
    base = {"sub": "intruder", "iss": ISSUER, "aud": AUDIENCE, "exp": now + 300, "roles": list(ROLES)}
    cases = {
        "foreign federation (product)": {"scope": "cao-bang"},
        "outside subtree (product)": {"scope": "bac-kan/cdcs-b"},
        "expired (product)": {"scope": "*", "exp": now - 30},
        "another issuer (product)": {"scope": "*", "iss": "https://evil.test"},
    }
    sign = registration.parts.access.keys.sign
    return {case: {"Authorization": f"Bearer {await sign({**base, **c})}"} for case, c in cases.items()}


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
    ids = {
        "pledge_id": pledge["id"],
        "decision_id": decision["id"],
        "grant_id": decision["grants"][0]["grant_id"],
    }
    ids["nomination_id"] = await _seed_records(reg, awards, reporting)
    return Seed(ids)


async def _seed_records(
    reg: httpx.AsyncClient, awards: httpx.AsyncClient, reporting: httpx.AsyncClient
) -> str:
    """Other subtrees (`tp-2` with `cdcs-x`, `to-a1` below the victim, the block `khoi-1`) and
    the victim unit's own records of every kind; the nomination's id."""

    async def post(client: httpx.AsyncClient, path: str, body: dict) -> dict:
        r = await client.post("/v1/federations/bac-kan" + path, json=body, headers=ADMIN)
        assert r.status_code == 201, (path, r.text)
        return r.json()  # type: ignore[no-any-return]

    for code, kind, parent in (
        ("tp-2", "upper", None),
        ("cdcs-x", "grassroots", "tp-2"),
        ("to-a1", "collective", "cdcs-a"),
        ("khoi-1", "block", None),
    ):
        await post(reg, "/units", {"code": code, "name": f"Other {code}", "kind": kind, "parent": parent})
    await post(
        reg,
        "/initiatives",
        {
            "code": "ini-a",
            "title": RECORD_MARKS[0],
            "field": "cntt",
            "benefit_value": 1000,
            "author_kind": "member",
            "author_code": "dv-1",
            "year": 2023,
            "registered_on": "2023-03-01",
        },
    )
    work = {"code": "ct-a", "name": RECORD_MARKS[1], "unit": "cdcs-a", "value": 5, "year": 2023}
    await post(reg, "/works", {**work, "occasion": "Tết", "registered_on": "2023-03-01"})
    await post(reg, "/targets", {"unit": "cdcs-a", "programme": "initiatives", "year": 2023, "target": 3})
    covenant = {"block": "khoi-1", "year": 2023, "units": ["cdcs-a", "cdcs-b"], "signed_on": "2023-02-15"}
    await post(reg, "/covenants", {**covenant, "criteria": [{"name": "Điểm", "max_score": 10}]})
    rating = {"subject_kind": "member", "subject_code": "dv-1", "year": 2023, "rating": "excellent"}
    await post(awards, "/ratings", rating)
    nomination = {"subject_kind": "member", "subject_code": "dv-1", "award": "giay-khen", "year": 2023}
    nid = str((await post(awards, "/nominations", nomination))["id"])
    member = {"user": "insider", "name": "Insider", "unit_path": ["cdcs-a"]}
    council = {"code": "hd-a", "name": RECORD_MARKS[2], "year": 2023, "meets_on": "2023-12-10"}
    await post(awards, "/councils", {**council, "quorum": 1, "members": [member], "nominations": [nid]})

    async def projected() -> None:
        r = await reporting.get("/v1/federations/bac-kan/history/member/dv-1", headers=ADMIN)
        assert "initiative-registered" in r.text and "nomination-submitted" in r.text, r.text
        r = await reporting.get("/v1/federations/bac-kan/reports/works", params={"year": 2023}, headers=ADMIN)
        assert r.json().get("registered") == 1, r.text

    await eventually(projected)
    return nid


# Gaps found by this matrix and left to a service's owner, each with its reason, are reported as
# warnings instead of failures (a change of the log is never excused). Remove an entry once fixed.
KNOWN_GAPS: dict[str, str] = {}


# -- the verdict -------------------------------------------------------------------------------


def fault(case: str, method: str, has_federation: bool, r: httpx.Response, sent: str) -> str | None:
    case = case.removesuffix(" (product)").replace("another issuer", "expired")
    marks = (*VICTIM_MARKS[:2], *RECORD_MARKS) if case == "outside subtree" else (*VICTIM_MARKS, SIBLING_MARK)
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
    from shared.kernel.settings import AwardsSettings, RegistrationSettings, ReportingSettings

    keys = JwksServer()
    product = {
        "jwks_url": keys.url,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "jwks_refetch_seconds": 0.5,
    }
    parts = {
        "registration": (registration, RegistrationSettings, {"api", "relay"}),
        "awards": (awards, AwardsSettings, {"api", "relay", "consumer"}),
        "reporting": (reporting, ReportingSettings, {"api", "consumer"}),
    }
    async with contextlib.AsyncExitStack() as stack:
        out = {}
        for name, (module, settings, components) in parts.items():
            rt = module.runtime(isolation.settings(settings, **product), frozenset(components))
            out[name] = (rt, await stack.enter_async_context(in_process(rt, module.build_app)))
            if name == "registration":
                keys.body = (await out[name][1].get("/.well-known/jwks.json")).content
        stack.callback(keys.close)
        yield out


class JwksServer:
    """Registration's /.well-known/jwks.json as the services would fetch it over HTTP (the
    services here run in this process, without a port of their own)."""

    def __init__(self) -> None:
        self.body = b'{"keys": []}'
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/.well-known/jwks.json"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.http.shutdown()


async def heads(running: dict[str, tuple[Any, httpx.AsyncClient]]) -> dict[str, int]:
    return {name: await rt.eventlog.head() for name, (rt, _) in running.items() if rt.eventlog is not None}


async def test_every_route_refuses_every_caller_that_must_not_act(isolation: Isolation) -> None:
    async with services(isolation) as running:
        seed = await _seed(running["registration"][1], running["awards"][1], running["reporting"][1])
        before = await heads(running)
        product = await product_callers(running["registration"][0])
        faults: dict[str, str] = {}
        checked = 0
        for name, (_rt, client) in running.items():
            app = client._transport.app  # type: ignore[attr-defined]
            spec = app.openapi()
            for path, method in routes(app):
                has_federation = "{federation}" in path
                for case, headers in {**callers(), **product}.items():
                    if case == "read-only role" and method not in WRITES:
                        continue
                    for variant, request in requests_for(path, method, spec, seed):
                        r = await client.request(headers=headers, **request)
                        checked += 1
                        sent = json.dumps(request, default=repr)  # a form's file is bytes
                        problem = fault(case, method, has_federation, r, sent)
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
        # the national lists, refused above to every caller but national staff, answer them
        national = bearer("*", ["reader"], sub="national")
        r = await reg.get("/v1/federations", headers=national)
        assert r.status_code == 200 and "bac-kan" in [f["code"] for f in r.json()["items"]], r.text
        r = await reporting.get("/v1/reports/roll-up", params={"year": 2023}, headers=national)
        rows = r.json().get("by_federation", []) if r.status_code == 200 else []
        assert "bac-kan" in [f["federation"] for f in rows], r.text
        # a change of the log is never excused
        known = {k: v for k, v in faults.items() if k in KNOWN_GAPS and "log changed" not in v}
        for key, problem in sorted(known.items()):
            warnings.warn(f"known gap: {key}: {problem} ({KNOWN_GAPS[key]})", stacklevel=1)
        new = {k: v for k, v in faults.items() if k not in known}
        assert not new, "unprotected:\n" + "\n".join(f"{k}: {v}" for k, v in sorted(new.items()))


# Unit-scoped tokens of other subtrees: the sibling, another branch, and a unit below the victim.
OUTSIDERS = {
    "sibling": bearer("bac-kan/cdcs-b", list(ROLES), sub="intruder"),
    "other branch": bearer("bac-kan/tp-2/cdcs-x", list(ROLES), sub="intruder"),
    "below": bearer("bac-kan/cdcs-a/to-a1", list(ROLES), sub="intruder"),
}
STAFF = bearer("bac-kan", ["reader"], sub="staff")
INSIDER = bearer("bac-kan/cdcs-a", ["clerk", "council"], sub="insider")
# Codes that do not exist, in place of the victim's: the answers must not tell them apart.
GHOST_CODES = {
    "cdcs-a": "zz-ghost-u",
    "dv-1": "zz-ghost-m",
    "ini-a": "zz-ghost-i",
    "ct-a": "zz-ghost-w",
    "hd-a": "zz-ghost-c",
    "khoi-1": "zz-ghost-k",
}
# Records of the federation itself, not of the victim unit: its own token does not read them.
# A decision's signed scan names every grant of the decision: federation staff's only.
# Staff's alone: a unit's own token is refused them (the whole decision names every grant).
FEDERATION_RECORDS = (
    "/covenants/",
    "/decisions/{decision_id}/attachments",
    "/decisions/{decision_id}/document.{kind}",
)


async def test_a_unit_token_reads_another_subtrees_records_as_if_they_did_not_exist(
    isolation: Isolation,
) -> None:
    """Every read (JSON and .xlsx) naming a record of the victim unit answers a unit-scoped
    token of another subtree exactly (status and body) as it answers for codes that do not
    exist; the same reads answer federation staff and the victim unit's own token."""
    async with services(isolation) as running:
        seed = await _seed(running["registration"][1], running["awards"][1], running["reporting"][1])
        ghosts = {
            **GHOST_CODES,
            **{v: "00000000-0000-4000-8000-00000000000" + str(i) for i, v in enumerate(seed.ids.values())},
        }
        differ: dict[str, str] = {}
        hidden = 0
        for name, (_rt, client) in running.items():
            app = client._transport.app  # type: ignore[attr-defined]
            spec = app.openapi()
            for path, method in routes(app):
                if method != "GET" or "{federation}" not in path:
                    continue
                for variant, request in read_variants(path, spec, seed):
                    ghost = ghost_of(request, ghosts)
                    if ghost == request:
                        continue  # names nothing of the victim
                    where = f"{name} GET {path}{variant}"
                    for case, headers in OUTSIDERS.items():
                        real = await client.request(headers=headers, **request)
                        fake = await client.request(headers=headers, **ghost)
                        seen, unseen = as_ghost(text_of(real), ghosts), text_of(fake)
                        if (real.status_code, seen) != (fake.status_code, unseen):
                            differ[f"{where} [{case}]"] = (
                                f"{real.status_code} {seen[:160]} != {fake.status_code} {unseen[:160]}"
                            )
                        leaked = [m for m in (*VICTIM_MARKS[:2], *RECORD_MARKS) if m in text_of(real)]
                        if leaked:
                            differ[f"{where} [{case}]"] = f"{real.status_code} leaks {leaked}"
                        hidden += real.status_code == 404
                    # hidden, not missing: staff read it, and so does the unit's own token
                    staff = await client.request(headers=STAFF, **request)
                    own = await client.request(headers=INSIDER, **request)
                    if (
                        staff.is_success
                        and not own.is_success
                        and not any(p in path for p in FEDERATION_RECORDS)
                    ):
                        differ[f"{where} [own unit]"] = f"{own.status_code} {own.text[:200]}"
                    # (a 403 for the staff token's role, e.g. who holds access, hides nothing)
                    if real.status_code == 404 and not staff.is_success and staff.status_code != 403:
                        differ[f"{where} [staff]"] = f"{staff.status_code} {staff.text[:200]}"
        assert hidden > 60, hidden
        assert not differ, "out of scope answered unlike nonexistent:\n" + "\n".join(
            f"{k}: {v}" for k, v in sorted(differ.items())
        )


async def test_a_unit_token_acting_on_another_subtrees_records_is_answered_as_if_they_did_not_exist(
    isolation: Isolation,
) -> None:
    """Every write naming a unit, member or record of the victim (in its path or its body)
    answers a unit-scoped token of another subtree exactly as it answers for codes that do not
    exist, and changes nothing."""
    async with services(isolation) as running:
        seed = await _seed(running["registration"][1], running["awards"][1], running["reporting"][1])
        ghosts = {
            **GHOST_CODES,
            **{v: "00000000-0000-4000-8000-00000000000" + str(i) for i, v in enumerate(seed.ids.values())},
        }
        before = await heads(running)
        differ: dict[str, str] = {}
        compared = 0
        for name, (_rt, client) in running.items():
            app = client._transport.app  # type: ignore[attr-defined]
            spec = app.openapi()
            for path, method in routes(app):
                if method not in WRITES or "{federation}" not in path:
                    continue
                for variant, request in requests_for(path, method, spec, seed):
                    ghost = ghost_of(request, ghosts)
                    if ghost == request:
                        continue
                    where = f"{name} {method} {path}{variant}"
                    for case, headers in OUTSIDERS.items():
                        real = await client.request(headers=headers, **request)
                        fake = await client.request(headers=headers, **ghost)
                        compared += 1
                        seen, unseen = as_ghost(text_of(real), ghosts), text_of(fake)
                        if (real.status_code, seen) != (fake.status_code, unseen):
                            differ[f"{where} [{case}]"] = (
                                f"{real.status_code} {seen[:200]} != {fake.status_code} {unseen[:200]}"
                            )
        assert await heads(running) == before, "a refused write changed the log"
        assert compared > 50, compared
        assert not differ, "out of scope answered unlike nonexistent:\n" + "\n".join(
            f"{k}: {v}" for k, v in sorted(differ.items())
        )
