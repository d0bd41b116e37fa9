"""The dossier (hồ sơ) of a nomination or of a decision: the files attached to it, each named by
the SHA-256 of its bytes (stored once, never changed: adapters/blobs.py). An attachment is only
ever added; a corrected file is a new attachment beside the old one. Each download is a
`Download` of its own in the log: a read leaves a trace, and no two readers contend for one stream."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.errors import Invalid
from shared.kernel.ids import stable_id

# What each owner's files may be (the console's labels: services/console/application/dossiers.py).
KINDS = {
    "nomination": ("achievement-report", "council-minutes", "supporting-document"),
    "decision": ("signed-decision",),
}
MAX_BYTES = 10 * 1024 * 1024  # one file; below the services' 20 MB body limit
MAX_ATTACHMENTS = 50  # one dossier


def require_kind(owner_kind: str, kind: str) -> None:
    if kind not in KINDS[owner_kind]:
        raise Invalid.on("kind", f"a {owner_kind}'s attachment is one of: {', '.join(KINDS[owner_kind])}")


class Dossier(Aggregate):
    """One per nomination or decision; `unit_path` is the nomination's placement ([] for a
    decision, which is the federation's)."""

    @staticmethod
    def create_id(federation: str, owner_kind: str, owner: str, unit_path: list[str], meta: dict) -> UUID:
        return Dossier.id_for(federation, owner_kind, owner)

    @staticmethod
    def id_for(federation: str, owner_kind: str, owner: str) -> UUID:
        return stable_id("dossier", federation, owner_kind, owner)

    @event("Opened")
    def __init__(
        self, federation: str, owner_kind: str, owner: str, unit_path: list[str], meta: dict
    ) -> None:
        self.federation = federation
        self.owner_kind = owner_kind
        self.owner = owner
        self.unit_path = unit_path
        self.attachments: list[dict[str, Any]] = []

    def attached(self, sha256: str) -> dict[str, Any] | None:
        return next((a for a in self.attachments if a["sha256"] == sha256), None)

    def require_room(self, kind: str) -> None:
        require_kind(self.owner_kind, kind)
        if len(self.attachments) >= MAX_ATTACHMENTS:
            raise Invalid.on(
                "file",
                f"this {self.owner_kind} already has {MAX_ATTACHMENTS} attachments, the most a dossier holds",
            )

    def add(self, file: dict[str, Any], kind: str, uploaded_at: datetime, meta: dict) -> None:
        """`file`: sha256, size, media_type and file_name of bytes already stored."""
        self.require_room(kind)
        self._added(
            federation=self.federation,
            owner_kind=self.owner_kind,
            owner=self.owner,
            unit_path=list(self.unit_path),
            kind=kind,
            **file,
            uploaded_by=str(meta.get("actor", "")),
            uploaded_at=uploaded_at,
            meta=meta,
        )

    @event("AttachmentAdded")
    def _added(
        self,
        federation: str,
        owner_kind: str,
        owner: str,
        unit_path: list[str],
        kind: str,
        sha256: str,
        size: int,
        media_type: str,
        file_name: str,
        uploaded_by: str,
        uploaded_at: datetime,
        meta: dict,
    ) -> None:
        self.attachments.append(
            {
                "sha256": sha256,
                "size": size,
                "media_type": media_type,
                "file_name": file_name,
                "kind": kind,
                "uploaded_by": uploaded_by,
                "uploaded_at": uploaded_at,
            }
        )


class Download(Aggregate):
    """One download of an attachment: who took which file of which dossier, and when (the
    event's timestamp). Stored in the log, never published."""

    @event("Recorded")
    def __init__(
        self, federation: str, owner_kind: str, owner: str, sha256: str, by: str, meta: dict
    ) -> None:
        self.federation = federation
        self.owner_kind = owner_kind
        self.owner = owner
        self.sha256 = sha256
        self.by = by
