"""A member's whole agenda in one request (councils/{code}/votes:batch) on the real PostgreSQL:
all votes stored together or none, each refused row named, idempotent; votes kept per agenda
item, so the council's own log does not grow with them."""

from __future__ import annotations

import httpx

from tests.integration.awards_http import ADMIN, COUNCIL_MEMBERS, URL, F, awards, ok
from tests.support import Isolation, bearer

BATCH = f"{URL}/councils/hd-agenda/votes:batch"
U0 = bearer(F, ["council"], sub="u0")


async def agenda(http: httpx.AsyncClient, secret: bool = False) -> list[str]:
    """Nominations of dv-1 (the member `an` sits on the council: recused) and dv-2 for ldtt and
    bang-khen-ldld, on one council."""
    nominations = []
    for code in ("dv-1", "dv-2"):
        rating = {"subject_kind": "member", "subject_code": code, "year": 2025, "rating": "good"}
        await ok(await http.post(f"{URL}/ratings", json=rating, headers=ADMIN))
        for award in ("ldtt", "bang-khen-ldld"):
            body = {"subject_kind": "member", "subject_code": code, "award": award, "year": 2025}
            nominations.append(
                (await ok(await http.post(f"{URL}/nominations", json=body, headers=ADMIN)))["id"]
            )
    council = {
        "code": "hd-agenda",
        "name": "Hội đồng TĐKT 2025",
        "year": 2025,
        "meets_on": "2025-12-05",
        "quorum": 1,
        "secret_ballot": secret,
        "members": COUNCIL_MEMBERS,
        "nominations": nominations,
    }
    await ok(await http.post(f"{URL}/councils", json=council, headers=ADMIN))
    return nominations


async def voted(http: httpx.AsyncClient) -> dict[str, list[str]]:
    council = await ok(await http.get(f"{URL}/councils/hd-agenda", headers=ADMIN), 200)
    return council["voted"]  # type: ignore[no-any-return]


async def test_a_member_casts_the_whole_agenda_in_one_request_and_the_council_resolves_on_it(
    isolation: Isolation,
) -> None:
    """Given a council of four nominations, when u0 and u1 each post their four votes at once,
    then every vote is recorded, the council's version has not moved, and the tally counts them."""
    async with awards(isolation) as http:
        nominations = await agenda(http)
        for user, choice in (("u0", "yes"), ("u1", "no")):
            rows = [{"nomination": n, "choice": choice} for n in nominations]
            answer = await ok(
                await http.post(BATCH, json={"votes": rows}, headers=bearer(F, ["council"], sub=user))
            )
            assert answer["recorded"] == 4 and answer["nominations"] == nominations
        council = await ok(await http.get(f"{URL}/councils/hd-agenda", headers=ADMIN), 200)
        resolved = await ok(await http.post(f"{URL}/councils/hd-agenda:resolve", headers=ADMIN), 200)
    assert all(council["voted"][n] == ["u0", "u1"] for n in nominations) and council["version"] == 1
    assert [(r["yes"], r["no"]) for r in resolved["results"]] == [(1, 1)] * 4


async def test_a_batch_with_bad_rows_names_each_and_stores_none(isolation: Isolation) -> None:
    """Given a council, when a member's batch holds a nomination twice, one not on the agenda,
    or one they are recused from, then 422 names each row and no vote of the batch is stored."""
    async with awards(isolation) as http:
        nominations = await agenda(http)
        a, b = nominations[2], nominations[3]
        twice = {"votes": [{"nomination": a, "choice": "yes"}, {"nomination": a, "choice": "no"}]}
        refused = await http.post(BATCH, json=twice, headers=U0)
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == ["votes.1.nomination"]
        stranger = "00000000-0000-0000-0000-000000000000"
        rows = [{"nomination": n, "choice": "yes"} for n in (a, stranger, b)]
        refused = await http.post(BATCH, json={"votes": rows}, headers=U0)
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == ["votes.1.nomination"]
        own = [{"nomination": n, "choice": "yes"} for n in nominations]
        refused = await http.post(BATCH, json={"votes": own}, headers=bearer(F, ["council"], sub="an"))
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == ["votes.0.nomination", "votes.1.nomination"]
        assert await voted(http) == {n: [] for n in nominations}


async def test_a_batch_after_a_single_vote_names_the_nomination_already_voted(isolation: Isolation) -> None:
    """Given u0 voted once on the first nomination, when u0 posts the whole agenda, then the
    first row is named as already voted and nothing more is stored."""
    async with awards(isolation) as http:
        nominations = await agenda(http)
        one = {"nomination": nominations[2], "choice": "yes"}
        await ok(await http.post(f"{URL}/councils/hd-agenda/votes", json=one, headers=U0))
        rows = [{"nomination": n, "choice": "no"} for n in nominations[2:]]
        refused = await http.post(BATCH, json={"votes": rows}, headers=U0)
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "votes.0.nomination"
        assert "already voted" in refused.json()["errors"][0]["message"]
        assert (await voted(http))[nominations[3]] == []


async def test_a_batch_sent_again_with_its_idempotency_key_is_stored_once(isolation: Isolation) -> None:
    """Given a secret-ballot council, when u0's batch is sent twice with one Idempotency-Key,
    then both answers are the same and u0 voted once on each nomination."""
    async with awards(isolation) as http:
        nominations = await agenda(http, secret=True)
        rows = {"votes": [{"nomination": n, "choice": "abstain"} for n in nominations]}
        headers = {**U0, "Idempotency-Key": "agenda-u0"}
        first = await ok(await http.post(BATCH, json=rows, headers=headers))
        again = await ok(await http.post(BATCH, json=rows, headers=headers))
        assert first == again
        assert await voted(http) == {n: ["u0"] for n in nominations}


async def test_a_batch_on_a_resolved_council_is_refused(isolation: Isolation) -> None:
    """Given a resolved council, when a member posts votes, then 409 and nothing is stored."""
    async with awards(isolation) as http:
        nominations = await agenda(http)
        await ok(
            await http.post(
                f"{URL}/councils/hd-agenda/votes",
                json={"nomination": nominations[2], "choice": "yes"},
                headers=U0,
            )
        )
        await ok(await http.post(f"{URL}/councils/hd-agenda:resolve", headers=ADMIN), 200)
        late = {"votes": [{"nomination": nominations[3], "choice": "yes"}]}
        refused = await http.post(BATCH, json=late, headers=bearer(F, ["council"], sub="u1"))
    assert refused.status_code == 409
