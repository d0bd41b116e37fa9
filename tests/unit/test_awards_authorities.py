"""Who grants which award (services/awards/domain/authorities.py), each test one behaviour: the
default catalogue's granting authority decides which issuer's decision may carry an award."""

from __future__ import annotations

import dataclasses

from services.awards.domain.authorities import Issuer, granted_by
from services.awards.domain.catalogue import DEFAULTS

UNIT, FEDERATION, NATIONAL = Issuer.of("unit:cdcs-a"), Issuer.of("ldld:bac-kan"), Issuer.of("tld")


def granters(code: str) -> list[str]:
    award = DEFAULTS[code]
    return [who.authority for who in (UNIT, FEDERATION, NATIONAL) if who.grants(award)]


def test_a_units_titles_are_granted_by_the_unit_or_the_federation_above_it() -> None:
    for code in ("ldtt", "cstd-co-so", "ttldtt", "giay-khen"):
        assert granters(code) == ["unit:cdcs-a", "ldld:bac-kan"], code


def test_the_federations_awards_only_by_the_federation_and_the_national_unions_only_by_it() -> None:
    for code in ("ttldxs", "bang-khen-ldld", "co-thi-dua-ldld"):
        assert granters(code) == ["ldld:bac-kan"], code
    for code in ("bang-khen-tld", "co-thi-dua-tld", "bang-lao-dong-sang-tao"):
        assert granters(code) == ["tld"], code


def test_state_awards_are_granted_by_no_issuer_here_they_are_imported() -> None:
    for code in ("bang-khen-ubnd-tinh", "bang-khen-ttg", "huan-chuong-lao-dong-3", "anh-hung-lao-dong"):
        assert granters(code) == [] and granted_by(DEFAULTS[code]) == "outside", code


def test_a_federations_own_award_is_granted_by_the_level_it_was_defined_at() -> None:
    own = dataclasses.replace(DEFAULTS["bang-khen-ldld"], code="lao-dong-gioi", authority="ldld:bac-kan")
    assert granted_by(dataclasses.replace(own, level="grassroots")) == "unit"
    assert granted_by(own) == "federation"
    assert granted_by(dataclasses.replace(own, level="ministry")) == "outside"


def test_a_units_decision_numbers_are_its_own_within_its_federation() -> None:
    same_code = UNIT.decision_id("bac-kan", 2025, "1/QĐ"), UNIT.decision_id("cao-bang", 2025, "1/QĐ")
    assert same_code[0] != same_code[1]
    assert NATIONAL.decision_id("bac-kan", 2025, "1/QĐ") == NATIONAL.decision_id("", 2025, "1/QĐ")
