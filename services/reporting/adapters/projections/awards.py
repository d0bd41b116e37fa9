"""Nominations, council results, grants and revocations."""

from __future__ import annotations

from typing import Any

import asyncpg

from services.reporting.adapters.projections.common import Envelope, day, history, name_of
from shared.kernel import periods


async def nomination_changed(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """Submitted, withdrawn or forwarded: each sets its own columns, so order does not matter."""
    d, name = e["data"], name_of(e)
    await conn.execute(
        f'INSERT INTO "{s}".nominations (nomination, federation, subject_kind, subject_code, '
        "award, year) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        d["nomination"],
        d["federation"],
        d["subject_kind"],
        d["subject_code"],
        d["award"],
        d["year"],
    )
    if name == "nomination-submitted":
        await conn.execute(
            f'UPDATE "{s}".nominations SET subject_name = $2, unit = $3, unit_path = $4, '
            "level = $5, eligible = $6, upward = $7 WHERE nomination = $1",
            d["nomination"],
            d.get("subject_name"),
            d.get("unit"),
            d.get("unit_path"),
            d.get("level"),
            d.get("eligible"),
            d.get("upward"),
        )
    elif name == "nomination-withdrawn":
        await conn.execute(
            f'UPDATE "{s}".nominations SET withdrawn = true WHERE nomination = $1', d["nomination"]
        )
    else:
        await conn.execute(
            f'UPDATE "{s}".nominations SET forwarded_to = $2 WHERE nomination = $1',
            d["nomination"],
            d.get("to"),
        )
    await history(conn, s, e)


async def council_resolved(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    for result in d.get("results", []):
        await conn.execute(
            f'INSERT INTO "{s}".nominations (nomination, federation, subject_kind, subject_code, '
            "award, year, council_passed) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT (nomination) DO UPDATE SET council_passed = EXCLUDED.council_passed",
            result["nomination"],
            d["federation"],
            result.get("subject_kind"),
            result.get("subject_code"),
            result.get("award"),
            d.get("year"),
            result["passed"],
        )


def _listed(e: Envelope) -> dict[str, Any]:
    """The columns of a grant's row that every event of a grant carries, so that whichever comes
    first lists it; the grant fills in the rest."""
    d = e["data"]
    return {
        "grant_id": e["subject"],
        "federation": d["federation"],
        "subject_kind": d["subject_kind"],
        "subject_code": d["subject_code"],
        "subject_name": d.get("subject_name"),
        "unit": d["unit"],
        "award": d["award"],
        "award_name": d.get("award_name"),
        "level": d.get("level"),
        "year": d["year"],
        "decision_number": d.get("decision_number"),
    }


async def _upsert_grant(conn: asyncpg.Connection, s: str, row: dict[str, Any], update: str) -> None:
    """Insert the grant's row with `row`'s columns or, when it is listed already, `SET update`
    (`g` is the listed row, `EXCLUDED` the values given)."""
    marks = ", ".join(f"${n}" for n in range(1, len(row) + 1))
    await conn.execute(
        f'INSERT INTO "{s}".grants AS g ({", ".join(row)}) VALUES ({marks}) '
        f"ON CONFLICT (grant_id) DO UPDATE SET {update}",
        *row.values(),
    )


async def award_granted(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    kind, first, last = _period(d)
    row = {
        **_listed(e),
        "unit_path": d.get("unit_path"),
        "decision_date": day(d.get("decision_date")),
        "signer": d.get("signer"),
        "authority": d.get("authority"),
        "source": d.get("source", "decision"),
        "nomination": d.get("nomination"),
        "granted": True,
        "occasion": d.get("occasion") or "regular",
        "period_kind": kind,
        "period_from": first,
        "period_to": last,
    }
    await _upsert_grant(
        conn,
        s,
        row,
        # a cancellation that overtook its grant keeps it never granted
        "granted = g.cancelled_on IS NULL, unit_path = EXCLUDED.unit_path, "
        "decision_date = EXCLUDED.decision_date, "
        "signer = EXCLUDED.signer, authority = EXCLUDED.authority, source = EXCLUDED.source, "
        "nomination = EXCLUDED.nomination, occasion = EXCLUDED.occasion, "
        "period_kind = EXCLUDED.period_kind, period_from = EXCLUDED.period_from, "
        "period_to = EXCLUDED.period_to",
    )
    if d.get("nomination"):
        await conn.execute(
            f'UPDATE "{s}".nominations SET granted = true WHERE nomination = $1', d["nomination"]
        )
    await history(conn, s, e)


def _period(d: dict) -> tuple[str, int, int]:
    """(kind, from, to) of a grant's period; an event older than periods is for its year."""
    period = periods.of(d.get("period"), d["year"])
    return period.kind, period.first, period.last


async def award_revoked(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    row = {
        **_listed(e),
        "revoked_on": day(d.get("revoked_on")),
        "revoke_reason": d.get("reason"),
        "revoke_reference": d.get("reference"),
    }
    update = (
        "revoked_on = EXCLUDED.revoked_on, revoke_reason = EXCLUDED.revoke_reason, "
        "revoke_reference = EXCLUDED.revoke_reference"
    )
    await _upsert_grant(conn, s, row, update)
    await history(conn, s, e)


async def grant_cancelled(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """Removed by an amendment or with its cancelled decision: as never granted (`granted` false,
    so no count of standing grants has it), counted apart from revocations by `cancelled_on`."""
    d = e["data"]
    row = {
        **_listed(e),
        "unit_path": d.get("unit_path"),
        "cancelled_on": day(d.get("cancelled_on")),
        "cancel_reason": d.get("reason"),
    }
    update = "granted = false, cancelled_on = EXCLUDED.cancelled_on, cancel_reason = EXCLUDED.cancel_reason"
    await _upsert_grant(conn, s, row, update)
    if d.get("nomination"):  # the nomination no longer ended in a grant
        await conn.execute(
            f'UPDATE "{s}".nominations SET granted = false WHERE nomination = $1', d["nomination"]
        )
    await history(conn, s, e)


async def grant_corrected(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """The grantee's name as printed corrected; a line in the subject's history with the reason."""
    await conn.execute(
        f'UPDATE "{s}".grants SET subject_name = $2 WHERE grant_id = $1',
        e["subject"],
        e["data"]["subject_name"],
    )
    await history(conn, s, e)


async def subject_fact(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """Ratings and discipline: lines in the subject's history."""
    await history(conn, s, e)
