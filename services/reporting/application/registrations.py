"""Registration and awards reports: pledges, grants, nominations, pledged vs achieved."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import asyncpg

from services.reporting.application.scope import Scope, unit_names
from shared.catalogue import BY_CODE


def award_name_of(code: str) -> str:
    award = BY_CODE.get(code)
    return award.name if award else code


async def registrations(
    pool: asyncpg.Pool, s: str, scope: Scope, year: int, movement: str | None = None
) -> dict[str, Any]:
    """Pledges by award, subject kind, movement, phase, state and unit; withdrawn ones are
    listed by state but not counted as pledged."""
    rows = await pool.fetch(
        f"SELECT award, subject_kind, movement, phase, state, {scope.group_unit()} AS unit, "
        f"count(*) AS n FROM ({scope.resolved(s, 'pledges')}) r "
        f"WHERE {scope.where()} AND year = $4 AND ($5::text IS NULL OR movement = $5) "
        "GROUP BY 1, 2, 3, 4, 5, 6",
        *scope.args,
        year,
        movement,
    )
    by_award: dict[tuple[str, str], dict[str, Any]] = {}
    by_movement: dict[str, int] = defaultdict(int)
    by_phase: dict[tuple[str, str], int] = defaultdict(int)
    by_unit: dict[str, int] = defaultdict(int)
    by_state: dict[str, int] = defaultdict(int)
    for r in rows:
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
    names = await unit_names(pool, s, scope, set(by_unit))
    return {
        "federation": scope.federation,
        "unit": scope.unit,
        "year": year,
        "as_of": scope.as_of.isoformat(),
        "pledged": sum(by_unit.values()),
        "by_state": dict(sorted(by_state.items())),
        "by_award": sorted(by_award.values(), key=lambda g: (g["award"], g["subject_kind"])),
        "by_movement": [{"movement": m, "pledged": n} for m, n in sorted(by_movement.items())],
        "by_phase": [{"movement": m, "phase": p, "pledged": n} for (m, p), n in sorted(by_phase.items())],
        "by_unit": [
            {"unit": u, "unit_name": names.get(u, u), "pledged": n} for u, n in sorted(by_unit.items())
        ],
    }


async def awards(pool: asyncpg.Pool, s: str, scope: Scope, year: int) -> dict[str, Any]:
    """Grants standing on the report date (revoked ones apart), nominations sent upward and
    their outcome, and how many pledges for each award ended in a grant."""
    # three independent reads, each on a connection of its own, at once
    grants, nominations, achieved = await asyncio.gather(
        pool.fetch(
            f"SELECT award, subject_kind, level, authority, source, {scope.group_unit()} AS unit, "
            "(revoked_on IS NOT NULL AND revoked_on <= $1) AS revoked, count(*) AS n "
            f"FROM ({scope.resolved(s, 'grants')}) r WHERE {scope.where()} AND year = $4 AND granted "
            "GROUP BY 1, 2, 3, 4, 5, 6, 7",
            *scope.args,
            year,
        ),
        pool.fetch(
            "SELECT award, subject_kind, count(*) AS nominated, "
            "count(*) FILTER (WHERE withdrawn) AS withdrawn, "
            "count(*) FILTER (WHERE forwarded_to IS NOT NULL) AS forwarded, "
            "count(*) FILTER (WHERE council_passed) AS passed, count(*) FILTER (WHERE granted) AS granted "
            f"FROM ({scope.resolved(s, 'nominations')}) r WHERE {scope.where()} AND year = $4 AND upward "
            "GROUP BY 1, 2 ORDER BY 1, 2",
            *scope.args,
            year,
        ),
        pool.fetch(
            "SELECT p.award, p.subject_kind, count(*) AS pledged, count(g.grant_id) AS achieved "
            f'FROM ({scope.resolved(s, "pledges")}) p LEFT JOIN "{s}".grants g '
            "ON g.federation = p.federation AND g.subject_kind = p.subject_kind "
            "AND g.subject_code = p.subject_code AND g.award = p.award "
            "AND g.year = p.year AND g.granted AND (g.revoked_on IS NULL OR g.revoked_on > $1)"
            f"{scope.only_sources(s, 'g', 'AND')} "
            f"WHERE {scope.where()} AND p.year = $4 AND p.state <> 'withdrawn' GROUP BY 1, 2 ORDER BY 1, 2",
            *scope.args,
            year,
        ),
    )
    by_award: dict[tuple[str, str], dict[str, Any]] = {}
    by_unit: dict[str, int] = defaultdict(int)
    revoked = 0
    for r in grants:
        g = by_award.setdefault(
            (r["award"], r["subject_kind"]),
            {
                "award": r["award"],
                "award_name": award_name_of(r["award"]),
                "level": r["level"],
                "subject_kind": r["subject_kind"],
                "granted": 0,
                "revoked": 0,
                "by_authority": {},
            },
        )
        if r["revoked"]:
            g["revoked"] += r["n"]
            revoked += r["n"]
            continue
        g["granted"] += r["n"]
        g["by_authority"][r["authority"] or "?"] = g["by_authority"].get(r["authority"] or "?", 0) + r["n"]
        by_unit[r["unit"]] += r["n"]
    names = await unit_names(pool, s, scope, set(by_unit))
    return {
        "federation": scope.federation,
        "unit": scope.unit,
        "year": year,
        "as_of": scope.as_of.isoformat(),
        "granted": sum(by_unit.values()),
        "revoked": revoked,
        "by_award": sorted(by_award.values(), key=lambda g: (g["award"], g["subject_kind"])),
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


def percent(part: int, whole: int | None) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
