"""The published documents pass the validators their specifications' own projects ship: each
service's OpenAPI document (openapi-spec-validator, OpenAPI 3.1) and each AsyncAPI document, as
served and as shipped in docs/ (the AsyncAPI Initiative's @asyncapi/parser under Node.js,
tests/contract: `npm ci` from package-lock.json, as `make asyncapi-parser` does)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from scripts.asyncapi import shipped_documents
from services.awards import bootstrap as awards
from services.registration import bootstrap as registration
from services.reporting import bootstrap as reporting
from shared.kernel.settings import AwardsSettings, RegistrationSettings, ReportingSettings
from tests.support import ROOT, Isolation

HERE = ROOT / "tests" / "contract"
SERVICES = {
    "registration": (registration, RegistrationSettings),
    "awards": (awards, AwardsSettings),
    "reporting": (reporting, ReportingSettings),
}


def install() -> None:
    """`npm ci` in tests/contract unless its packages are there (the exact versions of the lock)."""
    if (HERE / "node_modules" / "@asyncapi" / "parser" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("the AsyncAPI validation needs Node.js 20 and npm (apt-get install -y nodejs npm)")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=HERE,
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL,
    )


def parsed(files: list[Path]) -> tuple[int, list[dict[str, Any]]]:
    """@asyncapi/parser's verdict on each file: (exit code, one {file, errors, warnings} each)."""
    install()
    node = shutil.which("node")
    assert node is not None
    run = subprocess.run(
        [node, "validate.mjs", *map(str, files)], cwd=HERE, capture_output=True, text=True, timeout=120
    )
    verdicts = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert len(verdicts) == len(files), run.stderr
    return run.returncode, verdicts


def openapi_of(service: str, isolation: Isolation) -> dict[str, Any]:
    module, settings = SERVICES[service]
    app = module.build_app(module.runtime(isolation.settings(settings), frozenset({"api"})))
    return app.openapi()  # type: ignore[no-any-return]


@pytest.mark.parametrize("service", SERVICES)
def test_each_openapi_document_is_valid_openapi_3_1(service: str, isolation: Isolation) -> None:
    document = openapi_of(service, isolation)
    assert document["openapi"].startswith("3.1")
    validate(document)  # raises naming the first violation


def test_the_openapi_validator_refuses_a_broken_document(isolation: Isolation) -> None:
    """Not a validator that accepts anything: a response without its description is refused."""
    document = openapi_of("reporting", isolation)
    next(iter(document["paths"].values()))["get"]["responses"]["200"].pop("description")
    with pytest.raises(OpenAPIValidationError):
        validate(document)


def test_the_asyncapi_documents_pass_the_asyncapi_parser(tmp_path: Path) -> None:
    """Given the documents as /asyncapi serves them and as docs/ ships them, when the AsyncAPI
    Initiative's parser reads them, then it finds no error and no warning."""
    files = [ROOT / "docs" / f"asyncapi-{service}.json" for service in shipped_documents()]
    for service, document in shipped_documents().items():
        served = tmp_path / f"{service}.json"
        served.write_text(json.dumps(document), encoding="utf-8")
        files.append(served)
    code, verdicts = parsed(files)
    assert code == 0 and all(v["version"] == "3.0.0" for v in verdicts), verdicts
    assert [(v["errors"], v["warnings"]) for v in verdicts] == [([], [])] * len(files), verdicts


def test_the_asyncapi_parser_refuses_a_broken_document(tmp_path: Path) -> None:
    """Not a parser that accepts anything: a message whose payload is not a schema is an error."""
    document = shipped_documents()["registration"]
    first = next(iter(document["components"]["messages"].values()))
    first["payload"] = {"type": "no-such-type"}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    code, verdicts = parsed([broken])
    assert code == 1 and verdicts[0]["errors"], verdicts


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p, m, op) for p, ops in document["paths"].items() for m, op in ops.items()]


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_documents_the_problems_it_answers(service: str, isolation: Isolation) -> None:
    """Given a service's document, then no operation names FastAPI's HTTPValidationError (never
    sent); every error answer is application/problem+json of the Problem schema, whose `errors`
    are FieldErrors; every operation but the public ones needs the bearer and documents 401 and
    403, and every operation with parameters or a body documents 422."""
    document = openapi_of(service, isolation)
    assert "HTTPValidationError" not in json.dumps(document)
    problem = document["components"]["schemas"]["Problem"]
    assert problem["required"] == ["type", "title", "status", "detail"]
    assert problem["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/FieldError"}
    answers = document["components"]["responses"]
    for path, method, op in operations(document):
        errors = {s: r for s, r in op["responses"].items() if s[0] in "45"}
        assert {"500", "503"} <= set(errors), (method, path)
        for status, response in errors.items():
            if "$ref" in response:
                response = answers[response["$ref"].rsplit("/", 1)[1]]
            content = response["content"]
            assert set(content) == {"application/problem+json"}, (method, path, status)
            assert content["application/problem+json"]["example"]["status"] == int(status)
        public = op["security"] == []
        assert public or ({"401", "403"} <= set(errors) and op["security"] == [{"bearer": []}]), path
        if op.get("requestBody") or any(p["in"] in ("path", "query") for p in op.get("parameters", [])):
            assert "422" in errors, (method, path)


def test_commands_document_the_headers_they_honour_and_return(isolation: Isolation) -> None:
    """Given registration's command moving a unit, then it takes Idempotency-Key, If-Match and
    X-Reason, answers ETag and Idempotent-Replayed, and documents 409 and 412; a read does not."""
    document = openapi_of("registration", isolation)
    move = document["paths"]["/v1/federations/{federation}/units/{code}:move"]["post"]
    headers = {p["name"] for p in move["parameters"] if p["in"] == "header"}
    assert headers == {"Idempotency-Key", "If-Match", "X-Reason"}
    assert {"ETag", "Idempotent-Replayed", "X-Request-ID"} <= set(move["responses"]["200"]["headers"])
    assert {"409", "412", "413"} <= set(move["responses"])
    read = document["paths"]["/v1/federations/{federation}/units/{code}"]["get"]
    assert not [p for p in read["parameters"] if p["in"] == "header"]
    assert "ETag" not in read["responses"]["200"]["headers"] and "412" not in read["responses"]


def test_report_operations_document_the_xlsx_they_answer(isolation: Isolation) -> None:
    """Given reporting's document, then every operation with format=xlsx answers JSON or the
    workbook's media type; registration's pledge template answers only the workbook."""
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    reports = [
        (path, op)
        for path, _, op in operations(openapi_of("reporting", isolation))
        if any(p["name"] == "format" for p in op.get("parameters", []))
    ]
    assert len(reports) >= 12, [p for p, _ in reports]
    for path, op in reports:
        assert set(op["responses"]["200"]["content"]) == {"application/json", xlsx}, path
    registration_paths = openapi_of("registration", isolation)["paths"]
    template = registration_paths["/v1/federations/{federation}/pledges:template"]["get"]
    assert set(template["responses"]["200"]["content"]) == {xlsx}


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_has_an_example_request_and_answer(service: str, isolation: Isolation) -> None:
    document = openapi_of(service, isolation)
    schemas = document["components"]["schemas"]
    for path, method, op in operations(document):
        body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None:
            target = schemas.get(body["schema"].get("$ref", "").rsplit("/", 1)[-1], {})
            assert {"example", "examples"} & (set(body) | set(target)), (method, path)
        assert any("$ref" in r or "example" in json.dumps(r) for r in op["responses"].values()), path
