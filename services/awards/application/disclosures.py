"""Public disclosure of nominations: started (and put on the federation's public board), required
before the council votes on them and before they are forwarded upward, listed publicly, and
objections received recorded by staff for the council to see (the README's "Public disclosure")."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from services.awards.application import commands as c
from services.awards.application import lookups, nominations
from services.awards.application.store import Store
from services.awards.domain import disclosure
from services.awards.domain.calendar import disclosure_ends
from services.awards.domain.disclosure import DisclosureBoard, Objections
from services.awards.domain.nominations import Nomination
from shared.kernel.commands import Command, Date, Name, Text
from shared.kernel.errors import Conflict, FieldError, Invalid
from shared.store.eventstore import CommandResult, Context


class RecordObjection(Command):
    by: Name = Field(description="who objects (a person, or the signers of one letter)")
    received_on: Date = Field(description="the day the federation received it")
    channel: Literal["letter", "in-person", "email", "phone", "other"] = "letter"
    text: Text = Field(
        min_length=1, description="what the objection says, as received (at most 4,000 characters)"
    )


def required_and_missing(store: Store, nomination: Nomination, today: date) -> str | None:
    """What is missing of the nomination's disclosure today, where its award needs one."""
    if not lookups.award(store, nomination.federation, nomination.award).disclosure:
        return None
    return disclosure.missing(nomination.disclosure, today)


def require_disclosed(store: Store, nomination: Nomination, today: date, field_name: str) -> None:
    why = required_and_missing(store, nomination, today)
    if why is not None:
        raise Conflict(
            f"nomination {nomination.id} needs public disclosure first: {why}", [FieldError(field_name, why)]
        )


def disclose_nomination(
    store: Store, ctx: Context, federation: str, nomination_id: str, cmd: c.DiscloseNomination
) -> CommandResult:
    """Starts (or starts again) the disclosure, for the federation's working days, and posts it
    on the public board of the year it starts in."""
    nomination = lookups.nomination(store, federation, nomination_id)
    ctx.check_version(nomination)
    if not lookups.award(store, federation, nomination.award).disclosure:
        raise Invalid.on("nomination", f"'{nomination.award}' needs no public disclosure")
    days = int(lookups.policy(store, federation).get("disclosure_days", 10))
    ends_on = disclosure_ends(cmd.starts_on, days, lookups.calendar(store, federation))
    nomination.disclose(cmd.starts_on, ends_on, ctx.meta)
    year = cmd.starts_on.year
    board = store.find(DisclosureBoard, DisclosureBoard.id_for(federation, year))
    board = board or DisclosureBoard(federation, year)
    board.post(_notice(nomination, cmd.starts_on, ends_on), ctx.meta)
    return store.commit(
        ctx, [nomination, board], nomination.as_dict(), status=200, version=nomination.version
    )


def _notice(nomination: Nomination, starts_on: date, ends_on: date) -> dict[str, Any]:
    """Only what the law asks to disclose: who, which unit, which award, when."""
    return {
        "nomination": str(nomination.id),
        "subject_kind": nomination.subject_kind,
        "subject_name": nomination.subject_name,
        "unit": nomination.unit,
        "award": nomination.award,
        "award_name": nomination.award_name,
        "year": nomination.year,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }


def board(store: Store, today: date, federation: str) -> list[dict[str, Any]]:
    """Disclosures running today or announced to start, of live nominations, soonest end first."""
    notices: list[dict[str, Any]] = []
    for year in (today.year - 1, today.year, today.year + 1):
        # read only, from the cache: the board is public and asked of often
        found = store.find_unchanged(DisclosureBoard, DisclosureBoard.id_for(federation, year))
        notices += [n for n in (found.notices if found else []) if n["ends_on"] >= today]
    nominations = store.find_many(
        Nomination, [lookups.uuid_of(n["nomination"], "nomination") for n in notices]
    )
    shown = []
    for n in notices:
        nomination = nominations.get(lookups.uuid_of(n["nomination"], "nomination"))
        current = nomination.disclosure if nomination else None
        if (
            nomination
            and nomination.state != "withdrawn"
            and current
            and current["starts_on"] == n["starts_on"]
        ):
            shown.append(n)
    return sorted(shown, key=lambda n: (n["ends_on"], n["subject_name"]))


def record_objection(
    store: Store, today: date, ctx: Context, federation: str, nomination_id: str, cmd: RecordObjection
) -> CommandResult:
    nomination = lookups.nomination(store, federation, nomination_id)
    if cmd.received_on > today:
        raise Invalid.on("received_on", "after today")
    if nomination.disclosure is None:
        raise Conflict(
            "objections are recorded once the nomination's disclosure has started",
            [FieldError("nomination", "not disclosed")],
        )
    if cmd.received_on < nomination.disclosure["starts_on"]:
        raise Invalid.on("received_on", "before the disclosure started")
    found = store.find(Objections, Objections.id_for(federation, nomination_id))
    objections = found or Objections(federation, nomination_id)
    objections.record(cmd.model_dump(mode="json"), ctx.meta)
    body = {"nomination": nomination_id, "objections": objections.items}
    return store.commit(ctx, [objections], body)


def objections(store: Store, federation: str, nomination_id: str) -> list[dict[str, Any]]:
    lookups.nomination(store, federation, nomination_id)
    found = store.find(Objections, Objections.id_for(federation, nomination_id))
    return list(found.items) if found else []


def forward_nomination(
    store: Store, today: date, ctx: Context, federation: str, nomination_id: str, cmd: c.ForwardNomination
) -> CommandResult:
    """Forwarded upward only once a required disclosure has run its length."""
    require_disclosed(store, lookups.nomination(store, federation, nomination_id), today, "nomination")
    return nominations.forward_nomination(store, ctx, federation, nomination_id, cmd)
