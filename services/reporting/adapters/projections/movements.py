"""Movements and pledges."""

from __future__ import annotations

import asyncpg

from services.reporting.adapters.projections.common import Envelope, day, history, name_of, to_json

PLEDGE_STATES = {
    "pledge-registered": "submitted",
    "pledge-accepted": "accepted",
    "pledge-returned": "returned",
    "pledge-resubmitted": "submitted",
    "pledge-withdrawn": "withdrawn",
}


# What an amendment changes: the launch (version 1) sets it only where no amendment has yet.
AMENDED = ("name", "phases", "awards", "registration_deadline")


async def movement_launched(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    later = "COALESCE(m.version, 0) > 1"
    await conn.execute(
        f'INSERT INTO "{s}".movements AS m VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 1) '
        "ON CONFLICT (federation, code) DO UPDATE SET year = EXCLUDED.year, kind = EXCLUDED.kind, "
        "launched_by = EXCLUDED.launched_by, version = GREATEST(COALESCE(m.version, 0), 1), "
        + ", ".join(f"{c} = CASE WHEN {later} THEN m.{c} ELSE EXCLUDED.{c} END" for c in AMENDED),
        d["federation"],
        d["code"],
        d["name"],
        d["year"],
        d["kind"],
        to_json(d.get("phases", [])),
        d.get("awards", []),
        day(d.get("registration_deadline")),
        d.get("launched_by"),
    )


async def movement_amended(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    # An amendment that overtakes the launch leaves a row the launch completes; the latest wins.
    await conn.execute(
        f"INSERT INTO \"{s}\".movements AS m VALUES ($1, $2, $3, 0, 'annual', $4, $5, $6, NULL, NULL, $7) "
        "ON CONFLICT (federation, code) DO UPDATE SET version = EXCLUDED.version, "
        + ", ".join(f"{c} = EXCLUDED.{c}" for c in AMENDED)
        + " WHERE COALESCE(m.version, 0) < EXCLUDED.version",
        d["federation"],
        d["code"],
        d["name"],
        to_json(d.get("phases", [])),
        d.get("awards", []),
        day(d.get("registration_deadline")),
        e["version"],
    )


async def movement_closed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    # A close that overtakes the launch leaves a placeholder the launch fills in.
    await conn.execute(
        f"INSERT INTO \"{s}\".movements VALUES ($1, $2, $2, 0, 'annual', '[]', '{{}}', NULL, NULL, $3) "
        "ON CONFLICT (federation, code) DO UPDATE SET closed_on = EXCLUDED.closed_on",
        d["federation"],
        d["code"],
        day(d["closed_on"]),
    )


async def pledge_changed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    # Each event carries the pledge's key, so a transition that overtakes the registration
    # still creates the row; versions keep the latest state whatever the arrival order. A
    # corrected resubmission ($15) replaces the phase and where the subject sat, if newer.
    await conn.execute(
        f'INSERT INTO "{s}".pledges AS p VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '
        "$12, $13, $14) ON CONFLICT (pledge_id) DO UPDATE SET "
        "state = CASE WHEN p.version < EXCLUDED.version THEN EXCLUDED.state ELSE p.state END, "
        "version = GREATEST(p.version, EXCLUDED.version), "
        "phase = CASE WHEN $15::boolean AND p.version < EXCLUDED.version THEN EXCLUDED.phase "
        "ELSE COALESCE(p.phase, EXCLUDED.phase) END, "
        "award_name = COALESCE(p.award_name, EXCLUDED.award_name), "
        "subject_name = CASE WHEN $15::boolean AND p.version < EXCLUDED.version "
        "THEN EXCLUDED.subject_name ELSE COALESCE(p.subject_name, EXCLUDED.subject_name) END, "
        "unit = CASE WHEN $15::boolean AND p.version < EXCLUDED.version THEN EXCLUDED.unit ELSE p.unit END, "
        "unit_path = CASE WHEN $15::boolean AND p.version < EXCLUDED.version "
        "THEN EXCLUDED.unit_path ELSE COALESCE(p.unit_path, EXCLUDED.unit_path) END",
        e["subject"],
        d["federation"],
        d["movement"],
        d["year"],
        d.get("phase"),
        d["award"],
        d.get("award_name"),
        d["subject_kind"],
        d["subject_code"],
        d.get("subject_name"),
        d["unit"],
        d.get("unit_path"),
        PLEDGE_STATES[name_of(e)],
        e["version"],
        bool(d.get("corrected")),
    )
    await history(conn, s, e)
