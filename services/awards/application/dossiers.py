"""Dossiers: files attached to a nomination (by whoever may submit it, inside its unit's subtree)
or to a decision (its signed scan, by federation staff who may issue decisions), listed and
downloaded under the owner's read rules — a nomination outside a unit-scoped caller's subtree,
and any decision's scan for a unit-scoped caller, do not exist for them (I5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.awards.application import decisions, lookups
from services.awards.application.store import Store
from services.awards.application.subjects import require_staff
from services.awards.domain.dossiers import Dossier, Download, require_kind
from shared.auth.permissions import scope_covers
from shared.kernel.errors import NotFound
from shared.store.eventstore import CommandResult, Context, jsonable

OWNERS = ("nomination", "decision")


def missing(owner_kind: str, owner: str) -> NotFound:
    return NotFound(f"{owner_kind} '{owner}' does not exist")


def placement(
    store: Store, scope: str, federation: str, owner_kind: str, owner: str
) -> tuple[str, list[str]]:
    """The owner's id and unit path, if `scope` may read its dossier; NotFound as if it did not exist."""
    if owner_kind == "nomination":
        nomination = lookups.nomination(store, federation, owner)
        owner_id, path = str(nomination.id), list(nomination.unit_path)
    else:
        owner_id, path = str(decisions.decision(store, federation, owner).id), []
    if not scope_covers(scope, federation, tuple(path)):
        raise missing(owner_kind, owner)
    return owner_id, path


def dossier(store: Store, scope: str, federation: str, owner_kind: str, owner: str) -> Dossier | None:
    owner_id, _ = placement(store, scope, federation, owner_kind, owner)
    return store.find(Dossier, Dossier.id_for(federation, owner_kind, owner_id))


def listing(store: Store, scope: str, federation: str, owner_kind: str, owner: str) -> dict[str, Any]:
    owner_id, _ = placement(store, scope, federation, owner_kind, owner)
    found = store.find(Dossier, Dossier.id_for(federation, owner_kind, owner_id))
    items = [_item(found, a) for a in found.attachments] if found else []
    return {"federation": federation, "owner_kind": owner_kind, "owner": owner_id, "items": items}


def attachment(store: Store, scope: str, federation: str, owner_kind: str, owner: str, sha256: str) -> dict:
    """One attachment's record (placed), or NotFound: only a file this dossier names is served."""
    found = dossier(store, scope, federation, owner_kind, owner)
    record = found.attached(sha256.lower()) if found else None
    if found is None or record is None:
        raise NotFound(f"no attachment '{sha256}' in this {owner_kind}'s dossier")
    return _item(found, record)


def _item(found: Dossier, record: dict[str, Any]) -> dict[str, Any]:
    """An attachment as answered: a nomination's carries its placement (shared.web.scope_guard)."""
    placed = {"unit_path": list(found.unit_path)} if found.owner_kind == "nomination" else {}
    return {**record, **placed}


def add_attachment(
    store: Store,
    now: datetime,
    ctx: Context,
    federation: str,
    owner_kind: str,
    owner: str,
    kind: str,
    file: dict[str, Any],
) -> CommandResult:
    """`file`: the sha256, size, media type and name of bytes already stored. The same bytes
    already in this dossier answer the attachment there (200) and add nothing."""
    if owner_kind == "decision":
        require_staff(ctx, federation)
    owner_id, path = placement(store, ctx.scope, federation, owner_kind, owner)
    found = store.find(Dossier, Dossier.id_for(federation, owner_kind, owner_id))
    if found is not None and (already := found.attached(file["sha256"])) is not None:
        return CommandResult(200, jsonable(_item(found, already)))
    if found is None:
        found = Dossier(
            federation=federation, owner_kind=owner_kind, owner=owner_id, unit_path=path, meta=ctx.meta
        )
    found.add(file, kind, now, ctx.meta)
    return store.commit(ctx, [found], _item(found, found.attachments[-1]), version=found.version)


def check_room(store: Store, scope: str, federation: str, owner_kind: str, owner: str, kind: str) -> None:
    """The refusals `add_attachment` would make that do not depend on the file: made before its
    bytes are stored, so a refused upload stores nothing."""
    found = dossier(store, scope, federation, owner_kind, owner)
    if found is None:
        require_kind(owner_kind, kind)
    else:
        found.require_room(kind)


def record_download(
    store: Store, ctx: Context, federation: str, owner_kind: str, owner: str, sha256: str
) -> None:
    """The download, in the log, before the bytes go out."""
    record = Download(
        federation=federation, owner_kind=owner_kind, owner=owner, sha256=sha256, by=ctx.actor, meta=ctx.meta
    )
    store.commit(ctx, [record], {}, status=200)
