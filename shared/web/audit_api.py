"""The audit trail over HTTP, for auditors (action `audit.read`): every event of one record with
who, when and why, and the state of the service's hash chain (README, "Tamper evidence").

Both read the service's own log. A record's events are the envelopes the feed serves (the same
contracts, so nothing the feed withholds, such as a secret ballot's choice, is shown); a record
of another federation answers as one that does not exist (I5).

The chain is checked whole (`verification.verify`): at nation scale that reads every event, so a
verdict is kept and reused for `CHAIN_MAX_AGE` seconds, one check runs at a time, and callers that
arrive during a check wait for its verdict. `fresh=true` or an anchor asks for a new check."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from shared.kernel.errors import Invalid, NotFound
from shared.messaging.eventlog import LoggedEvent
from shared.ops.runtime import Runtime
from shared.store.audit.verification import Verdict, verify
from shared.web.caller import Caller, runtime

CHAIN_MAX_AGE = 300.0
FED = "/v1/federations/{federation}"

# verification.verify's reasons, as codes a client can put into its own words (a reason's text
# may name an aggregate of another federation, so only national callers get it as written)
PROBLEMS = (
    ("the event is not in the chain", "unsealed"),
    ("the event is missing together with its link", "deleted-with-link"),
    ("the event is missing", "deleted"),
    ("its chain link was altered", "link-altered"),
    ("the stored event", "altered"),
    ("the log up to the anchored head was rewritten", "rewritten"),
    ("the anchored head is no longer in the log", "anchor-missing"),
)


def problem_code(reason: str) -> str:
    return next((code for prefix, code in PROBLEMS if reason.startswith(prefix)), "other")


@dataclass
class ChainWatch:
    """The latest verdict of one service's chain and when it was reached."""

    verdict: Verdict | None = None
    checked_at: datetime | None = None
    seconds: float = 0.0
    at: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def check(
        self, rt: Runtime, fresh: bool, anchor: tuple[int, str] | None
    ) -> tuple[Verdict, datetime, float]:
        if anchor is not None:  # an anchored check is the caller's own question: never cached
            async with self.lock:
                return await self._run(rt, anchor)
        requested = time.monotonic()
        async with self.lock:
            # a check that began after this request arrived answers it as well as a new one would
            stale = self.verdict is None or time.monotonic() - self.at > CHAIN_MAX_AGE
            if stale or (fresh and self.at < requested):
                self.verdict, self.checked_at, self.seconds = await self._run(rt, None)
                self.at = time.monotonic()
            assert self.verdict is not None and self.checked_at is not None
            return self.verdict, self.checked_at, self.seconds

    @staticmethod
    async def _run(rt: Runtime, anchor: tuple[int, str] | None) -> tuple[Verdict, datetime, float]:
        assert rt.application is not None
        table = rt.application.recorder.events_table_name  # type: ignore[attr-defined]
        started = time.monotonic()
        when = datetime.now(UTC)
        verdict = await asyncio.to_thread(
            verify, rt.settings.database_url, rt.settings.schema_name, table, anchor
        )
        return verdict, when, round(time.monotonic() - started, 3)


def _anchor(text: str | None) -> tuple[int, str] | None:
    if not text:
        return None
    head, _, digest = text.strip().partition(":")
    if not head.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdefABCDEF" for c in digest):
        raise Invalid.on("anchor", "anchor must be ID:HASH, a head an earlier check answered")
    return int(head), digest.lower()


async def _record_events(rt: Runtime, federation: str, record_id: UUID) -> list[dict[str, Any]]:
    """The envelopes of the record's events that belong to `federation`, in their order."""
    assert rt.application is not None and rt.eventlog is not None
    table = rt.application.recorder.events_table_name  # type: ignore[attr-defined]
    rows = await rt.db.fetch(
        f"SELECT notification_id, originator_id, originator_version, topic, state FROM "
        f'"{rt.settings.schema_name}"."{table}" WHERE originator_id = $1 ORDER BY originator_version',
        record_id,
    )
    events = []
    if rows:
        await rt.eventlog.fresh_epochs(max(row["notification_id"] for row in rows))
    for row in rows:
        domain_event = rt.eventlog.mapper.to_domain_event(
            StoredEvent(
                originator_id=UUID(str(row["originator_id"])),
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
        )
        envelope = rt.eventlog.envelope(LoggedEvent(row["notification_id"], domain_event))
        if envelope is not None and envelope["federation"] == federation:
            events.append(envelope)
    return events


def _chain_body(
    rt: Runtime,
    caller: Any,
    checked: tuple[Verdict, datetime, float],
    expected: tuple[int, str] | None,
) -> dict[str, Any]:
    verdict, checked_at, seconds = checked
    body: dict[str, Any] = {
        "service": rt.settings.service,
        "state": "verified" if verdict.ok else "broken",
        "checked_events": verdict.checked,
        "head": {"sequence": verdict.head_id, "hash": verdict.head_hash},
        "broken_at": verdict.broken_at,
        "problem": None if verdict.ok else problem_code(verdict.reason),
        "checked_at": checked_at.isoformat(),
        "check_seconds": seconds,
        "anchor": f"{expected[0]}:{expected[1]}" if expected else None,
    }
    if caller.is_national and not verdict.ok:
        body["detail"] = verdict.reason
    return body


def audit_router() -> APIRouter:
    """The audit routes of one app, with the watch over its service's chain."""
    router = APIRouter(tags=["audit"])
    watch = ChainWatch()

    @router.get(
        FED + "/audit/records/{record_id}",
        summary="Every event of one record, with who, when and why (auditors)",
        response_model=dict[str, Any],
    )
    async def record_events(
        federation: str, record_id: UUID, caller: Caller, request: Request
    ) -> JSONResponse:
        """The record's events in the order they happened, as CloudEvents envelopes (the feed's):
        `actor` who caused it, `time` when, `data.reason` why when one was given, `version` its
        place in the record. `record` is the envelope's `subject` (the aggregate id), as reporting's
        history lines name it. A record of another federation answers 404 as a missing one."""
        caller.require("audit.read", federation)
        rt = runtime(request)
        events = await _record_events(rt, federation, record_id)
        if not events:
            raise NotFound(f"record '{record_id}' does not exist in '{federation}'")
        return JSONResponse(
            {
                "federation": federation,
                "record": str(record_id),
                "service": rt.settings.service,
                "events": events,
            }
        )

    @router.get(
        "/v1/audit/chain",
        summary="Whether the service's event log still matches its hash chain (auditors)",
        response_model=dict[str, Any],
    )
    async def chain_state(
        caller: Caller,
        request: Request,
        fresh: Annotated[bool, Query(description="check now instead of reusing a recent verdict")] = False,
        anchor: Annotated[
            str | None, Query(description="ID:HASH, a head recorded earlier: is the log up to it unchanged?")
        ] = None,
    ) -> JSONResponse:
        """`state` `verified` (every event up to `head` matches its seal) or `broken` (at the
        event `broken_at`, for the reason `problem`: `altered`, `deleted`, `deleted-with-link`,
        `unsealed`, `link-altered`, `rewritten`, `anchor-missing`). The chain covers the whole
        log of every federation, so any federation's auditor may ask; only a national caller
        gets the reason's text (`detail`), which may name another federation's record."""
        caller.require("audit.read")
        rt = runtime(request)
        expected = _anchor(anchor)
        checked = await watch.check(rt, fresh, expected)
        return JSONResponse(_chain_body(rt, caller, checked, expected), headers={"Cache-Control": "no-store"})

    return router
