"""Eligibility rules as data, and the pure evaluator that explains every verdict.

A rule set is a JSON-shaped document:

    {"award": "ldtt", "version": "2024", "effective_from": "2024-01-01", "source": "...",
     "clauses": [{"clause": "rating", "rating": {"at_least": "good"}}, ...]}

Each clause has a name (`clause`) and exactly one kind, a key of KINDS. The kinds:

    rating         {"at_least": "good"} | {"in": ["excellent"]}        the year's rating
    no_discipline  {"at_least": "reprimand"}                          no sanction that year
    holds          {"award": X | [X, ...], "level": L, "when": "year" | "previous" | "ever"}
                   a grant that is neither revoked nor ad-hoc/thematic
    initiatives    {"at_least": N, "years": K}                        recognised in K years up to the year
    streak         {"years": N, "each": <clause>}                     N consecutive years ending at the year
    count          {"at_least": K, "of_last": N, "each": <clause>}    K of the last N years
    all, any       [<clause>, ...]
    members        {"each": <clause>, "share_at_least": 0.7 | "share_more_than": 0.5 | "count_at_least": 1}
                   a unit's members
    acclaimed_leader {}                                               acclaimed leader of its block
    pledged        {}              pledged for the award that year, where the federation requires it
    not_under_review {}            no open discipline case
    not_granted    {}              the same award is not already held for the same year
    ratio_cap      {"of": "ldtt", "share_at_most": 0.15}  (or the federation's `ratio_caps` setting)

GENERAL clauses are checked for every award, before the award's own clauses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from services.awards.domain.facts import DISCIPLINE_LEVELS, RATINGS, Facts

Clause = dict[str, Any]
Outcome = tuple[bool, dict[str, Any]]

GENERAL: tuple[Clause, ...] = (
    {"clause": "pledged", "pledged": {}},
    {"clause": "not-under-review", "not_under_review": {}},
    {"clause": "not-granted-twice", "not_granted": {}},
)


@dataclass(frozen=True)
class ClauseResult:
    clause: str
    passed: bool
    facts_used: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"clause": self.clause, "passed": self.passed, "facts_used": self.facts_used}


@dataclass(frozen=True)
class Verdict:
    award: str
    year: int
    rule_version: str | None
    clauses: list[ClauseResult] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return all(c.passed for c in self.clauses)

    @property
    def failed(self) -> list[str]:
        return [c.clause for c in self.clauses if not c.passed]

    def as_dict(self) -> dict[str, Any]:
        """Written once: a list's rows alike share one verdict, and so its dict (as they share
        its clauses' facts_used); never change it."""
        return self._written

    @cached_property
    def _written(self) -> dict[str, Any]:
        return {
            "award": self.award,
            "year": self.year,
            "rule_version": self.rule_version,
            "eligible": self.eligible,
            "clauses": [c.as_dict() for c in self.clauses],
        }


def judged_on(year: int, on: date) -> date:
    """The day whose rules judge a proposal for `year` made on `on`: the proposal's own period
    (its last day), or `on` while the period is still running. A proposal for 2019 made today
    is judged by the rules of 2019."""
    return min(on, date(year, 12, 31))


def in_force(rule_sets: Sequence[dict[str, Any]], award: str, on: date) -> dict[str, Any] | None:
    """The award's rule set with the latest effective date not after `on`; on a tie, the one
    listed last (a federation's own rule set is listed after the defaults)."""
    candidates = [
        (str(r["effective_from"]), i, r)
        for i, r in enumerate(rule_sets)
        if r["award"] == award and date.fromisoformat(str(r["effective_from"])) <= on
    ]
    return max(candidates, key=lambda c: c[:2])[2] if candidates else None


NO_RULE = "no-rule-in-force"


def evaluate(rule: dict[str, Any] | None, facts: Facts, year: int, award: str | None = None) -> Verdict:
    """With no rule set in force the verdict fails on `no-rule-in-force`: never eligible."""
    award = award or (rule or {}).get("award", "")
    assert award, "an award is needed when there is no rule"
    clauses = [*GENERAL, *((rule or {}).get("clauses", []))]
    results = []
    if rule is None:
        results.append(ClauseResult(NO_RULE, False, {"award": award, "year": year}))
    for clause in clauses:
        passed, used = check(clause, facts, year, award)
        results.append(ClauseResult(clause["clause"], passed, used))
    return Verdict(award, year, (rule or {}).get("version"), results)


def kind_of(clause: Clause) -> str:
    kinds = [k for k in clause if k in KINDS]
    if len(kinds) != 1:
        raise ValueError(f"a clause has exactly one kind of {sorted(KINDS)}; got {sorted(clause)}")
    return kinds[0]


def check(clause: Clause, facts: Facts, year: int, award: str) -> Outcome:
    kind = kind_of(clause)
    return KINDS[kind](clause[kind], facts, year, award)


def _rating(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    rating = facts.ratings.get(year)
    if "in" in spec:
        passed = rating in spec["in"]
    else:
        passed = rating is not None and RATINGS.index(rating) >= RATINGS.index(spec["at_least"])
    return passed, {"year": year, "rating": rating}


def _no_discipline(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    floor = DISCIPLINE_LEVELS.index(spec.get("at_least", DISCIPLINE_LEVELS[0]))
    found = [
        level
        for y, level in facts.disciplines
        if y == year and level in DISCIPLINE_LEVELS and DISCIPLINE_LEVELS.index(level) >= floor
    ]
    return not found, {"year": year, "discipline": found}


def _holds(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    wanted = spec.get("award")
    awards = {wanted} if isinstance(wanted, str) else set(wanted or ())
    when = spec.get("when", "year")
    years: Callable[[int], bool] = {
        "year": lambda y: y == year,
        "previous": lambda y: y == year - 1,
        "ever": lambda y: y <= year,
    }[when]
    held, ignored = [], []
    for g in facts.grants:
        if (awards and g.award not in awards) or ("level" in spec and g.level != spec["level"]):
            continue
        if not years(g.year):
            continue
        # Revoked and cancelled awards count as never granted; ad-hoc and thematic ones are no basis.
        if g.revoked or g.cancelled:
            ignored.append({**g.as_dict(), "why": "cancelled" if g.cancelled else "revoked"})
        elif g.occasion != "regular":
            ignored.append({**g.as_dict(), "why": g.occasion})
        else:
            held.append(g.as_dict())
    used: dict[str, Any] = {"awards": sorted(awards), "when": when, "year": year, "held": held}
    if ignored:
        used["not_counted"] = ignored
    return bool(held), used


def _initiatives(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    window = range(year - int(spec.get("years", 1)) + 1, year + 1)
    by_year = {y: facts.initiatives.get(y, 0) for y in window}
    total = sum(by_year.values())
    return total >= int(spec.get("at_least", 1)), {"recognised": by_year, "total": total}


def _streak(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    """Calendar years ending at `year`; a missing year breaks the run."""
    n = int(spec["years"])
    run, broken_at = [], None
    for y in range(year, year - n, -1):
        if check(spec["each"], facts, y, award)[0]:
            run.append(y)
        else:
            broken_at = y
            break
    used: dict[str, Any] = {"years": list(range(year - n + 1, year + 1)), "run": sorted(run)}
    if broken_at is not None:
        used["broken_at"] = broken_at
    return len(run) >= n, used


def _count(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    n = int(spec["of_last"])
    years = range(year - n + 1, year + 1)
    met = [y for y in years if check(spec["each"], facts, y, award)[0]]
    return len(met) >= int(spec["at_least"]), {"years": list(years), "met_in": met}


def _all(spec: list, facts: Facts, year: int, award: str) -> Outcome:
    parts = [_part(c, facts, year, award) for c in spec]
    return all(p["passed"] for p in parts), {"all": parts}


def _any(spec: list, facts: Facts, year: int, award: str) -> Outcome:
    parts = [_part(c, facts, year, award) for c in spec]
    return any(p["passed"] for p in parts), {"any": parts}


def _part(clause: Clause, facts: Facts, year: int, award: str) -> dict[str, Any]:
    passed, used = check(clause, facts, year, award)
    return {"clause": clause.get("clause", kind_of(clause)), "passed": passed, "facts_used": used}


def _members(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    total = len(facts.members)
    failing = [m.subject_code for m in facts.members if not check(spec["each"], m, year, award)[0]]
    meeting = total - len(failing)
    used: dict[str, Any] = {"year": year, "members": total, "meeting": meeting}
    if len(failing) <= 20:
        used["not_meeting"] = failing
    if "count_at_least" in spec:
        return meeting >= int(spec["count_at_least"]), used
    share = meeting / total if total else 0.0
    used["share"] = round(share, 4)
    if "share_more_than" in spec:
        return total > 0 and share > float(spec["share_more_than"]) + 1e-9, used
    return total > 0 and share >= float(spec.get("share_at_least", 1.0)) - 1e-9, used


def _acclaimed_leader(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    return year in facts.acclaimed, {"year": year, "acclaimed_in": sorted(facts.acclaimed)}


def _pledged(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    required = bool(facts.policy.get("pledge_required", False))
    pledged = (award, year) in facts.pledges
    return pledged or not required, {"required": required, "pledged": pledged, "year": year}


def _not_under_review(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    return not facts.under_review, {"under_review": facts.under_review}


def _not_granted(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    same = [g.as_dict() for g in facts.live_grants() if g.award == award and g.year == year]
    return not same, {"already_granted": same}


def _ratio_cap(spec: dict, facts: Facts, year: int, award: str) -> Outcome:
    caps = facts.policy.get("ratio_caps") or {}
    cap = spec.get("share_at_most", caps.get(award) if isinstance(caps, dict) else None)
    if cap is None:
        return True, {"cap": None}
    basis = facts.unit_counts.get((spec["of"], year), 0)
    held = facts.unit_counts.get((award, year), 0)
    # This grant would be one more of the unit's `award` holders.
    passed = held + 1 <= float(cap) * basis + 1e-9
    return passed, {"cap": cap, "of": spec["of"], "basis": basis, "already": held, "year": year}


KINDS: dict[str, Callable[[Any, Facts, int, str], Outcome]] = {
    "rating": _rating,
    "no_discipline": _no_discipline,
    "holds": _holds,
    "initiatives": _initiatives,
    "streak": _streak,
    "count": _count,
    "all": _all,
    "any": _any,
    "members": _members,
    "acclaimed_leader": _acclaimed_leader,
    "pledged": _pledged,
    "not_under_review": _not_under_review,
    "not_granted": _not_granted,
    "ratio_cap": _ratio_cap,
}
