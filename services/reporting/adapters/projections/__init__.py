"""How each event type changes the read models. An event type not listed here fails loudly:
the consumer dead-letters it with the reason instead of skipping it (I3)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from services.reporting.adapters.projections import activities, awards, movements, organisation
from services.reporting.adapters.projections.batch import Plan, apply_set_wise, plan_set_wise
from services.reporting.adapters.projections.common import Envelope, Projection
from shared.messaging.tracking import PoisonMessage


async def nothing(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """Known, and deliberately not projected."""


def _registration(name: str) -> str:
    return f"tdkt.registration.{name}.v1"


def _awards(name: str) -> str:
    return f"tdkt.awards.{name}.v1"


PROJECTIONS: dict[str, Projection] = {
    _registration("federation-created"): organisation.federation_created,
    _registration("federation-merged"): organisation.federation_merged,
    _registration("federation-corrected"): organisation.federation_corrected,
    _registration("unit-corrected"): organisation.unit_corrected,
    _registration("member-corrected"): organisation.member_corrected,
    _registration("unit-registered"): organisation.unit_changed,
    _registration("unit-moved"): organisation.unit_changed,
    _registration("unit-merged"): organisation.unit_ended,
    _registration("unit-recoded"): organisation.unit_ended,
    _registration("unit-dissolved"): organisation.unit_ended,
    _registration("unit-headcount-recorded"): organisation.headcount_recorded,
    **{
        _registration(f"member-{c}"): organisation.member_changed
        for c in ("registered", "transferred", "left")
    },
    _registration("movement-launched"): movements.movement_launched,
    _registration("movement-amended"): movements.movement_amended,
    _registration("movement-closed"): movements.movement_closed,
    **{_registration(name): movements.pledge_changed for name in movements.PLEDGE_STATES},
    _registration("covenant-signed"): activities.covenant_signed,
    _registration("block-scored"): activities.block_scored,
    _registration("block-leader-acclaimed"): activities.leader_acclaimed,
    _registration("target-assigned"): activities.target_assigned,
    **{
        _registration(f"initiative-{c}"): activities.initiative_changed
        for c in ("registered", "recognised", "rejected", "corrected")
    },
    **{
        _registration(f"work-{c}"): activities.work_changed
        for c in ("registered", "completed", "plaqued", "corrected")
    },
    **{_awards(f"award-{c}"): nothing for c in ("defined", "amended", "retired")},  # grants carry name, level
    _awards("rule-set-published"): nothing,
    _awards("rating-recorded"): awards.subject_fact,
    _awards("discipline-recorded"): awards.subject_fact,
    **{
        _awards(f"nomination-{c}"): awards.nomination_changed for c in ("submitted", "withdrawn", "forwarded")
    },
    _awards("council-resolved"): awards.council_resolved,
    _awards("decision-issued"): nothing,  # its grants arrive as award-granted
    _awards("award-granted"): awards.award_granted,
    _awards("award-revoked"): awards.award_revoked,
    _awards("grant-cancelled"): awards.grant_cancelled,
    _awards("grant-corrected"): awards.grant_corrected,
    # their grants' changes arrive as award-granted, grant-cancelled and grant-corrected
    **{_awards(f"decision-{c}"): nothing for c in ("amended", "cancelled")},
    _awards("attachment-added"): nothing,  # a dossier's files are awards' own: no report counts them
}

# Read models with at most one row per event, keyed by the event's id.
EVENT_KEYED_TABLES = ("history",)


class Projector:
    """Reporting's handler for the consumer: one event (`__call__`), or a batch set-wise (`batch`,
    with the result of calling it on each event in turn; see batch.py). An event without a
    projection fails the whole batch: the consumer then goes one by one and dead-letters just
    that one."""

    def __init__(self, schema: str) -> None:
        self.schema = schema

    async def __call__(self, conn: asyncpg.Connection, envelope: dict[str, Any]) -> None:
        await projection_of(envelope)(conn, self.schema, envelope)

    async def batch(self, conn: asyncpg.Connection, envelopes: Sequence[dict[str, Any]]) -> None:
        await apply_set_wise(conn, self.schema, [(projection_of(e), e) for e in envelopes])

    async def plan(self, envelopes: Sequence[dict[str, Any]]) -> Plan:
        """`batch` in two steps: the statements now, `run(conn)` on the result later."""
        return await plan_set_wise(self.schema, [(projection_of(e), e) for e in envelopes])


def projector(schema: str) -> Projector:
    return Projector(schema)


def projection_of(envelope: Envelope) -> Projection:
    projection = PROJECTIONS.get(envelope["type"])
    if projection is None:
        raise PoisonMessage(f"reporting has no projection for '{envelope['type']}'")
    return projection
