"""The national union over the nominations every federation forwarded to it: read one by its id
whatever its federation, put it on a national council's agenda, record that council's result on
it, and check it before a national decision grants it. National councils and decisions are
stored under the national key (domain.authorities.NATIONAL_KEY), each agenda item and grant
naming its nomination's federation."""

from __future__ import annotations

from services.awards.application import lookups
from services.awards.application.store import Store
from services.awards.domain.nominations import Nomination
from shared.kernel.errors import Conflict, FieldError, Invalid, NotFound


def forwarded_nomination(store: Store, nomination_id: str, field_name: str) -> Nomination:
    """A nomination forwarded to the national union, from any federation."""
    found = store.find(Nomination, lookups.uuid_of(nomination_id, "nomination"))
    if found is None or found.forwarded_to is None:
        raise NotFound(
            f"nomination '{nomination_id}' was not forwarded to the national union",
            [FieldError(field_name, "unknown nomination")],
        )
    return found


def require_forwarded(nomination: Nomination, field_name: str) -> None:
    """Forwarded to the national union and, if its council voted on it, passed there."""
    if nomination.forwarded_to != "national":
        raise Invalid.on(field_name, "the nomination was not forwarded to the national union")
    found = nomination.national_council
    if found is not None and not found["passed"]:
        raise Invalid.on(field_name, f"the national union's council '{found['council']}' did not pass it")


def on_agenda(store: Store, nomination_id: str, year: int, field_name: str) -> Nomination:
    """A nomination a national council may take up: live, forwarded to the national union, of
    the council's year, not yet resolved by another national council."""
    nomination = forwarded_nomination(store, nomination_id, field_name)
    nomination.require_live()
    require_forwarded(nomination, field_name)
    if nomination.year != year:
        raise Invalid.on(field_name, f"a nomination for {nomination.year}, not {year}")
    if nomination.national_council is not None:
        raise Conflict(
            f"nomination {nomination_id} was already resolved by the national council "
            f"'{nomination.national_council['council']}'",
            [FieldError(field_name, "already resolved")],
        )
    return nomination


def with_result(store: Store, code: str, result: dict, meta: dict) -> Nomination:
    nomination = forwarded_nomination(store, result["nomination"], "nomination")
    nomination.record_national_result(code, result, meta)
    return nomination
