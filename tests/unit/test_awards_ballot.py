"""Secret ballot: what is stored says who voted, never what they chose, whatever one does with
the positions and times of the stored events; the tally is still exact."""

from __future__ import annotations

import json
import re

import pytest

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from services.awards.domain.ballots import CHOICES, new_key, seal
from shared.kernel.errors import Conflict, Invalid
from tests.unit.test_awards_cycle import STAFF, F, app, convene, nominate, vote

__all__ = ["app"]

# a choice as a stored value (a tally has them only as keys: `"yes": 2`)
CHOICE_VALUE = re.compile(r'"\s*:\s*"(yes|no|abstain)"')


def stored(app: AwardsApplication) -> list[tuple[str, str]]:
    found = app.recorder.select_notifications(start=1, limit=100_000)  # type: ignore[attr-defined]
    return [(n.topic, n.state.decode()) for n in found]


def key_body(pem: str) -> str:
    return "".join(pem.strip().splitlines()[1:-1])


def secret_council(app: AwardsApplication, n: int = 4) -> tuple[str, str]:
    nomination = nominate(app, "dv-1", "ldtt")
    body = convene(app, [nomination["id"]], n=n, secret_ballot=True)
    assert body["secret_ballot"] and body["ballot_secret"].startswith("-----BEGIN PRIVATE KEY-----")
    return nomination["id"], body["ballot_secret"]


def test_no_stored_event_nor_its_position_pairs_a_member_with_a_choice(app: AwardsApplication) -> None:
    nid, secret = secret_council(app)
    choices = {"u0": "no", "u1": "yes", "u2": "abstain", "u3": "yes"}
    before = len(stored(app))
    for user, choice in choices.items():
        vote(app, "hd-2025", user, nid, choice)
    cast = stored(app)[before:]
    assert not [state for _, state in cast if CHOICE_VALUE.search(state)]
    # Pair each voter with the sealed ballot stored next to it: the pairing gives nothing to read.
    voters = [json.loads(s)["user"] for t, s in cast if t.endswith("VoteSheet.Voted")]
    sealed = [json.loads(s)["ballot"] for t, s in cast if t.endswith("BallotBox.Sealed")]
    assert voters == list(choices) and len(sealed) == 4
    assert not [s for t, s in cast if t.endswith("BallotBox.Sealed") and any(f'"{u}"' in s for u in choices)]
    assert len(set(sealed)) == 4 and len({len(s) for s in sealed}) == 1
    # A guess cannot be checked: sealing each choice again with the stored public key matches none.
    public = app.council(F, "hd-2025").ballot_key
    assert public is not None
    assert not {seal(public, choice) for choice in CHOICES for _ in range(10)} & set(sealed)
    # The key that opens them is stored nowhere.
    assert not [s for _, s in stored(app) if key_body(secret)[:64] in s]
    result = app.resolve_council(STAFF, F, "hd-2025").body["results"][0]
    assert (result["yes"], result["no"], result["abstain"]) == (2, 1, 1)
    after = stored(app)[before + len(cast) :]
    assert not [s for _, s in after if CHOICE_VALUE.search(s)]
    assert not [s for _, s in stored(app) if key_body(secret)[:64] in s]


def test_a_written_vote_is_sealed_too_and_a_second_vote_is_refused(app: AwardsApplication) -> None:
    nid, _ = secret_council(app, n=3)
    written = c.CastVote(nomination=nid, choice="no", member="u2")
    app.cast_vote(STAFF, F, "hd-2025", written, written=True)
    vote(app, "hd-2025", "u0", nid, "yes")
    with pytest.raises(Conflict):
        vote(app, "hd-2025", "u0", nid, "no")
    assert not [s for _, s in stored(app) if CHOICE_VALUE.search(s)]
    result = app.resolve_council(STAFF, F, "hd-2025").body["results"][0]
    assert (result["yes"], result["no"], result["members"]) == (1, 1, 3)


def test_another_process_resolves_only_with_the_tellers_key(app: AwardsApplication) -> None:
    nid, secret = secret_council(app)
    for user in ("u0", "u1", "u2"):
        vote(app, "hd-2025", user, nid, "yes")
    app.forget_ballot_keys()  # as after a restart: the key was only ever in memory
    with pytest.raises(Conflict) as exc:
        app.resolve_council(STAFF, F, "hd-2025")
    assert "ballot_secret" in exc.value.detail
    with pytest.raises(Invalid) as bad:
        app.resolve_council(STAFF, F, "hd-2025", c.ResolveCouncil(ballot_secret=new_key()[1]))
    assert bad.value.errors[0].field == "ballot_secret"
    result = app.resolve_council(STAFF, F, "hd-2025", c.ResolveCouncil(ballot_secret=secret)).body
    assert result["results"][0]["yes"] == 3 and result["results"][0]["passed"]
    assert "ballot_secret" not in result
