"""A subject's record as the rules read it: the histories `eligibility.counted` names, those
`eligibility.member_facts` folds into the verdict's facts."""

from __future__ import annotations

from typing import Any

from services.awards.application import lookups
from services.awards.application.eligibility import counted
from services.awards.application.store import Store
from services.awards.application.subjects import Outside


def record(store: Store, federation: str, kind: str, code: str, outside: Outside) -> dict[str, Any]:
    """Ratings, discipline and grants of every history the rules count, oldest first (a later
    one's rating of a year wins, as in the verdict); what was recorded under another federation
    or code says where (`recorded_under`). The subject's own history gives `id` and `version`."""
    federations = (federation, *outside.formerly)
    own: dict[str, Any] = {"subject_kind": kind, "subject_code": code}
    ratings: dict[str, str] = {}
    disciplines: list[dict[str, Any]] = []
    grants: list[dict[str, Any]] = []
    for under, known_as in counted(federations, code, outside.former_codes):
        history = lookups.history(store, under, kind, known_as)
        if history is None:
            continue
        body = history.as_dict()
        if (under, known_as) == (federation, code):
            own, where = body, {}
        else:
            where = {"recorded_under": {"federation": under, "code": known_as}}
        ratings.update(body["ratings"])
        disciplines += [{**d, **where} for d in body["disciplines"]]
        grants += [{**g, **where} for g in body["grants"]]
    ordered = dict(sorted(ratings.items()))
    return {**own, "ratings": ordered, "disciplines": disciplines, "grants": grants}
