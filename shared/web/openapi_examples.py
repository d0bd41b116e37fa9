"""Examples for an OpenAPI document, where a route gave none: a request body built from its JSON
Schema (a route's own example always wins), and each problem answer as the service sends it."""

from __future__ import annotations

from typing import Any

# Values of string formats, and of fields whose names say what they hold, as a clerk would send.
FORMATS = {
    "date": "2023-12-22",
    "date-time": "2023-12-22T08:30:00+07:00",
    "uuid": "3f0c2b1e-8d4a-5b7e-9c21-0a6d4e8f1b23",
    "email": "thu@ldld-bac-kan.vn",
    "uri": "https://tdkt.congdoan.vn/",
    "binary": "",
}
NAMED = {
    "federation": "bac-kan",
    "unit": "cdcs-truong-a",
    "block": "khoi-1",
    "code": "dv-0001",
    "subject_code": "dv-0001",
    "award": "bang-khen-ldld",
    "movement": "td-2023",
    "number": "45/QĐ-LĐLĐ",
    "signer": "Hoàng Thị Thu",
    "name": "Hoàng Thị Thu",
    "full_name": "Nguyễn Văn An",
    "reason": "theo đề nghị của Ban Thường vụ",
    "user": "thu.bac-kan",
}
YEAR = 2023


def example_of(schema: Any, components: dict[str, Any], name: str = "", depth: int = 0) -> Any:
    """A value that fits `schema` (its example, default, first enum value or a typed placeholder);
    objects hold their required properties and those with an example or a default."""
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "$ref" in schema:
        target = components.get("schemas", {}).get(schema["$ref"].rsplit("/", 1)[-1], {})
        return example_of(target, components, name, depth + 1)
    for key in ("example", "default", "const"):
        if key in schema:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        options = [s for s in schema.get(key, []) if s.get("type") != "null"]
        if options:
            return example_of(options[0], components, name, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        return _object(schema, components, depth)
    if kind == "array":
        return [example_of(schema.get("items", {}), components, name, depth + 1)]
    if kind in ("integer", "number"):
        return _number(schema, name)
    if kind == "boolean":
        return False
    if kind == "string":
        return _text(schema, name)
    return None


def _object(schema: dict[str, Any], components: dict[str, Any], depth: int) -> dict[str, Any]:
    required = set(schema.get("required", []))
    out = {}
    for key, sub in schema.get("properties", {}).items():
        if key in required or (isinstance(sub, dict) and ({"example", "examples"} & set(sub))):
            out[key] = example_of(sub, components, key, depth + 1)
    return out


def _number(schema: dict[str, Any], name: str) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1 if "exclusiveMinimum" in schema else 1)
    high = schema.get("maximum", 10**9)
    value = YEAR if "year" in name and low <= YEAR <= high else low
    return int(value) if schema.get("type") == "integer" else value  # type: ignore[no-any-return]


def _text(schema: dict[str, Any], name: str) -> str:
    if schema.get("format") in FORMATS:
        return FORMATS[schema["format"]]
    value = NAMED.get(name, "Nội dung")
    low, high = schema.get("minLength", 0), schema.get("maxLength", 10_000)
    if not low <= len(value) <= high:
        value = ("a" * max(low, 1))[: max(high, 1)]
    return value


PROBLEM_EXAMPLES: dict[int, tuple[str, str, str, list[dict[str, Any]]]] = {
    400: ("Bad request", "bad-request", "the JSON body is nested more than 64 levels deep", []),
    401: ("Unauthorized", "unauthorized", "a bearer token is required", []),
    403: ("Forbidden", "forbidden", "your roles do not allow pledge.submit in bac-kan", []),
    404: ("Not found", "not-found", "no unit cdcs-truong-x in bac-kan", []),
    409: ("Conflict", "conflict", "this pledge is accepted", []),
    412: ("Precondition failed", "stale-version", "the resource is at version 4, not 3", []),
    413: ("Payload too large", "too-large", "the body is 9000000 bytes; the limit is 8388608", []),
    422: (
        "Invalid input",
        "invalid",
        "pledged_on: the date is after the movement's registration deadline",
        [{"field": "pledged_on", "message": "the date is after the movement's registration deadline"}],
    ),
    500: ("Internal error", "internal", "the request could not be completed", []),
    503: ("Service unavailable", "unavailable", "a dependency is unavailable; retry later", []),
}


def problem_example(status: int) -> dict[str, Any]:
    """The problem a service sends for `status` (shared.web.problems), with a realistic detail."""
    title, slug, detail, errors = PROBLEM_EXAMPLES[status]
    body: dict[str, Any] = {
        "type": f"https://tdkt.congdoan.vn/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    return body | ({"errors": errors} if errors else {})
