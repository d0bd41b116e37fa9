"""From a decision, its grants and the federation's paper to what is printed (papers.py): names
exactly as stored, units by the names registration published, each certificate's code."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from services.awards.adapters.documents.papers import (
    Certificate,
    DecisionPaper,
    Line,
    achievement_of,
    nfc,
)
from services.awards.domain.grants import Decision, Grant
from services.awards.domain.verification import shown

Names = dict[tuple[str, str], str]  # (federation, unit code) -> the unit's name


def units_named(grants: Iterable[Grant]) -> set[tuple[str, str]]:
    """The units whose names the papers of `grants` print: a member's unit, a collective's
    parent, each with its federation (a national decision's grants are in several)."""
    return {(g.federation, code) for g in grants for code in [_unit_of(g)] if code}


def _unit_of(grant: Grant) -> str:
    """'' for a collective at the top of its federation."""
    if grant.subject_kind == "member":
        return str(grant.unit)
    path = list(grant.unit_path)
    return path[-2] if len(path) >= 2 else ""


def signed_as(wording: dict[str, Any], decision: Decision | None) -> dict[str, Any]:
    """The wording with the decision's own signer title and TM./KT. line where it has them."""
    if decision is None:
        return wording
    own = {
        "signer_title": getattr(decision, "signer_title", ""),
        "signing_for": getattr(decision, "signing_for", ""),
    }
    return {**wording, **{k: v for k, v in own.items() if v}}


def decision_paper(
    decision: Decision, grants: list[Grant], wording: dict[str, Any], names: Names
) -> DecisionPaper:
    """The annex in the decision's order, collectives apart from individuals."""
    lines: dict[str, list[Line]] = {"unit": [], "member": []}
    for g in grants:
        unit = _unit_of(g)
        named = names.get((g.federation, unit), unit)
        lines[g.subject_kind].append(Line(nfc(g.subject_name), nfc(named), nfc(g.award_name)))
    return DecisionPaper(
        number=decision.number,
        signed_on=decision.signed_on,
        year=decision.year,
        title=decision.title or "",
        signer=decision.signer,
        wording=signed_as(wording, decision),
        collectives=lines["unit"],
        individuals=lines["member"],
    )


def certificate(
    grant: Grant, wording: dict[str, Any], names: Names, code_of: Callable[[str], str], url: str
) -> Certificate:
    """`url`: the verification page; the QR code points at it with the grant's code appended."""
    code = code_of(str(grant.id))
    unit = _unit_of(grant)
    return Certificate(
        award=nfc(grant.award_name),
        recipient=nfc(grant.subject_name),
        unit=nfc(names.get((grant.federation, unit), unit)),
        achievement=achievement_of(wording, grant.year),
        decision_number=grant.decision_number,
        decision_date=grant.decision_date,
        signer=nfc(grant.signer),
        signer_title=wording.get("signer_title", ""),
        signing_for=wording.get("signing_for", ""),
        issuing_body=wording.get("deciding_body", ""),
        place=wording.get("place", ""),
        code=shown(code),
        url=f"{url.rstrip('/')}/{code}",
    )
