from __future__ import annotations

from datetime import date

import pytest

from services.registration.application.contracts import CONTRACTS
from services.registration.domain.pledges import Pledge
from shared.auth.permissions import scope_covers
from shared.auth.tokens import decode, mint
from shared.kernel.errors import Unauthorized
from shared.kernel.settings import ServiceSettings
from shared.messaging.contracts import routing_key


@pytest.mark.parametrize(
    ("scope", "federation", "ancestry", "expected"),
    [
        ("*", "bac-kan", ("a", "b"), True),
        ("bac-kan", "bac-kan", (), True),
        ("bac-kan", "cao-bang", (), False),
        ("bac-kan/a", "bac-kan", ("a", "b"), True),
        ("bac-kan/a", "bac-kan", ("c", "a"), False),
        ("bac-kan/a/b", "bac-kan", ("a",), False),
    ],
)
def test_scope_covers(scope: str, federation: str, ancestry: tuple[str, ...], expected: bool) -> None:
    assert scope_covers(scope, federation, ancestry) is expected


def test_token_roundtrip_and_bad_claims() -> None:
    settings = ServiceSettings(jwt_secret="x" * 40, development=True)
    principal = decode(mint(settings, "lan", "bac-kan/a", ["clerk"]), settings)
    assert principal.federation == "bac-kan" and principal.unit == "a" and principal.may("pledge.submit")
    assert not principal.may("decision.issue")
    with pytest.raises(Unauthorized):
        other = ServiceSettings(jwt_secret="y" * 40, development=True)
        decode(mint(settings, "lan", "bac-kan", ["clerk"]), other)
    with pytest.raises(ValueError):
        mint(settings, "lan", "bac-kan", ["emperor"])


def test_envelope_is_a_cloudevent_with_the_contract_fields() -> None:
    meta = {"actor": "lan", "scope": "bac-kan", "request_id": "r", "correlation_id": "c", "causation_id": "k"}
    pledge = Pledge(
        federation="bac-kan",
        movement="m",
        movement_name="M",
        year=2023,
        phase=None,
        award="ldtt",
        award_name="LĐTT",
        subject_kind="member",
        subject_code="dv",
        subject_name="Đoàn viên",
        unit="u",
        unit_path=["u"],
        submitted_by="u",
        pledged_on=date(2023, 1, 1),
        meta=meta,
    )
    event = pledge.collect_events()[0]
    envelope = CONTRACTS.envelope(event, sequence=42)
    assert envelope is not None
    assert envelope["type"] == "tdkt.registration.pledge-registered.v1"
    assert envelope["source"] == "tdkt/registration" and envelope["sequence"] == "00000000000000000042"
    assert envelope["actor"] == "lan" and envelope["correlationid"] == "c" and envelope["causationid"] == "k"
    assert envelope["subject"] == str(pledge.id) and "meta" not in envelope["data"]
    assert envelope["data"]["subject_name"] == "Đoàn viên" and envelope["data"]["pledged_on"] == "2023-01-01"
    assert routing_key(envelope) == "bac-kan.registration.pledge-registered"
    assert CONTRACTS.envelope(event, 42)["id"] == envelope["id"]  # stable across re-publication
