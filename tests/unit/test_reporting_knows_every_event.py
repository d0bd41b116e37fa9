"""Reporting consumes every published event ("#"): each type registration and awards publish has
a projection, if only `nothing`, so none is dead-lettered as unknown when it first arrives."""

from __future__ import annotations

from services.awards.application.contracts import CONTRACTS as AWARDS
from services.registration.application.contracts import CONTRACTS as REGISTRATION
from services.reporting.adapters.projections import PROJECTIONS


def test_every_published_event_type_has_a_projection_in_reporting() -> None:
    published = set(AWARDS.types()) | set(REGISTRATION.types())
    assert "tdkt.awards.attachment-added.v1" in published
    assert published <= set(PROJECTIONS), sorted(published - set(PROJECTIONS))
