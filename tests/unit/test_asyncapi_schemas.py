"""The AsyncAPI documents (docs/asyncapi-*.json): every published event's `data` has a typed JSON
Schema built from the domain event the service publishes, and an example that validates against
it; the documents hold the fields AsyncAPI 3.0 requires and every `$ref` resolves. (The AsyncAPI
Initiative's own parser validates them too: tests/contract/test_documents.py.)"""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest

from scripts.asyncapi import shipped_documents
from services.awards.application.contracts import CONTRACTS as AWARDS
from services.registration.application.contracts import CONTRACTS as REGISTRATION
from tests.support import ROOT

DOCUMENTS = shipped_documents()
MESSAGES = [
    pytest.param(message, id=key)
    for document in DOCUMENTS.values()
    for key, message in document["components"]["messages"].items()
]


def validator(schema: dict[str, Any]) -> Any:
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def test_every_published_event_is_documented() -> None:
    for contracts in (REGISTRATION, AWARDS):
        documented = {m["name"] for m in DOCUMENTS[contracts.service]["components"]["messages"].values()}
        assert documented == set(contracts.types())


@pytest.mark.parametrize("message", MESSAGES)
def test_every_example_validates_against_its_schema(message: dict[str, Any]) -> None:
    data_schema = message["payload"]["properties"]["data"]
    assert data_schema["type"] == "object" and data_schema["required"], data_schema
    assert message["examples"], message["name"]
    for example in message["examples"]:
        envelope = example["payload"]
        errors = [str(e) for e in validator(message["payload"]).iter_errors(envelope)]
        assert not errors, (message["name"], errors)
        assert envelope["type"] == message["name"]
        # the example names no field the schema does not document
        assert set(envelope["data"]) <= set(data_schema["properties"]), message["name"]


def test_data_is_typed_with_formats_and_fixed_values() -> None:
    messages = {m["name"]: m for d in DOCUMENTS.values() for m in d["components"]["messages"].values()}

    def data(ce_type: str) -> dict[str, Any]:
        return messages[ce_type]["payload"]["properties"]["data"]["properties"]  # type: ignore[no-any-return]

    unit = data("tdkt.registration.unit-registered.v1")
    assert unit["kind"] == {"enum": ["upper", "grassroots", "collective", "block"]}
    assert unit["effective_on"] == {"type": ["string", "null"], "format": "date"}
    assert unit["ancestry"] == {"type": "array", "items": {"type": "string"}}
    pledge = data("tdkt.registration.pledge-registered.v1")
    assert pledge["subject_kind"] == {"enum": ["member", "unit"]}
    assert pledge["year"] == {"type": "integer"} and pledge["pledged_on"]["format"] == "date"
    granted = data("tdkt.awards.award-granted.v1")
    assert granted["decision_id"] == {"type": "string", "format": "uuid"}
    assert granted["bonus_coefficient"] == {"type": ["number", "null"]}
    assert granted["occasion"] == {"enum": ["regular", "thematic", "ad-hoc"]}
    required = messages["tdkt.awards.award-granted.v1"]["payload"]["properties"]["data"]["required"]
    assert "attempt" not in required and "decision_id" in required  # older events lack `attempt`
    assert data("tdkt.awards.rating-recorded.v1")["rating"]["enum"] == [
        "excellent",
        "good",
        "complete",
        "incomplete",
    ]
    # a wrong type or value is refused
    schema = messages["tdkt.registration.pledge-registered.v1"]["payload"]
    example = messages["tdkt.registration.pledge-registered.v1"]["examples"][0]["payload"]
    for field, bad in (("year", "2026"), ("subject_kind", "person"), ("pledged_on", "10/03/2026")):
        assert not validator(schema).is_valid({**example, "data": {**example["data"], field: bad}}), field


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


@pytest.mark.parametrize("service", sorted(DOCUMENTS))
def test_documents_hold_what_asyncapi_3_requires(service: str) -> None:
    document = json.loads((ROOT / "docs" / f"asyncapi-{service}.json").read_text(encoding="utf-8"))
    assert document["asyncapi"] == "3.0.0"
    assert isinstance(document["info"]["title"], str) and isinstance(document["info"]["version"], str)
    assert set(document) <= {
        "asyncapi",
        "id",
        "info",
        "servers",
        "defaultContentType",
        "channels",
        "operations",
        "components",
    }
    for key, channel in document["channels"].items():
        assert isinstance(channel["address"], str), key
        for ref in channel["messages"].values():
            assert _resolve(document, ref["$ref"])["payload"], key
        for name in channel.get("parameters", {}):
            assert "{" + name + "}" in channel["address"], key
    for key, operation in document["operations"].items():
        assert operation["action"] in ("send", "receive"), key
        assert _resolve(document, operation["channel"]["$ref"]), key
    for key, message in document["components"]["messages"].items():
        for example in message["examples"]:
            assert set(example) <= {"headers", "payload", "name", "summary"}, key
            assert "payload" in example or "headers" in example, key
        validator(message["payload"])  # a schema jsonschema_rs accepts
