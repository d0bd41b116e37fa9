"""Rotating the key-encryption key of secret ballots (README, "Councils and secret ballots"):
every unresolved secret-ballot council's stored key, wrapped under the old KEK, is wrapped again
under the new one, each council in its own transaction (run again, it finds them done). Until
every replica has the new KEK, the councils rewrapped already open only where it is set."""

from __future__ import annotations

from collections import Counter
from uuid import UUID

from services.awards.domain import ballot_keys
from services.awards.domain.authorities import NationalCouncil
from services.awards.domain.ballot_keys import Kek
from services.awards.domain.councils import Council
from shared.kernel.errors import Conflict
from shared.store.eventstore import Context, ServiceApplication

PAGE = 500


def rewrap_ballot_keys(app: ServiceApplication, old: Kek, new: Kek, reason: str) -> Counter[str]:
    """How many councils were `rewrapped`, were `already` under the new KEK, are `resolved`
    (their key is no longer needed), or are under neither KEK (`unopened`: left as they are)."""
    ctx = Context(actor="installation", scope="*", reason=reason)
    topics = [f"{cls.__module__}:{cls.__qualname__}.Convened" for cls in (Council, NationalCouncil)]
    counts: Counter[str] = Counter()
    start = 1
    while page := app.recorder.select_notifications(start=start, limit=PAGE, topics=topics):
        for notification in page:
            counts[_rewrap(app, ctx, UUID(str(notification.originator_id)), old, new)] += 1
        start = page[-1].id + 1
    return counts


def _rewrap(app: ServiceApplication, ctx: Context, council_id: UUID, old: Kek, new: Kek) -> str:
    council = app.find(Council, council_id)
    if council is None or council.ballot_key_wrapped is None:
        return "unsealed"
    if council.results is not None:
        return "resolved"
    if ballot_keys.wrapped_under(council.ballot_key_wrapped) == new.id:
        return "already"
    try:
        wrapped = ballot_keys.rewrap(old, new, council.id, council.code, council.ballot_key_wrapped)
    except Conflict:
        return "unopened"
    council.rewrap_ballot_key(ballot_key_wrapped=wrapped, meta=ctx.meta)
    app.commit(ctx, [council], {"council": council.code, "rewrapped": True}, version=council.version)
    return "rewrapped"
