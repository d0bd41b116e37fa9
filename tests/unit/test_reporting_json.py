"""History details and movement phases are stored as jsonb: what `to_json` writes must parse to
what the standard encoder's text parses to, whatever it holds."""

from __future__ import annotations

import json

from services.reporting.adapters.projections.common import to_json


def test_to_json_reads_back_as_the_standard_encoding() -> None:
    detail = {
        "federation": "ha-noi",
        "subject_name": "Nguyễn Thị Thu Hà",
        "unit_path": ["cd-001", "cdcs-00017"],
        "year": 2024,
        "bonus_coefficient": 1.5,
        "nomination": None,
        "eligible": True,
        "reason": 'quoted "text"\nand a tab\t',
    }
    assert json.loads(to_json(detail)) == json.loads(json.dumps(detail, ensure_ascii=False))


def test_integers_beyond_64_bits_are_still_written() -> None:
    assert json.loads(to_json({"value": 2**70})) == {"value": 2**70}
