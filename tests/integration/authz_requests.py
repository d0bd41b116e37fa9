"""Requests generated from a FastAPI app's routes and OpenAPI schemas, aimed at a seeded victim:
path parameters, required query parameters and bodies filled with plausible values that name the
victim's codes wherever a code fits (test_authz_matrix)."""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import openpyxl
from fastapi import FastAPI
from fastapi.routing import APIRoute

# and registration's key set and token exchange (its proof is the ID token in the body), and
# awards' public disclosure board (what the law makes public) and its check of a certificate's code
PUBLIC = {
    "/health",
    "/health/live",
    "/health/ready",
    "/openapi.json",
    "/asyncapi",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
    "/.well-known/jwks.json",
    "/v1/access/tokens",
    "/v1/public/federations/{federation}/disclosures",
    "/v1/verify/{code}",  # a certificate's check, for anyone holding one
}


@dataclass
class Seed:
    ids: dict[str, str]


VALUES = {
    "federation": "bac-kan",
    "subject_kind": "member",
    "year": 2023,
    "movement": "td-2023",
    "award": "bang-khen-ldld",
    "awards": "bang-khen-ldld",
    "programme": "initiatives",
    "kind": "pdf",  # a decision's document.{kind}
    "name": "seal",  # a paper's images/{name}
}
CODE_FIELD = re.compile(r"unit|parent|subject|_by$|member|award")
BY_COLLECTION = {
    "units": "cdcs-a",
    "members": "dv-1",
    "movements": "td-2023",
    "member": "dv-1",
    "unit": "cdcs-a",
    "initiatives": "ini-a",
    "works": "ct-a",
    "councils": "hd-a",
    "covenants": "khoi-1",
    "targets": "cdcs-a",
}


def path_value(name: str, before: str, seed: Seed) -> str:
    if name in seed.ids:
        return seed.ids[name]
    if name in VALUES:
        return str(VALUES[name])
    if name.endswith("_id"):
        return str(uuid.uuid4())
    return BY_COLLECTION.get(before, "cdcs-a")


def concrete(path: str, seed: Seed) -> str:
    out: list[str] = []
    for segment in path.split("/"):
        # what comes before, filled in: `history/{subject_kind}/{code}` names a member's code
        def fill(m: re.Match[str], before: str = out[-1] if out else "") -> str:
            return path_value(m.group(1), before, seed)

        out.append(re.sub(r"\{(\w+)\}", fill, segment))
    return "/".join(out)


def definitions(spec: dict[str, Any]) -> dict[str, Any]:
    """Every named schema: the components and any nested `$defs`."""
    found: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("$defs", "schemas") and isinstance(value, dict):
                    found.update(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return found


def sample(schema: dict[str, Any], spec: dict[str, Any], name: str = "", depth: int = 0) -> Any:
    """A plausible value for a JSON schema, naming the victim's codes where a code fits."""
    if "$ref" in schema:
        schema = definitions(spec).get(schema["$ref"].rsplit("/", 1)[-1], {})
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return sample(options[0], spec, name, depth)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        props = schema.get("properties", {})
        # optional fields that name units or dates too: the codes in a body must be checked
        wanted = set(schema.get("required", [])) | {
            k for k in props if CODE_FIELD.search(k) or k.endswith("_on")
        }
        return {k: sample(v, spec, k, depth + 1) for k, v in props.items() if k in wanted}
    if kind == "array":
        return [sample(schema.get("items", {}), spec, name, depth + 1)] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(schema.get("minimum", 2023), min(2023, schema.get("maximum", 2023)))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2023-02-01"
    if schema.get("format") == "date-time":
        return "2023-02-01T00:00:00Z"
    return str(VALUES.get(name) or BY_COLLECTION.get(name) or ("dv-1" if "subject" in name else "zz-probe"))


def requests_for(
    path: str, method: str, spec: dict[str, Any], seed: Seed
) -> list[tuple[str, dict[str, Any]]]:
    """The request, and its Excel export where the route has one."""
    request = request_for(path, method, spec, seed)
    out = [("", request)]
    op = spec["paths"].get(path, {}).get(method.lower(), {})
    if any(p["name"] == "format" and "xlsx" in json.dumps(p.get("schema")) for p in op.get("parameters", [])):
        out.append(("?format=xlsx", {**request, "params": {**request["params"], "format": "xlsx"}}))
    return out


def text_of(r: httpx.Response) -> str:
    if "spreadsheetml" not in r.headers.get("content-type", ""):
        return r.text
    book = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
    return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)


def request_for(path: str, method: str, spec: dict[str, Any], seed: Seed) -> dict[str, Any]:
    op = spec["paths"].get(path, {}).get(method.lower(), {})
    params = {
        p["name"]: sample(p.get("schema", {}), spec, p["name"])
        for p in op.get("parameters", [])
        if p.get("in") == "query" and p.get("required")
    }
    out: dict[str, Any] = {"method": method, "url": concrete(path, seed), "params": params}
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        out["json"] = sample(content["application/json"].get("schema", {}), spec)
    elif "multipart/form-data" in content:
        out["files"] = {"file": ("rows.xlsx", b"PK\x03\x04 not really", "application/octet-stream")}
    return out


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for r in routes:
        if isinstance(r, APIRoute):
            yield from ((prefix + r.path, m) for m in r.methods)
        elif hasattr(r, "original_router"):  # FastAPI's lazily included routers
            yield from _walk(r.original_router.routes, prefix + r.include_context.prefix)


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every route, also those hidden from the schema; the OpenAPI paths in any case."""
    found = set(_walk(app.routes))
    for path, ops in app.openapi()["paths"].items():
        found |= {(path, m.upper()) for m in ops}
    found = {(p, m) for p, m in found if p not in PUBLIC and m not in ("HEAD", "OPTIONS")}
    assert found, "no routes found"
    return sorted(found)


def read_variants(path: str, spec: dict[str, Any], seed: Seed) -> list[tuple[str, dict[str, Any]]]:
    """Every way a read names the victim: the request itself, each subject kind of a
    `{subject_kind}` path, each optional query parameter that names a code (`unit=`, `parent=`,
    `subject_code=` …), and the Excel export of each where the route has one."""
    op = spec["paths"].get(path, {}).get("get", {})
    kinds = ["member", "unit"] if "{subject_kind}" in path else [None]
    out: list[tuple[str, dict[str, Any]]] = []
    for kind in kinds:
        base = request_for(path if kind is None else path.replace("{subject_kind}", kind), "GET", spec, seed)
        label = "" if kind is None else f" [{kind}]"
        out.append((label, base))
        for p in op.get("parameters", []):
            if p.get("in") == "query" and not p.get("required") and CODE_FIELD.search(p["name"]):
                value = sample(p.get("schema", {}), spec, p["name"])
                if p["name"] == "subject_code" or "subject" not in p["name"]:
                    out.append(
                        (f"{label}?{p['name']}=", {**base, "params": {**base["params"], p["name"]: value}})
                    )
    xlsx = any(
        p["name"] == "format" and "xlsx" in json.dumps(p.get("schema")) for p in op.get("parameters", [])
    )
    if xlsx:
        out += [
            (f"{v}&format=xlsx", {**r, "params": {**r["params"], "format": "xlsx"}}) for v, r in list(out)
        ]
    return out


def ghost_of(request: dict[str, Any], ghosts: dict[str, str]) -> dict[str, Any]:
    """The same request naming codes and ids that do not exist wherever it names the victim's."""

    def swap(value: Any) -> Any:
        return ghosts.get(value, value) if isinstance(value, str) else value

    def deep(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: deep(v) for k, v in value.items()}
        if isinstance(value, list):
            return [deep(v) for v in value]
        return swap(value)

    segments = [":".join(swap(p) for p in s.split(":")) for s in request["url"].split("/")]
    out = {**request, "url": "/".join(segments), "params": {k: swap(v) for k, v in request["params"].items()}}
    if "json" in request:
        out["json"] = deep(request["json"])
    return out


def as_ghost(text: str, ghosts: dict[str, str]) -> str:
    """`text` with the victim's codes written as their ghosts, to compare with the ghost's answer."""
    for real, ghost in sorted(ghosts.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(real, ghost)
    return text
