"""The default rule sets of docs/domain.md section 7, as data, for every period: the earlier law
(`rules_law_2003`, from 1 June 2014) and Law 06/2022 (`rules_law_2022`, from 1 January 2024). A
federation publishes its own (`rule-set-published`) to switch or tighten them from a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.awards.domain.facts import DISCIPLINE_LEVELS, RATINGS
from services.awards.domain.rules import KINDS
from services.awards.domain.rules_law_2003 import RULES_2014
from services.awards.domain.rules_law_2022 import RULES_2024
from shared.kernel.errors import Invalid

# Each award's rule sets of every period the product holds, oldest first; `rules.in_force` picks
# the one in force on a proposal's date. Before the first, "no rule in force": never eligible.
DEFAULT_RULES: tuple[dict[str, Any], ...] = (*RULES_2014, *RULES_2024)


def validate(rule: dict[str, Any], at: str = "rule") -> None:
    """Refuse a rule document the evaluator could not read, naming the offending clause."""
    try:
        date.fromisoformat(str(rule.get("effective_from")))
    except ValueError:
        raise Invalid.on(f"{at}.effective_from", "an ISO date (YYYY-MM-DD) is required") from None
    if not isinstance(rule.get("clauses"), list):
        raise Invalid.on(f"{at}.clauses", "a list of clauses is required")
    for i, clause in enumerate(rule["clauses"]):
        if not isinstance(clause, dict) or not clause.get("clause"):
            raise Invalid.on(f"{at}.clauses.{i}", "each clause needs a name in 'clause'")
        _validate_clause(clause, f"{at}.clauses.{i}")


def _validate_clause(clause: Any, at: str) -> None:
    if not isinstance(clause, dict):
        raise Invalid.on(at, "a clause is an object")
    kinds = [k for k in clause if k in KINDS]
    if len(kinds) != 1:
        raise Invalid.on(at, f"a clause has exactly one kind of {sorted(KINDS)}")
    spec = clause[kinds[0]]
    kind = kinds[0]
    if kind in ("all", "any"):
        if not isinstance(spec, list) or not spec:
            raise Invalid.on(f"{at}.{kind}", "a non-empty list of clauses")
        for i, inner in enumerate(spec):
            _validate_clause(inner, f"{at}.{kind}.{i}")
        return
    if not isinstance(spec, dict):
        raise Invalid.on(f"{at}.{kind}", "an object")
    if "each" in spec:
        _validate_clause(spec["each"], f"{at}.{kind}.each")
    if kind == "rating" and spec.get("at_least", "good") not in RATINGS:
        raise Invalid.on(f"{at}.rating.at_least", f"one of {RATINGS}")
    if kind == "no_discipline" and spec.get("at_least", "reprimand") not in DISCIPLINE_LEVELS:
        raise Invalid.on(f"{at}.no_discipline.at_least", f"one of {DISCIPLINE_LEVELS}")
    if kind == "holds" and spec.get("when", "year") not in ("year", "previous", "ever"):
        raise Invalid.on(f"{at}.holds.when", "one of year, previous, ever")
    needed = {"streak": ("years", "each"), "count": ("at_least", "of_last", "each"), "members": ("each",)}
    for key in needed.get(kind, ()):
        if key not in spec:
            raise Invalid.on(f"{at}.{kind}.{key}", "required")
    if kind == "ratio_cap" and "of" not in spec:
        raise Invalid.on(f"{at}.ratio_cap.of", "required")
