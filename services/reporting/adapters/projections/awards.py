"""Nominations, council results, grants and revocations."""

from __future__ import annotations

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


async def award_granted(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    d = e["data"]
    await conn.execute(
        f'INSERT INTO "{s}".grants AS g (grant_id, federation, subject_kind, subject_code, '
        "subject_name, unit, unit_path, award, award_name, level, year, decision_number, "
        "decision_date, signer, authority, source, nomination, granted, occasion, period_kind, "
        "period_from, period_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
        "$15, $16, $17, true, $18, $19, $20, $21) ON CONFLICT (grant_id) DO UPDATE "
        # a cancellation that overtook its grant keeps it never granted
        "SET granted = g.cancelled_on IS NULL, unit_path = EXCLUDED.unit_path, "
        "decision_date = EXCLUDED.decision_date, "
        "signer = EXCLUDED.signer, authority = EXCLUDED.authority, source = EXCLUDED.source, "
        "nomination = EXCLUDED.nomination, occasion = EXCLUDED.occasion, "
        "period_kind = EXCLUDED.period_kind, period_from = EXCLUDED.period_from, "
        "period_to = EXCLUDED.period_to",
        e["subject"],
        d["federation"],
        d["subject_kind"],
        d["subject_code"],
        d.get("subject_name"),
        d["unit"],
        d.get("unit_path"),
        d["award"],
        d.get("award_name"),
        d.get("level"),
        d["year"],
        d.get("decision_number"),
        day(d.get("decision_date")),
        d.get("signer"),
        d.get("authority"),
        d.get("source", "decision"),
        d.get("nomination"),
        d.get("occasion") or "regular",
        *_period(d),
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
    # A revocation that overtakes its grant creates the row; the grant fills in the rest.
    await conn.execute(
        f'INSERT INTO "{s}".grants AS g (grant_id, federation, subject_kind, subject_code, '
        "subject_name, unit, award, award_name, level, year, decision_number, revoked_on, "
        "revoke_reason, revoke_reference) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12, $13, $14) ON CONFLICT (grant_id) DO UPDATE SET revoked_on = EXCLUDED.revoked_on, "
        "revoke_reason = EXCLUDED.revoke_reason, revoke_reference = EXCLUDED.revoke_reference",
        e["subject"],
        d["federation"],
        d["subject_kind"],
        d["subject_code"],
        d.get("subject_name"),
        d["unit"],
        d["award"],
        d.get("award_name"),
        d.get("level"),
        d["year"],
        d.get("decision_number"),
        day(d.get("revoked_on")),
        d.get("reason"),
        d.get("reference"),
    )
    await history(conn, s, e)


async def grant_cancelled(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """Removed by an amendment or with its cancelled decision: as never granted (`granted` false,
    so no count of standing grants has it), counted apart from revocations by `cancelled_on`."""
    d = e["data"]
    # A cancellation that overtakes its grant creates the row; the grant fills in the rest.
    await conn.execute(
        f'INSERT INTO "{s}".grants AS g (grant_id, federation, subject_kind, subject_code, '
        "subject_name, unit, unit_path, award, award_name, level, year, decision_number, cancelled_on, "
        "cancel_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
        "ON CONFLICT (grant_id) DO UPDATE SET granted = false, cancelled_on = EXCLUDED.cancelled_on, "
        "cancel_reason = EXCLUDED.cancel_reason",
        e["subject"],
        d["federation"],
        d["subject_kind"],
        d["subject_code"],
        d.get("subject_name"),
        d["unit"],
        d.get("unit_path"),
        d["award"],
        d.get("award_name"),
        d.get("level"),
        d["year"],
        d.get("decision_number"),
        day(d.get("cancelled_on")),
        d.get("reason"),
    )
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
