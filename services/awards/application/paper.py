"""A federation's paper (domain/paper.py): the wording its decisions and certificates are printed
with, and its certificates' images; and what a decision's documents are printed from."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import Field

from services.awards.application import decisions
from services.awards.application.store import Store
from services.awards.application.subjects import require_staff
from services.awards.domain.grants import Decision, Grant
from services.awards.domain.paper import DEFAULT_WORDING, Paper, wording_of
from shared.auth.permissions import scope_covers
from shared.kernel.commands import Command, Text
from shared.kernel.errors import NotFound
from shared.store.eventstore import CommandResult, Context

Lines = list[Text]


class SetWording(Command):
    """What the federation's decisions and certificates say; what is left out stays as it was."""

    parent_body: Text | None = Field(None, description="the body above the issuer; empty for none")
    issuing_body: Text | None = Field(None, examples=["LIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC KẠN"])
    deciding_body: Text | None = Field(None, examples=["BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC KẠN"])
    place: Text | None = Field(None, examples=["Bắc Kạn"])
    bases: Lines | None = Field(None, max_length=20, description="the legal bases, each 'Căn cứ …;'")
    article_2: Text | None = None
    article_3: Text | None = None
    recipients: Lines | None = Field(None, max_length=20, description="'Nơi nhận', one a line")
    signing_for: Text | None = Field(None, examples=["TM. BAN THƯỜNG VỤ"], description="TM./KT. lines")
    signer_title: Text | None = Field(None, examples=["CHỦ TỊCH"])
    achievement: Text | None = Field(None, description="the certificates' achievement line; {year}: the year")


def paper_of(store: Store, federation: str) -> dict[str, Any]:
    found = store.find(Paper, Paper.id_for(federation))
    return {
        "federation": federation,
        "wording": wording_of(found),
        "defaults": DEFAULT_WORDING,
        "images": dict(found.images) if found else {},
        "version": found.version if found else 0,
    }


def set_wording(store: Store, ctx: Context, federation: str, cmd: SetWording) -> CommandResult:
    require_staff(ctx, federation)
    paper = store.find(Paper, Paper.id_for(federation)) or Paper(federation, meta=ctx.meta)
    paper.set_wording(cmd.model_dump(exclude_none=True), ctx.meta)
    return store.commit(ctx, [paper], paper_of_aggregate(paper), status=200, version=paper.version)


def set_image(
    store: Store, ctx: Context, federation: str, name: str, image: dict[str, Any] | None
) -> CommandResult:
    """`image`: the stored image's sha256, media type and size; None: back to the plain default."""
    require_staff(ctx, federation)
    paper = store.find(Paper, Paper.id_for(federation)) or Paper(federation, meta=ctx.meta)
    paper.set_image(name, image, ctx.meta)
    return store.commit(ctx, [paper], paper_of_aggregate(paper), status=200, version=paper.version)


def paper_of_aggregate(paper: Paper) -> dict[str, Any]:
    return {"federation": paper.federation, "wording": wording_of(paper), "images": dict(paper.images)}


def printed(
    store: Store, federation: str, decision_id: str, scope: str
) -> tuple[Decision, list[Grant], dict]:
    """A decision, the grants a caller of `scope` may print (a unit-scoped caller: its
    subtree's only, and no decision without one), and the wording it is printed with."""
    decision = decisions.decision(store, federation, decision_id)
    ids = [UUID(line["grant_id"]) for line in decision.grants]
    found = store.find_many(Grant, ids)  # one query, in the decision's order below
    grants = [g for i in ids if (g := found.get(i)) and scope_covers(scope, federation, tuple(g.unit_path))]
    if not grants:
        raise NotFound(f"decision '{decision_id}' does not exist")
    wording = wording_of(store.find(Paper, Paper.id_for(federation)), decision.authority)
    return decision, grants, wording


def grant_printed(store: Store, federation: str, grant_id: str) -> tuple[Grant, dict]:
    grant = decisions.grant(store, federation, grant_id)
    return grant, wording_of(store.find(Paper, Paper.id_for(federation)), grant.authority)


def decisions_of(store: Store, grants: list[Grant]) -> dict[str, Decision]:
    """The decisions that made `grants` (imported grants name none), by id."""
    ids = {UUID(g.decision_id) for g in grants if g.source == "decision" and _uuid(g.decision_id)}
    return {str(i): d for i, d in store.find_many(Decision, ids).items()}


def _uuid(value: str) -> bool:
    try:
        UUID(value)
    except (TypeError, ValueError):
        return False
    return True


def wording_for(store: Store, federation: str, authority: str) -> dict[str, Any]:
    return wording_of(store.find(Paper, Paper.id_for(federation)), authority)


def images(store: Store, federation: str) -> dict[str, dict[str, Any]]:
    found = store.find(Paper, Paper.id_for(federation))
    return dict(found.images) if found else {}
