"""Registration and awards reports: pledges, grants, nominations, pledged vs achieved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import asyncpg

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries import registrations as q
from services.reporting.adapters.report_queries.scope import unit_names
from services.reporting.domain.periods import PeriodFilter
from services.reporting.domain.scope import Scope
from shared.kernel import periods
from shared.kernel.catalogue import BY_CODE

# A grant's occasion -> the report's count of it: regular ones apart from thematic and ad-hoc.
OCCASIONS = {"regular": "regular", "thematic": "thematic", "ad-hoc": "ad_hoc"}


def award_name_of(code: str) -> str:
    award = BY_CODE.get(code)
    return award.name if award else code


async def registrations(reads: Reads, scope: Scope, year: int, movement: str | None = None) -> dict[str, Any]:
    """Pledges by award, subject kind, movement, phase, state and unit; withdrawn ones are
    listed by state but not counted as pledged. Participation pledges (no award) are counted
    apart, as `participating`, in all, by movement and by unit (withdrawn ones not)."""
    rows = await q.pledge_counts(reads, scope, year, movement)
    by_award: dict[tuple[str, str], dict[str, Any]] = {}
    by_movement: dict[str, int] = defaultdict(int)
    by_phase: dict[tuple[str, str], int] = defaultdict(int)
    by_unit: dict[str, int] = defaultdict(int)
    by_state: dict[str, int] = defaultdict(int)
    joined: dict[str, int] = defaultdict(int)  # participation pledges by movement
    joining: dict[str, int] = defaultdict(int)  # and by unit
    for r in rows:
        if r["award"] is None:
            if r["state"] != "withdrawn":
                joined[r["movement"]] += r["n"]
                joining[r["unit"]] += r["n"]
            continue
        g = by_award.setdefault(
            (r["award"], r["subject_kind"]),
            {
                "award": r["award"],
                "award_name": award_name_of(r["award"]),
                "subject_kind": r["subject_kind"],
                "pledged": 0,
                "by_state": {},
            },
        )
        g["by_state"][r["state"]] = g["by_state"].get(r["state"], 0) + r["n"]
        by_state[r["state"]] += r["n"]
        if r["state"] == "withdrawn":
            continue
        g["pledged"] += r["n"]
        by_movement[r["movement"]] += r["n"]
        if r["phase"]:
            by_phase[(r["movement"], r["phase"])] += r["n"]
        by_unit[r["unit"]] += r["n"]
    names = await unit_names(reads, scope, set(by_unit) | set(joining))
    return {
        "federation": scope.federation,
        "unit": scope.unit,
        "year": year,
        "as_of": scope.as_of.isoformat(),
        "pledged": sum(by_unit.values()),
        "participating": sum(joining.values()),
        "by_state": dict(sorted(by_state.items())),
        "by_award": sorted(by_award.values(), key=lambda g: (g["award"], g["subject_kind"])),
        "by_movement": [
            {"movement": m, "pledged": by_movement.get(m, 0), "participating": joined.get(m, 0)}
            for m in sorted(set(by_movement) | set(joined))
        ],
        "by_phase": [{"movement": m, "phase": p, "pledged": n} for (m, p), n in sorted(by_phase.items())],
        "by_unit": [
            {"unit": u, "unit_name": names.get(u, u), "pledged": by_unit.get(u, 0)}
            | {"participating": joining.get(u, 0)}
            for u in sorted(set(by_unit) | set(joining))
        ],
    }


def _grants_by_award(
    grants: Iterable[asyncpg.Record],
) -> tuple[dict[tuple[str, str], dict[str, Any]], dict[str, int], int, int]:
    """(each award and subject kind's grants standing, revoked and cancelled, by authority;
    standing grants by unit; how many were revoked, how many cancelled)."""
    by_award: dict[tuple[str, str], dict[str, Any]] = {}
    by_unit: dict[str, int] = defaultdict(int)
    revoked = cancelled = 0
    for r in grants:
        g = by_award.setdefault(
            (r["award"], r["subject_kind"]),
            {
                "award": r["award"],
                "award_name": award_name_of(r["award"]),
                "level": r["level"],
                "subject_kind": r["subject_kind"],
                "granted": 0,
                **dict.fromkeys(OCCASIONS.values(), 0),
                "revoked": 0,
                "cancelled": 0,
                "by_authority": {},
            },
        )
        if r["cancelled"]:  # by an amendment or with its decision: never granted
            g["cancelled"] += r["n"]
            cancelled += r["n"]
            continue
        if r["revoked"]:
            g["revoked"] += r["n"]
            revoked += r["n"]
            continue
        g["granted"] += r["n"]
        g[OCCASIONS[r["occasion"]]] += r["n"]
        g["by_authority"][r["authority"] or "?"] = g["by_authority"].get(r["authority"] or "?", 0) + r["n"]
        by_unit[r["unit"]] += r["n"]
    return by_award, by_unit, revoked, cancelled


def _grants_by_period(grants: Iterable[asyncpg.Record], year: int) -> list[dict[str, Any]]:
    """Standing grants by period (a calendar year, a school year, a phase ending in `year`),
    award and subject kind, regular apart from thematic and ad-hoc."""
    rows: dict[tuple[str, int, str, str], dict[str, Any]] = {}
    for r in grants:
        if r["revoked"] or r["cancelled"]:
            continue
        period = periods.Period(r["period_kind"], r["period_from"], year)
        g = rows.setdefault(
            (period.kind, -period.first, r["award"], r["subject_kind"]),
            {"period": period.key, "period_name": period.label, "award": r["award"]}
            | {"award_name": award_name_of(r["award"]), "subject_kind": r["subject_kind"], "granted": 0}
            | dict.fromkeys(OCCASIONS.values(), 0),
        )
        g["granted"] += r["n"]
        g[OCCASIONS[r["occasion"]]] += r["n"]
    return [rows[k] for k in sorted(rows, key=lambda k: (periods.KINDS.index(k[0]), *k[1:]))]


async def awards(
    reads: Reads, scope: Scope, year: int, period: str | None = None, period_kind: str | None = None
) -> dict[str, Any]:
    """Grants standing on the report date (revoked ones apart), of one period or kind of period
    if asked (domain/periods.py), by award and by period, regular apart from thematic and
    ad-hoc; nominations sent upward and their outcome, and how many pledges for each award
    ended in a grant."""
    return (await awards_and_grants(reads, scope, year, period, period_kind))[0]


async def awards_and_grants(
    reads: Reads, scope: Scope, year: int, period: str | None = None, period_kind: str | None = None
) -> tuple[dict[str, Any], list[asyncpg.Record]]:
    """The awards report and the grants it counted (rows by award, kind, level, authority,
    source, unit, occasion, period and whether revoked; the nation's `unit` is the federation)."""
    chosen = PeriodFilter.asked(year, period, period_kind)
    grants, nominations, achieved = await q.award_counts(reads, scope, year, chosen)
    by_award, by_unit, revoked, cancelled = _grants_by_award(grants)
    names = await unit_names(reads, scope, set(by_unit))
    by_kind = {k: sum(g[k] for g in by_award.values()) for k in OCCASIONS.values()}
    report = {
        "federation": scope.federation,
        "unit": scope.unit,
        "year": year,
        **chosen.echoed(year),
        "as_of": scope.as_of.isoformat(),
        "granted": sum(by_unit.values()),
        **by_kind,
        "revoked": revoked,
        "cancelled": cancelled,
        "by_award": sorted(by_award.values(), key=lambda g: (g["award"], g["subject_kind"])),
        "by_period": _grants_by_period(grants, year),
        "by_unit": [
            {"unit": u, "unit_name": names.get(u, u), "granted": n} for u, n in sorted(by_unit.items())
        ],
        "nominated_upward": [dict(r) for r in nominations],
        "pledged_vs_achieved": [
            {
                **dict(r),
                "award_name": award_name_of(r["award"]),
                "percent": percent(r["achieved"], r["pledged"]),
            }
            for r in achieved
        ],
    }
    return report, grants


def percent(part: int, whole: int | None) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
