"""A service's OpenAPI document as the service really answers, in one pass over FastAPI's: every
problem an operation can return (RFC 9457 application/problem+json with the field errors, in place
of FastAPI's HTTPValidationError, which no service sends), the headers commands honour and return,
the .xlsx answers, and an example request and answer for each operation.

What an operation can return is read from its route: a command (it depends on the command
context: Idempotency-Key, If-Match, X-Reason) can meet a conflict or a stale version; a body can be
too large or malformed; a path parameter can name nothing; everything but the public paths needs a
token. A route that declared a media type other than JSON and has no JSON model (a template, a
document) answers only that type; one with `format=xlsx` answers either."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi.routing import APIRoute

from shared.web.gate import is_public
from shared.web.openapi_examples import example_of, problem_example

PROBLEM = "application/problem+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
METHODS = ("get", "post", "put", "patch", "delete")
WITH_BODY = ("post", "put", "patch")

PROBLEM_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details, as every error is answered.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {
                "type": "string",
                "format": "uri",
                "description": "https://tdkt.congdoan.vn/problems/<slug>",
            },
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "what was wrong, for a person; never internals"},
            "instance": {"type": "string", "description": "reserved by RFC 9457; not sent today"},
            "errors": {
                "type": "array",
                "description": "each offending field, parameter or header (and row of an upload)",
                "items": {"$ref": "#/components/schemas/FieldError"},
            },
        },
    },
    "FieldError": {
        "type": "object",
        "required": ["field", "message"],
        "properties": {
            "field": {"type": "string", "description": "the field, parameter or header, e.g. pledged_on"},
            "message": {"type": "string"},
            "row": {"type": "integer", "description": "the row of a batch or an upload"},
        },
    },
}
PROBLEM_WORDS = {
    400: "The request is malformed (a JSON body nested too deep, a bad upload).",
    401: "No token, or one that is expired, not signed by the product or not for this service.",
    403: "The token's roles or scope do not allow this.",
    404: "Nothing by that name here, or it is outside the token's subtree (the same answer).",
    409: "It conflicts with the resource's state or with a concurrent change.",
    412: "If-Match named a version that is no longer current.",
    413: "The body is larger than the service accepts.",
    422: "A field, parameter or header breaks a rule (each named in errors), or an Idempotency-Key "
    "was reused with another request.",
    500: "An internal error (the log says where; the answer never says what).",
    503: "A dependency (the database or the broker) is unavailable; retry after Retry-After seconds.",
}
TEXT = {"type": "string"}
PROBLEM_HEADERS = {
    401: {"WWW-Authenticate": {"description": "Bearer", "schema": TEXT}},
    503: {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}},
}
TRACE_HEADERS = {
    "X-Request-ID": {"description": "this request's id (also in the service's log)", "schema": TEXT},
    "X-Correlation-ID": {"description": "the correlation id sent, else the request id", "schema": TEXT},
}
COMMAND_HEADERS = {
    "ETag": {
        "description": "the aggregate's version after the command; send it back as If-Match",
        "schema": TEXT,
    },
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored answer to an earlier request with the same "
        "Idempotency-Key and body (no second effect)",
        "schema": {"type": "string", "enum": ["true"]},
    },
}
PAGE = {
    "type": "object",
    "description": "A page of a list: pass `next_cursor` as `cursor` for the next (null on the last).",
    "required": ["next_cursor"],
    "properties": {
        "items": {"type": "array", "items": {"type": "object"}},
        "next_cursor": {"type": ["string", "null"], "example": "WyJzdWJtaXR0ZWQiLCAxMiwgMTJd"},
    },
}
COMMAND_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "the same key and body again answer the first result, never a second effect; "
        "the same key with another body is 422",
        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    },
    {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "description": "the ETag the resource was read with; a version no longer current is 412 (or 409)",
        "schema": {"type": "string", "pattern": '^(W/)?"?[0-9]+"?$'},
    },
    {
        "name": "X-Reason",
        "in": "header",
        "required": False,
        "description": "why, as UTF-8 bytes (at most 4,000 characters); recorded with the event",
        "schema": {"type": "string", "maxLength": 4000},
    },
]


def document_contract(app: Any, routers: list[Any], command_context: Callable[..., Any]) -> None:
    """Rewrite the app's OpenAPI once, when first asked. `routers`: the APIRouters the app
    includes (unprefixed); `command_context`: the dependency every command takes
    (shared.web.app.context)."""
    build = app.openapi
    done: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if "schema" not in done:
            commands = {
                (path, method.lower())
                for path, route in _routes([r for router in routers for r in router.routes])
                if _depends_on(route.dependant, command_context)
                for method in route.methods or ()
            }
            done["schema"] = contract(build(), commands)
        return done["schema"]  # type: ignore[no-any-return]

    app.openapi = openapi


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Each route with its full path, also those of routers a router includes (FastAPI keeps
    those as included routers: `original_router`, under `include_context.prefix`)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path_format, route
        elif hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes, prefix + route.include_context.prefix)


def _depends_on(dependant: Any, call: Callable[..., Any]) -> bool:
    return any(d.call is call or _depends_on(d, call) for d in dependant.dependencies)


def contract(schema: dict[str, Any], commands: set[tuple[str, str]]) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update(PROBLEM_SCHEMAS)
    components["responses"] = {f"Problem{s}": _problem_response(s) for s in PROBLEM_WORDS}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if method in METHODS:
                _operation(path, method, operation, (path, method) in commands, components)
    return schema


def _operation(path: str, method: str, op: dict[str, Any], command: bool, components: dict[str, Any]) -> None:
    responses = op.setdefault("responses", {})
    responses.pop("422", None)  # FastAPI's HTTPValidationError
    has_body = "requestBody" in op
    params = [p for p in op.get("parameters", []) if p.get("in") in ("path", "query")]
    if command:
        names = {p["name"].lower() for p in op.get("parameters", [])}
        op["parameters"] = op.get("parameters", []) + [
            p for p in COMMAND_PARAMETERS if p["name"].lower() not in names
        ]
    statuses = {500, 503}
    if not is_public(path):
        statuses |= {401, 403}
    elif path.startswith("/v1/"):  # a public API path still weighs what proves who the caller is
        statuses.add(401)
    if params or has_body or command:
        statuses.add(422)
    if "{" in path:
        statuses.add(404)
    if has_body or command:
        statuses |= {400, 413}
    if command:
        statuses |= {404, 409, 412}
    for status in sorted(statuses):
        responses.setdefault(str(status), {"$ref": f"#/components/responses/Problem{status}"})
    for status, response in responses.items():
        if status[0] in "45" and "$ref" not in response:  # a route's own words for a problem
            words = response.get("description") or PROBLEM_WORDS.get(int(status), "A problem.")
            response.update(_problem_response(int(status)), description=words)
    for status, response in responses.items():
        if status.startswith("2"):
            _success(op, response, command, components)
    if has_body:
        _request_example(op["requestBody"], components)


def _success(op: dict[str, Any], response: dict[str, Any], command: bool, components: dict[str, Any]) -> None:
    content = response.get("content", {})
    parameters = op.get("parameters", [])
    formats = next((p for p in parameters if p["name"] == "format" and p["in"] == "query"), None)
    if formats and "xlsx" in str(formats.get("schema", {})) and XLSX not in content:
        content[XLSX] = {"schema": {"type": "string", "format": "binary"}}
        response["description"] = f"{response.get('description', 'The report')}; with format=xlsx, a workbook"
    own = [t for t in content if t != "application/json"]
    if own and not formats and content.get("application/json", {}).get("schema") in ({}, None):
        content.pop("application/json", None)  # a template or a document: only its own type
    json_body = content.get("application/json")
    if json_body is not None and _untyped(json_body.get("schema")):
        cursor = any(p["name"] == "cursor" and p["in"] == "query" for p in parameters)
        shown = json_body.get("example")  # the route's own example answer says its shape
        kind = "array" if isinstance(shown, list) else None
        kind = "object" if command or isinstance(shown, dict) else kind
        if cursor or kind:  # a page of a list, or an object or array as its example or a command's
            json_body["schema"] = {**json_body.get("schema", {}), **(PAGE if cursor else {"type": kind})}
    if json_body is not None and "example" not in json_body and "examples" not in json_body:
        example = example_of(json_body.get("schema", {}), components)
        if example not in (None, {}, []):
            json_body["example"] = example
    headers = response.setdefault("headers", {})
    headers.update(TRACE_HEADERS)
    if command:
        headers.update(COMMAND_HEADERS)


def _untyped(schema: Any) -> bool:
    """FastAPI's schema of an answer without a model: anything, or any object."""
    if not isinstance(schema, dict):
        return schema is None
    return (
        not (set(schema) - {"title", "description", "type", "additionalProperties"})
        and schema.get("type", "object") == "object"
    )


def _request_example(body: dict[str, Any], components: dict[str, Any]) -> None:
    media = body.get("content", {}).get("application/json")
    if media is None or "example" in media or "examples" in media:
        return
    schema = media.get("schema", {})
    ref = schema.get("$ref", "").rsplit("/", 1)[-1]
    target = components.get("schemas", {}).get(ref, schema)
    if "example" in target or target.get("examples"):
        return
    example = example_of(schema, components)
    if example is not None:
        media["example"] = example


def _problem_response(status: int) -> dict[str, Any]:
    example = problem_example(status) if status in PROBLEM_WORDS else None
    return {
        "description": PROBLEM_WORDS.get(status, "A problem."),
        "headers": {**PROBLEM_HEADERS.get(status, {}), **TRACE_HEADERS},
        "content": {
            PROBLEM: {
                "schema": {"$ref": "#/components/schemas/Problem"},
            }
            | ({"example": example} if example else {})
        },
    }
