"""Property-based fuzzing (Schemathesis) of the three services started as real processes: no
request, however malformed or hostile, may get a server error (5xx).

The services run in their own database and exchange with real records in them (a federation,
units, members, a movement, pledges, initiatives, works, a covenant, a target, ratings, a
decision with its grants, nominations, a council), so fuzzed paths reach those records and not
only 404s. Each service's /openapi.json is fuzzed operation by operation, once with a national
admin's token and once with a unit-scoped clerk's, in four phases:

* examples: the request examples of the document;
* positive: requests Schemathesis generates to fit the document;
* negative: requests it generates to violate it (wrong types, missing fields, out-of-range values);
* hostile: hand-chosen values, one at a time, in every path and query parameter and every
  string or integer field of the document's example body: NUL, other C0/C1 controls,
  bidirectional overrides, zero-width characters, a trailing newline, a lone surrogate, integers
  beyond 64 bits; JSON nested 990 and 100,000 deep; odd If-Match and Idempotency-Key headers;
  then every read once more, plainly, so a stored value that poisons a list is caught.

Generation is derandomised (the same requests on every run), nothing is shrunk, and every
request runs, so one run lists every server error with its reproducer and the service's log of
the exception (type and frames).
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.schemas import APIOperation

from tests.support import ROOT, Isolation, ServiceProcess, token

SERVICES = ("registration", "awards", "reporting")
FEDERATION = "bac-kan"
OTHER_FEDERATION = "thai-nguyen"
CLERK_SCOPE = f"{FEDERATION}/tp-bac-kan/cdcs-a"
# Examples per operation and generation mode; deadline off (a shared 2-core machine), no
# shrinking, no replay database, the same examples on every run.
SETTINGS = hypothesis.settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
    report_multiple_bugs=False,
)
TIMEOUT = 20.0

# Hostile text: each alone, so one refused does not hide another.
HOSTILE_TEXT = {
    "nul": "an\x00nguyen",
    "c0-c1 controls": "an\x07\x1b\x7f\x85\x9fnguyen",
    "bidi override": "an\u202enguyen\u2066",
    "zero-width": "an\u200bnguyen\ufeff",
    "trailing newline": "dv-1\n",
}
# In a JSON body also an escaped lone surrogate ("\ud800"), which no UTF-8 text can hold.
HOSTILE_BODY_TEXT = {**HOSTILE_TEXT, "lone surrogate": "an\ud800nguyen"}
HOSTILE_NUMBERS = {
    "2**63": str(2**63),
    "2**64": str(2**64),
    "-(2**63)-1": str(-(2**63) - 1),
    "10**40": str(10**40),
    "1e400": "1e400",
}


@dataclass
class Stack:
    isolation: Isolation
    services: dict[str, ServiceProcess]
    real: dict[str, str] = field(default_factory=dict)  # seeded ids: pledge_id, decision_id, ...
    schemas: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    sent: collections.Counter[str] = field(default_factory=collections.Counter)  # requests per run

    def url(self, service: str) -> str:
        return self.services[service].url


@dataclass
class ServerError:
    service: str
    who: str
    phase: str
    operation: str
    status: int
    reproducer: str
    request_id: str


def _in_thread(coroutine: Any) -> None:
    """Run a coroutine to completion on a loop of its own (the fixture is synchronous)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    isolation = Isolation()
    env = isolation.env()
    services = {name: ServiceProcess(name, env) for name in SERVICES}
    try:
        for service in services.values():
            service.start()
        result = Stack(isolation, services)
        result.tokens = {
            "admin": token("*", ["admin"], sub="fuzz.admin"),
            "clerk": token(CLERK_SCOPE, ["clerk"], sub="fuzz.clerk"),
        }
        seed(result)
        for name in SERVICES:
            document = httpx.get(f"{result.url(name)}/openapi.json", timeout=TIMEOUT).json()
            schema = schemathesis.openapi.from_dict(document)
            schema.config.update(base_url=result.url(name))
            schema.config.generation.update(allow_x00=True, no_shrink=True, deterministic=True)
            result.schemas[name] = schema
        yield result
    finally:
        for service in services.values():
            service.stop()
        isolation.drop()
        _in_thread(isolation.drop_broker_objects())


def seed(stack: Stack) -> None:
    """Real records in every service, written as an admin would."""
    headers = {"Authorization": f"Bearer {stack.tokens['admin']}"}
    reg, awards = stack.url("registration"), stack.url("awards")
    fed = f"{reg}/v1/federations/{FEDERATION}"
    with httpx.Client(timeout=TIMEOUT, headers=headers) as http:

        def post(url: str, body: Any, expect: int = 201) -> dict[str, Any]:
            r = http.post(url, json=body)
            assert r.status_code == expect, (url, r.status_code, r.text)
            return r.json() if r.content else {}

        post(f"{reg}/v1/federations", {"code": FEDERATION, "name": "LĐLĐ tỉnh Bắc Kạn"})
        post(f"{reg}/v1/federations", {"code": OTHER_FEDERATION, "name": "LĐLĐ tỉnh Thái Nguyên"})
        units = [("tp-bac-kan", "upper", None), ("cdcs-a", "grassroots", "tp-bac-kan")]
        units += [("cdcs-b", "grassroots", "tp-bac-kan"), ("cdcs-c", "grassroots", None)]
        units += [("khoi-1", "block", None)]
        for code, kind, parent in units:
            body = {"code": code, "name": f"Đơn vị {code}", "kind": kind, "effective_on": "2020-01-01"}
            post(f"{fed}/units", {**body, "parent": parent} if parent else body)
        other = f"{reg}/v1/federations/{OTHER_FEDERATION}"
        post(f"{other}/units", {"code": "cdcs-x", "name": "X", "kind": "upper"})
        for code, unit in (("dv-1", "cdcs-a"), ("dv-2", "cdcs-a"), ("dv-3", "cdcs-b"), ("dv-4", "cdcs-c")):
            post(f"{fed}/members", {"code": code, "full_name": f"Nguyễn Văn {code}", "unit": unit})
        for year in (2023, 2024):
            post(
                f"{fed}/movements",
                {
                    "code": f"td-{year}",
                    "name": f"Phong trào thi đua năm {year}",
                    "year": year,
                    "awards": ["bang-khen-ldld", "giay-khen"],
                    "registration_deadline": f"{year}-03-31",
                },
            )
        for code in ("dv-1", "dv-3"):
            pledge = post(
                f"{fed}/pledges",
                {
                    "movement": "td-2023",
                    "award": "bang-khen-ldld",
                    "subject_kind": "member",
                    "subject_code": code,
                    "pledged_on": "2023-02-01",
                },
            )
            stack.real.setdefault("pledge_id", pledge["id"])
        post(
            f"{fed}/initiatives",
            {
                "code": "sk-1",
                "title": "Phần mềm quản lý hồ sơ",
                "field": "công nghệ thông tin",
                "benefit_value": 150000000,
                "author_kind": "member",
                "author_code": "dv-1",
                "year": 2023,
                "registered_on": "2023-03-01",
            },
        )
        post(
            f"{fed}/works",
            {
                "code": "ct-1",
                "name": "Nhà văn hoá",
                "unit": "cdcs-a",
                "value": 1000,
                "year": 2023,
                "occasion": "Đại hội",
                "registered_on": "2023-03-01",
            },
        )
        post(
            f"{fed}/targets",
            {"unit": "cdcs-a", "programme": "initiatives", "year": 2023, "target": 10, "origin": "assigned"},
        )
        post(
            f"{fed}/covenants",
            {
                "block": "khoi-1",
                "year": 2023,
                "units": ["cdcs-a", "cdcs-b"],
                "signed_on": "2023-02-15",
                "criteria": [{"name": "Chuyên môn", "max_score": 100}],
            },
        )

        # awards learns the tree from registration's events
        fed = f"{awards}/v1/federations/{FEDERATION}"
        deadline = time.monotonic() + 30
        while True:
            r = http.post(
                f"{fed}/ratings",
                json={"subject_kind": "member", "subject_code": "dv-4", "year": 2023, "rating": "excellent"},
            )
            if r.status_code == 201 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert r.status_code == 201, r.text
        decision = post(
            f"{fed}/decisions",
            {
                "number": "45/QĐ-LĐLĐ",
                "signed_on": "2023-12-22",
                "signer": "Hoàng Thị Thu",
                "year": 2023,
                "grants": [{"subject_kind": "member", "subject_code": "dv-1", "award": "bang-khen-ldld"}],
            },
        )
        stack.real["decision_id"] = decision["id"]
        stack.real["grant_id"] = decision["grants"][0]["grant_id"]
        nomination = post(
            f"{fed}/nominations",
            {"subject_kind": "member", "subject_code": "dv-2", "award": "giay-khen", "year": 2023},
        )
        stack.real["nomination_id"] = nomination["id"]
        post(
            f"{fed}/councils",
            {
                "code": "hd-1",
                "name": "Hội đồng TĐKT",
                "year": 2023,
                "meets_on": "2023-12-01",
                "quorum": 1,
                "members": [{"user": "fuzz.admin", "name": "Hoàng Thị Thu"}],
                "nominations": [nomination["id"]],
            },
        )


# ---------------------------------------------------------------------------------------------
# Path parameters of real records


def real_path_parameters(stack: Stack, operation: APIOperation) -> dict[str, Any]:
    """Values of the operation's path parameters that name seeded records."""
    segments = operation.path.split("/")
    values: dict[str, Any] = {}
    for i, segment in enumerate(segments):
        for name in re.findall(r"\{(\w+)\}", segment):
            before = segments[i - 1] if i else ""
            values[name] = _real_value(stack, name, before, operation.path)
    return values


def _real_value(stack: Stack, name: str, before: str, path: str) -> Any:
    codes = {
        "units": "cdcs-a",
        "members": "dv-1",
        "movements": "td-2023",
        "initiatives": "sk-1",
        "works": "ct-1",
        "councils": "hd-1",
    }
    if name == "federation":
        return FEDERATION
    if name == "code":
        return codes.get(before, "dv-1")
    if name in stack.real:
        return stack.real[name]
    fixed = {
        "block": "khoi-1",
        "year": 2023,
        "unit": "cdcs-a",
        "programme": "initiatives",
        "subject_kind": "member",
        "subject_code": "dv-1",
        "resource": "ratings",
        "name": "fuzz",
    }
    return fixed.get(name, "x")


# ---------------------------------------------------------------------------------------------
# The phases


def operations(stack: Stack, service: str) -> list[APIOperation]:
    found = []
    for result in stack.schemas[service].get_all_operations():
        found.append(result.ok())
    return found


def generated(stack: Stack, service: str, who: str, mode: str) -> list[ServerError]:
    """Schemathesis's own generation (or the document's examples), checked by not_a_server_error."""
    found: list[ServerError] = []
    headers = {"Authorization": f"Bearer {stack.tokens[who]}"}
    with requests.Session() as session:
        for operation in operations(stack, service):
            real = real_path_parameters(stack, operation)
            if mode == "examples":
                strategies = operation.get_strategies_from_examples()
                if not strategies:
                    continue
                strategy = st.one_of(strategies)
            else:
                generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
                strategy = operation.as_strategy(generation_mode=generation)
                if real:  # half of them on the seeded records
                    on_records = operation.as_strategy(generation_mode=generation, path_parameters=real)
                    strategy = st.one_of(on_records, strategy)
            for case, response in _cases(strategy, session, headers, stack.sent, f"{service}/{who}"):
                request_id = (response.headers.get("x-request-id") or [""])[0]
                curl = _redact(case.as_curl_command(headers=headers))
                found.append(
                    ServerError(service, who, mode, operation.label, response.status_code, curl, request_id)
                )
    return found


def _cases(
    strategy: st.SearchStrategy[schemathesis.Case],
    session: requests.Session,
    headers: dict[str, str],
    sent: collections.Counter[str],
    key: str,
) -> list[tuple[schemathesis.Case, schemathesis.Response]]:
    """Each generated case sent once; those whose answer fails not_a_server_error (no shrinking:
    the run goes on, so every failing case is listed)."""
    failed: list[tuple[schemathesis.Case, schemathesis.Response]] = []

    @SETTINGS
    @hypothesis.given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        response = case.call(session=session, headers=headers, timeout=TIMEOUT)
        sent[key] += 1
        try:
            case.validate_response(response, checks=[not_a_server_error], headers=headers)
        except FailureGroup:
            failed.append((case, response))

    # Unsatisfiable: nothing to negate (an operation without parameters or body).
    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        run()
    return failed


def _redact(curl: str) -> str:
    return re.sub(r"Bearer [A-Za-z0-9._-]+", "Bearer $TOKEN", curl)


def hostile(stack: Stack, service: str, who: str) -> list[ServerError]:
    """Hand-chosen hostile values, one at a time, in every path and query parameter and every
    string or integer field of the example body; JSON nested deep; odd Idempotency-Key and
    If-Match headers. Then every read once more, plainly: what was stored must not poison it."""
    found: list[ServerError] = []
    headers = {"Authorization": f"Bearer {stack.tokens[who]}"}
    base = stack.url(service)
    failing: set[tuple[str, str]] = set()
    with httpx.Client(timeout=TIMEOUT, headers=headers) as http:

        def send(
            operation: APIOperation,
            what: str,
            path: dict[str, Any],
            query: dict[str, Any],
            body: Any = None,
            raw: bytes | None = None,
            extra: dict[str, Any] | None = None,
        ) -> None:
            url = base + operation.path.format(**{k: _quote(str(v)) for k, v in path.items()})
            content = raw if raw is not None else (None if body is None else json.dumps(body).encode())
            request_headers = {"content-type": "application/json"} if content is not None else {}
            r = http.request(
                operation.method.upper(),
                url,
                params=query,
                content=content,
                headers={**request_headers, **(extra or {})},
            )
            stack.sent[f"{service}/{who}"] += 1
            if r.status_code >= 500 and (operation.label, what) not in failing:
                failing.add((operation.label, what))
                shown = content if content is None or len(content) < 300 else content[:60] + b"..."
                found.append(
                    ServerError(
                        service,
                        who,
                        f"hostile: {what}",
                        operation.label,
                        r.status_code,
                        f"{operation.method.upper()} {r.request.url} body={shown!r} {extra or ''}",
                        r.headers.get("x-request-id", ""),
                    )
                )

        everything = operations(stack, service)
        for operation in everything:
            real = real_path_parameters(stack, operation)
            body = _example_body(operation)
            integers = _integer_parameters(operation)
            for name in real:
                for what, value in {**HOSTILE_TEXT, **HOSTILE_NUMBERS}.items():
                    send(operation, f"path {name}: {what}", {**real, name: value}, {}, body)
            for name in _query_parameters(operation):
                values = HOSTILE_NUMBERS if name in integers else {**HOSTILE_TEXT, **HOSTILE_NUMBERS}
                for what, value in values.items():
                    send(operation, f"query {name}: {what}", real, {name: value}, body)
            for where, example in _leaves(body):
                if isinstance(example, str):
                    for what, value in HOSTILE_BODY_TEXT.items():
                        send(operation, f"body {where}: {what}", real, {}, _replace(body, where, value))
                elif isinstance(example, int) and not isinstance(example, bool):
                    for what, number in HOSTILE_NUMBERS.items():
                        marker = "\u2063fuzz\u2063"
                        raw = json.dumps(_replace(body, where, marker)).replace(json.dumps(marker), number)
                        send(operation, f"body {where}: {what}", real, {}, raw=raw.encode())
            if operation.method.lower() in ("post", "put", "patch", "delete"):
                for what, extra in HOSTILE_HEADERS.items():
                    send(operation, f"header {what}", real, {}, body, extra=extra)
            if operation.method.lower() in ("post", "put", "patch"):
                for depth in (990, 100_000):
                    send(
                        operation,
                        f"body nested {depth} deep (lists)",
                        real,
                        {},
                        raw=b"[" * depth + b"]" * depth,
                    )
                    send(
                        operation,
                        f"body nested {depth} deep (objects)",
                        real,
                        {},
                        raw=b'{"a":' * depth + b"1" + b"}" * depth,
                    )
        for operation in everything:
            if operation.method.lower() == "get":
                send(operation, "read after the hostile writes", real_path_parameters(stack, operation), {})
    return found


HOSTILE_HEADERS: dict[str, dict[str, Any]] = {
    "If-Match beyond 64 bits": {"if-match": f'"{2**64}"'},
    "If-Match negative": {"if-match": 'W/"-1"'},
    "Idempotency-Key of 10000 characters": {"idempotency-key": "k" * 10_000},
    "Idempotency-Key with a bidi override (UTF-8 bytes)": {"idempotency-key": "k\u202ek".encode()},
    "Idempotency-Key with a control character": {"idempotency-key": b"k\x7fk"},
}


def _leaves(value: Any, where: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """Every scalar of a JSON body (a list's first item stands for the rest), by dotted path."""
    if depth > 4:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{where}.{key}" if where else key, depth + 1)
    elif isinstance(value, list):
        if value:
            yield from _leaves(value[0], f"{where}.0" if where else "0", depth + 1)
    elif where:
        yield where, value


def _replace(value: Any, where: str, new: Any) -> Any:
    key, _, rest = where.partition(".")
    if isinstance(value, list):
        copy: Any = list(value)
        copy[int(key)] = _replace(copy[int(key)], rest, new) if rest else new
    else:
        copy = dict(value)
        copy[key] = _replace(copy[key], rest, new) if rest else new
    return copy


def _quote(value: str) -> str:
    return urllib.parse.quote(value, safe="-._~")


def _query_parameters(operation: APIOperation) -> list[str]:
    return [p.name for p in operation.iter_parameters() if p.location == "query"]


def _integer_parameters(operation: APIOperation) -> set[str]:
    names = set()
    for p in operation.iter_parameters():
        schema = p.definition.get("schema", {})
        kinds = [schema.get("type")] + [s.get("type") for s in schema.get("anyOf", [])]
        if "integer" in kinds:
            names.add(p.name)
    return names


def _example_body(operation: APIOperation) -> Any:
    """The document's example request body for JSON, if any."""
    body = operation.definition.raw.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = body.get("schema", {})
    if "$ref" in schema:
        schema = operation.schema.raw_schema["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for key in ("example", "examples"):
        for holder in (body, schema):
            value = holder.get(key)
            if isinstance(value, list) and value:
                return value[0]
            if isinstance(value, dict) and key == "example":
                return value
    return {} if body else None


# ---------------------------------------------------------------------------------------------
# The tests


def _cause(stack: Stack, error: ServerError) -> str:
    """The service's log of the exception behind a 500: its type and innermost frames."""
    with contextlib.suppress(OSError):
        lines = stack.services[error.service].log.read_text(errors="replace").splitlines()
        for i, line in enumerate(lines):
            if error.request_id and error.request_id in line and "unhandled" in line:
                frames = []
                for frame in lines[i + 1 :]:
                    if not frame.startswith(" "):
                        break
                    frames.append(frame.strip())
                kind = line.split("unhandled ", 1)[1].split(" on ", 1)[0]
                own = [
                    f
                    for f in frames
                    if f.startswith("File")
                    and "site-packages" not in f
                    and "/lib/python3" not in f
                    and ".pyx" not in f
                ]
                where = own[-1] if own else (frames[-2] if len(frames) > 1 else "")
                return f"{kind} at {where.replace(str(ROOT) + '/', '')}"
    return "(no log line for this request)"


def _report(stack: Stack, errors: list[ServerError]) -> str:
    """One entry per operation and cause, with the first reproducer and every variant."""
    grouped: dict[tuple[str, str], list[ServerError]] = {}
    for error in errors:
        grouped.setdefault((error.operation, _cause(stack, error)), []).append(error)
    lines = [f"{len(grouped)} distinct server errors ({len(errors)} failing requests):"]
    for (operation, cause), group in grouped.items():
        first = group[0]
        variants = sorted({f"{e.who}/{e.phase}" for e in group})
        lines += [
            f"- {first.service} {operation} -> {first.status} ({', '.join(variants)})",
            f"    {first.reproducer}",
            f"    cause: {cause}",
        ]
    return "\n".join(lines)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("who", ["admin", "clerk"])
def test_no_server_error(stack: Stack, service: str, who: str) -> None:
    errors: list[ServerError] = []
    for mode in ("examples", "positive", "negative"):
        errors += generated(stack, service, who, mode)
    errors += hostile(stack, service, who)
    if errors:
        pytest.fail(_report(stack, errors), pytrace=False)
    # Not a vacuous pass: generation reached every operation many times over.
    assert stack.sent[f"{service}/{who}"] >= 20 * len(operations(stack, service)), stack.sent
