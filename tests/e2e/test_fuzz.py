"""Property-based fuzzing (Schemathesis) of the three services started as real processes: no
request, however malformed or hostile, may get a server error (5xx). The stack is fuzz_stack.py's,
the generated phases fuzz_generation.py's (shared with test_conformance.py).

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

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from schemathesis.schemas import APIOperation

from tests.e2e.fuzz_generation import ServerError, findings, report
from tests.e2e.fuzz_stack import SERVICES, TIMEOUT, Stack, operations, real_path_parameters

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


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("who", ["admin", "clerk"])
def test_no_server_error(stack: Stack, service: str, who: str) -> None:
    errors = [f for f in findings(stack, service, who) if f.check == "ServerError"]
    errors += hostile(stack, service, who)
    if errors:
        pytest.fail(report(stack, errors), pytrace=False)
    # Not a vacuous pass: generation reached every operation many times over.
    assert stack.sent[f"{service}/{who}"] >= 20 * len(operations(stack, service)), stack.sent
