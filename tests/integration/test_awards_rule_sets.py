"""A federation's rule sets and own awards over HTTP: a later rule set applies from its date, an
own award is defined once beside the defaults, both are published, a malformed clause is refused."""

from __future__ import annotations

from tests.integration.awards_http import ADMIN, OWN_AWARD, URL, F, awards, eligibility, ok
from tests.support import Isolation

STRICTER = {
    "award": "ldtt",
    "rule_version": "qd-2026",
    "effective_from": "2026-01-01",
    "clauses": [{"clause": "excellent", "rating": {"at_least": "excellent"}}],
}


async def test_a_later_rule_set_applies_to_proposals_after_its_date(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        rating = {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "rating": "good"}
        await ok(await http.post(f"{URL}/ratings", json=rating, headers=ADMIN))
        await ok(await http.post(f"{URL}/rules", json=STRICTER, headers=ADMIN))
        assert (await eligibility(http, "ldtt", on="2025-12-31"))["eligible"] is True
        later = await eligibility(http, "ldtt", on="2026-01-02")
    assert later["rule_version"] == "qd-2026" and later["eligible"] is False


async def test_a_federations_own_award_is_defined_once_beside_the_defaults(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        defined = await ok(await http.post(f"{URL}/catalogue", json=OWN_AWARD, headers=ADMIN))
        codes = [a["code"] for a in await ok(await http.get(f"{URL}/catalogue", headers=ADMIN), 200)]
        again = await http.post(f"{URL}/catalogue", json=OWN_AWARD, headers=ADMIN)
    assert defined["defined_by"] == F and defined["level"] == "federation"
    assert "lao-dong-gioi" in codes and "ldtt" in codes
    assert again.status_code == 409


async def test_an_own_award_and_a_rule_set_are_published_on_the_feed(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        await ok(await http.post(f"{URL}/rules", json=STRICTER, headers=ADMIN))
        await ok(await http.post(f"{URL}/catalogue", json=OWN_AWARD, headers=ADMIN))
        feed = await ok(await http.get(f"{URL}/events", headers=ADMIN), 200)
    published = {e["type"]: e["data"] for e in feed["events"]}
    assert published["tdkt.awards.award-defined.v1"]["bonus_coefficient"] == 0.2
    assert published["tdkt.awards.rule-set-published.v1"]["rule"]["clauses"] == STRICTER["clauses"]


async def test_a_rule_set_with_a_malformed_clause_is_refused_naming_it(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        broken = {**STRICTER, "rule_version": "x", "clauses": [{"clause": "a", "streak": {"years": 2}}]}
        refused = await http.post(f"{URL}/rules", json=broken, headers=ADMIN)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.clauses.0.streak.each"
