"""How each event type changes the read models. An event type not listed here fails loudly:
the consumer dead-letters it with the reason instead of skipping it (I3)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from services.reporting.adapters.projections import activities, awards, movements, organisation
from services.reporting.adapters.projections.common import Envelope, Projection
from shared.consumer import PoisonMessage


async def nothing(conn: asyncpg.Connection, s: str, e: Envelope) -> None:
    """Known, and deliberately not projected."""


def _registration(name: str) -> str:
    return f"tdkt.registration.{name}.v1"


def _awards(name: str) -> str:
    return f"tdkt.awards.{name}.v1"


PROJECTIONS: dict[str, Projection] = {
    _registration("federation-created"): organisation.federation_created,
    _registration("federation-merged"): organisation.federation_merged,
    _registration("unit-registered"): organisation.unit_changed,
    _registration("unit-moved"): organisation.unit_changed,
    _registration("unit-merged"): organisation.unit_ended,
    _registration("unit-dissolved"): organisation.unit_ended,
    **{
        _registration(f"member-{c}"): organisation.member_changed
        for c in ("registered", "transferred", "left")
    },
    _registration("movement-launched"): movements.movement_launched,
    _registration("movement-closed"): movements.movement_closed,
    **{_registration(name): movements.pledge_changed for name in movements.PLEDGE_STATES},
    _registration("covenant-signed"): activities.covenant_signed,
    _registration("block-scored"): activities.block_scored,
    _registration("block-leader-acclaimed"): activities.leader_acclaimed,
    _registration("target-assigned"): activities.target_assigned,
    **{
        _registration(f"initiative-{c}"): activities.initiative_changed
        for c in ("registered", "recognised", "rejected")
    },
    **{_registration(f"work-{c}"): activities.work_changed for c in ("registered", "completed", "plaqued")},
    _awards("award-defined"): nothing,  # grants carry the award's name and level
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
}


def projector(schema: str) -> Callable[[asyncpg.Connection, dict[str, Any]], Awaitable[None]]:
    async def project(conn: asyncpg.Connection, envelope: dict[str, Any]) -> None:
        projection = PROJECTIONS.get(envelope["type"])
        if projection is None:
            raise PoisonMessage(f"reporting has no projection for '{envelope['type']}'")
        await projection(conn, schema, envelope)

    return project
