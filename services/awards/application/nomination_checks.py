"""The checks a decision makes of each nomination it grants (application/decisions.py)."""

from __future__ import annotations

from services.awards.application import commands as c
from services.awards.application import lookups, national
from services.awards.application.eligibility import verdict
from services.awards.application.lookups import PendingHistories
from services.awards.application.store import Store
from services.awards.application.subjects import Outside
from services.awards.domain.authorities import NATIONAL
from services.awards.domain.nominations import Nomination
from services.awards.domain.rules import judged_on
from shared.kernel import periods
from shared.kernel.errors import FieldError, Invalid


def check(
    store: Store,
    nomination: Nomination,
    cmd: c.IssueDecision,
    authority: str,
    subject: Outside,
    at: str,
    pending: PendingHistories,
) -> None:
    """Only a live nomination its council passed, disclosed where the award needs it, and
    still eligible on the day of the decision."""
    nomination.require_live()
    if nomination.year != cmd.year:
        raise Invalid.on(f"{at}.nomination", f"the nomination is for {nomination.year}, not {cmd.year}")
    asked, granted = periods.parse(nomination.period), periods.stated(cmd.period, cmd.year)
    if asked != granted:
        raise Invalid.on(f"{at}.nomination", f"the nomination is for {asked.label}, not {granted.label}")
    if not nomination.passed:
        why = "has not been resolved by a council" if nomination.council is None else "did not pass"
        raise Invalid.on(f"{at}.nomination", f"nomination {nomination.id} {why}")
    if authority == NATIONAL:
        national.require_forwarded(nomination, f"{at}.nomination")
    if lookups.award(store, nomination.federation, nomination.award).disclosure:
        if nomination.disclosure is None:
            raise Invalid.on(f"{at}.nomination", "the nomination has not been publicly disclosed")
        if cmd.signed_on <= nomination.disclosure["ends_on"]:
            raise Invalid.on(
                f"{at}.nomination",
                f"public disclosure runs until {nomination.disclosure['ends_on']}; "
                "the decision must be signed after it",
            )
    found = verdict(
        store,
        nomination.federation,
        nomination.subject_kind,
        nomination.subject_code,
        nomination.award,
        cmd.year,
        judged_on(cmd.year, cmd.signed_on),
        subject,
        pending,
    )
    if not found.eligible:
        raise Invalid(
            f"nomination {nomination.id} is no longer eligible: {', '.join(found.failed)}",
            [FieldError(f"{at}.nomination", f"fails {clause}") for clause in found.failed],
        )
