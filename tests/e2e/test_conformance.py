"""The services answer as their OpenAPI documents say: every request Schemathesis generates from a
document (its examples, requests fitting it and requests violating it; fuzz_generation.py), sent
with a national admin's token and a unit clerk's, gets a status code the operation documents
(status_code_conformance), a content type it documents for that status
(content_type_conformance) and a body that fits the documented schema
(response_schema_conformance) — problems included, as application/problem+json."""

from __future__ import annotations

import pytest

from tests.e2e.fuzz_generation import findings, report
from tests.e2e.fuzz_stack import SERVICES, Stack, operations


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("who", ["admin", "clerk"])
def test_every_answer_is_one_the_document_declares(stack: Stack, service: str, who: str) -> None:
    undeclared = [f for f in findings(stack, service, who) if f.check != "ServerError"]
    if undeclared:
        pytest.fail(report(stack, undeclared, "answers the document does not declare"), pytrace=False)
    # Not a vacuous pass: every operation was asked many times over.
    assert stack.sent[f"{service}/{who}"] >= 10 * len(operations(stack, service)), stack.sent
