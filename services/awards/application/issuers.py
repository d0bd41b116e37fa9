"""Who may issue a decision, and what each of its lines may grant (domain.authorities): a unit's
approver issues its unit's decisions (`unit:<code>`) for the unit's titles to its subtree, the
federation's staff the federation's (`ldld:<federation>`), national staff the national union's
(`tld`). Every refusal names the field: `authority`, or the line's award or subject."""

from __future__ import annotations

from services.awards.application.subjects import Outside, Subjects, unknown_subject
from services.awards.domain.authorities import NATIONAL, Issuer, issuers_of
from services.awards.domain.catalogue import Award
from services.awards.domain.nominations import Nomination
from shared.auth.permissions import scope_covers
from shared.kernel.errors import FieldError, Forbidden, Invalid, NotFound
from shared.store.eventstore import Context


def _not_yours(why: str) -> Forbidden:
    return Forbidden(why, [FieldError("authority", "not your authority")])


def issuer(
    ctx: Context, federation: str, authority: str | None, subjects: Subjects
) -> tuple[Issuer, Outside | None]:
    """The decision's issuer and, for a unit, the unit as registration published it. Without
    `authority`: a unit-scoped caller's own unit, anyone else's federation."""
    path = ctx.scope.split("/")[1:] if ctx.scope != "*" else []
    found = Issuer.of(authority or (f"unit:{path[-1]}" if path else f"ldld:{federation}"))
    if found.kind == NATIONAL:
        if ctx.scope != "*":
            raise _not_yours("only national staff issue decisions of the national union")
        return found, None
    if found.kind == "ldld":
        if found.code != federation:
            raise Invalid.on("authority", f"the federation's authority is 'ldld:{federation}'")
        if not scope_covers(ctx.scope, federation, ()):
            raise _not_yours("only the federation's staff issue its decisions; a unit issues 'unit:<code>'")
        return found, None
    unit = subjects.get(("unit", found.code or ""))
    if unit is None or not scope_covers(ctx.scope, federation, tuple(unit.unit_path)):
        # I5: a unit outside the caller's subtree does not exist for it
        raise Invalid.on("authority", f"unknown unit '{found.code}' in federation '{federation}'")
    return found, unit


def check_line(
    ctx: Context,
    federation: str,
    issuing: tuple[Issuer, Outside | None],
    award: Award,
    subject: tuple[str, str, Outside],
    at: str,
) -> None:
    """The line's award is one its issuer grants, and a unit grants only to its own subtree
    (never to itself). `subject`: kind, code and what registration published."""
    who, unit = issuing
    kind, code, outside = subject
    if not scope_covers(ctx.scope, federation, tuple(outside.unit_path)):
        # I5: first, so a subject outside the caller's subtree is answered as one that does not exist
        raise unknown_subject(kind, code, federation, f"{at}.subject_code")
    if not who.grants(award):
        raise Invalid.on(
            f"{at}.award",
            f"'{award.code}' is granted by {issuers_of(award, federation)}; {who.authority} cannot grant it",
        )
    if unit is None or who.code is None:
        return
    if who.code not in outside.unit_path or (kind == "unit" and code == who.code):
        raise Invalid.on(
            f"{at}.subject_code", f"{kind} '{code}' is not in the subtree of unit '{who.code}', the issuer"
        )


def require_seen(ctx: Context, nomination: Nomination | None, at: str) -> None:
    """I5: a nomination outside a unit-scoped caller's subtree is answered as one that does not exist."""
    if nomination is not None and not scope_covers(
        ctx.scope, nomination.federation, tuple(nomination.unit_path)
    ):
        raise NotFound(f"nomination '{nomination.id}' does not exist", [FieldError(at, "unknown nomination")])
