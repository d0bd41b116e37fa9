"""Every clause the awards rules can name, and every fact a clause reports, has its Vietnamese
words on the console's nomination and council pages (never the rule's English id)."""

from __future__ import annotations

from typing import Any

from services.awards.domain.facts import DISCIPLINE_LEVELS, Facts, GrantFact
from services.awards.domain.rulebook import DEFAULT_RULES
from services.awards.domain.rules import GENERAL, KINDS, evaluate, kind_of
from services.console.application.nominations import CLAUSES, FACTS, clause_label, fact_text


def clause_names(clause: dict[str, Any]) -> set[str]:
    """A clause's name and its parts' (a part without a name is named by its kind, as
    rules._part names it)."""
    kind = kind_of(clause)
    names = {str(clause.get("clause", kind))}
    spec = clause[kind]
    parts = (
        spec
        if kind in ("all", "any")
        else [spec["each"]]
        if isinstance(spec, dict) and "each" in spec
        else []
    )
    for part in parts:
        names |= clause_names(part)
    return names


def every_clause() -> set[str]:
    names: set[str] = set()
    for clause in [*GENERAL, *(c for rule in DEFAULT_RULES for c in rule["clauses"])]:
        names |= clause_names(clause)
    return names


def fact_keys(value: Any) -> set[str]:
    """Every key of the facts a verdict reports, however deep (a part's own structure aside)."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in ("clause", "passed", "facts_used") and not str(k).isdigit():  # years by year
                keys.add(str(k))
            keys |= fact_keys(v)
    elif isinstance(value, list):
        for v in value:
            keys |= fact_keys(v)
    return keys


def rich_facts(kind: str) -> Facts:
    grants = (
        GrantFact("ldtt", 2025, "grassroots"),
        GrantFact("cstd-co-so", 2024, "grassroots", occasion="thematic"),
        GrantFact("bang-khen-ldld", 2023, "federation", revoked=True),
    )
    member = Facts("member", "dv-1", ratings={2025: "good"}, disciplines=[(2025, "warning")], grants=grants)
    return Facts(
        kind,
        "x-1",
        ratings={y: "excellent" for y in range(2019, 2026)},
        disciplines=[(2025, "reprimand"), (2025, "review")],
        grants=grants,
        initiatives={2025: 1},
        members=[member] if kind == "unit" else [],
        unit_counts={("ldtt", 2025): 10, ("cstd-co-so", 2025): 2},
        policy={"ratio_caps": {"cstd-co-so": 0.15}},
    )


def test_every_clause_the_rules_define_has_vietnamese_words() -> None:
    names = every_clause() | {n for n in KINDS}  # a part may be named by its kind
    missing = sorted(n for n in names if clause_label(n) == n)
    assert not missing, f"clauses without Vietnamese words in CLAUSES: {missing}"
    assert clause_label("rating-at-least-good") == CLAUSES["rating-at-least-good"]


def test_every_fact_a_verdict_reports_has_vietnamese_words() -> None:
    keys: set[str] = set()
    for rule in DEFAULT_RULES:
        for kind in ("member", "unit"):
            verdict = evaluate(rule, rich_facts(kind), 2025).as_dict()
            keys |= fact_keys([c["facts_used"] for c in verdict["clauses"]])
    missing = sorted(k for k in keys if k not in FACTS)
    assert not missing, f"facts without Vietnamese words in FACTS: {missing}"
    assert "discipline" in keys


def test_the_values_of_facts_are_in_vietnamese_too() -> None:
    for level in DISCIPLINE_LEVELS:
        assert fact_text(level) != level
    for value in ("year", "previous", "ever", "revoked", "thematic", "ad-hoc"):
        assert fact_text(value) != value
    assert fact_text("ldtt") == "Lao động tiên tiến"
