"""Secret ballot: what is stored says who voted, never what they chose, whatever one does with
the positions and times of the stored events; the tally is still exact."""

from __future__ import annotations

import base64
import json
import re

import pytest
from cryptography.hazmat.primitives import serialization

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from services.awards.application.ballot_rotation import rewrap_ballot_keys
from services.awards.domain import ballot_keys
from services.awards.domain.ballot_keys import Kek
from services.awards.domain.ballots import CHOICES, new_key, seal
from services.awards.domain.councils import Council
from shared.auth.config import ConfigError, check_config
from shared.kernel.errors import Conflict, Invalid
from shared.kernel.settings import AwardsSettings
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
    # The key that opens them is stored nowhere in clear.
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


def test_a_service_with_another_kek_resolves_only_with_the_tellers_key(app: AwardsApplication) -> None:
    """Given a secret-ballot council convened under one KEK, when a service holding another KEK
    resolves it, then it is refused naming TDKT_BALLOT_KEK, and only the teller's copy opens it."""
    nid, secret = secret_council(app)
    for user in ("u0", "u1", "u2"):
        vote(app, "hd-2025", user, nid, "yes")
    assert app.ballot_key_held(app.council(F, "hd-2025"))
    app.kek = Kek.from_setting("another deployment's passphrase, not this council's")
    assert not app.ballot_key_held(app.council(F, "hd-2025"))
    with pytest.raises(Conflict) as exc:
        app.resolve_council(STAFF, F, "hd-2025")
    assert "TDKT_BALLOT_KEK" in exc.value.detail and "ballot_secret" in exc.value.detail
    with pytest.raises(Invalid) as bad:
        app.resolve_council(STAFF, F, "hd-2025", c.ResolveCouncil(ballot_secret=new_key()[1]))
    assert bad.value.errors[0].field == "ballot_secret"
    result = app.resolve_council(STAFF, F, "hd-2025", c.ResolveCouncil(ballot_secret=secret)).body
    assert result["results"][0]["yes"] == 3 and result["results"][0]["passed"]
    assert "ballot_secret" not in result


def test_a_council_convened_before_keys_were_stored_resolves_with_the_tellers_key(
    app: AwardsApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a secret-ballot council convened before its key was kept wrapped, when it is
    resolved without the teller's copy, then it is refused asking for it; with it, it resolves."""
    monkeypatch.setattr(ballot_keys, "wrap", lambda *args: None)
    nid, secret = secret_council(app, n=2)
    monkeypatch.undo()
    vote(app, "hd-2025", "u0", nid, "no")
    with pytest.raises(Conflict) as exc:
        app.resolve_council(STAFF, F, "hd-2025")
    assert "ballot_secret" in exc.value.detail and not app.ballot_key_held(app.council(F, "hd-2025"))
    result = app.resolve_council(STAFF, F, "hd-2025", c.ResolveCouncil(ballot_secret=secret)).body
    assert result["results"][0]["no"] == 1


def test_the_stored_council_holds_its_private_key_only_wrapped(app: AwardsApplication) -> None:
    """Given a secret-ballot council, then no stored event holds its private key in clear (PEM,
    DER in any encoding), only wrapped; and the same key copied onto another council opens nothing."""
    _, secret = secret_council(app)
    private = serialization.load_pem_private_key(secret.encode(), password=None)
    der = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    clear = (key_body(secret)[:64], base64.urlsafe_b64encode(der).decode()[:64], der.hex()[:64])
    everything = [s for _, s in stored(app)]
    assert not [s for s in everything for text in clear if text in s]
    assert not [s for s in everything if der[:64].decode("latin-1") in s]
    council = app.council(F, "hd-2025")
    assert council.ballot_key_wrapped is not None and council.ballot_key_wrapped.startswith("w1.")
    assert any(council.ballot_key_wrapped in s for s in everything)
    assert ballot_keys.unwrap(app.kek, council.id, "hd-2025", council.ballot_key_wrapped) == secret
    with pytest.raises(Conflict):
        ballot_keys.unwrap(app.kek, Council.id_for(F, "hd-khac"), "hd-khac", council.ballot_key_wrapped)


def test_a_rewrapped_key_opens_under_the_new_kek_only(app: AwardsApplication) -> None:
    """Given a council's key wrapped under an old KEK, when it is rewrapped under a new one, then
    the new KEK opens it and the old one no longer opens the council's current wrap."""
    _, secret = secret_council(app)
    council = app.council(F, "hd-2025")
    old, new = app.kek, Kek.from_setting(base64.b64encode(bytes(range(32))).decode())
    assert council.ballot_key_wrapped is not None
    wrapped = ballot_keys.rewrap(old, new, council.id, "hd-2025", council.ballot_key_wrapped)
    assert ballot_keys.wrapped_under(wrapped) == new.id != old.id
    assert ballot_keys.unwrap(new, council.id, "hd-2025", wrapped) == secret
    with pytest.raises(Conflict, match="TDKT_BALLOT_KEK"):
        ballot_keys.unwrap(old, council.id, "hd-2025", wrapped)
    assert "key" not in repr(new).replace("Kek(id=", "")


def test_awards_refuses_to_start_outside_development_with_the_public_ballot_kek() -> None:
    production = {
        "jwt_secret": "x" * 40,
        "jwks_url": "https://r/k",
        "jwt_issuer": "i",
        "jwt_audience": "a",
        "verification_secret": "s" * 40,
    }
    with pytest.raises(ConfigError, match="TDKT_BALLOT_KEK"):
        check_config(AwardsSettings(development=False, **production))
    check_config(AwardsSettings(development=False, ballot_kek="a long passphrase of our own", **production))


def test_rotating_the_kek_rewraps_each_open_councils_key_once(app: AwardsApplication) -> None:
    """Given an open secret-ballot council under the old KEK, when the keys are rewrapped under a
    new KEK (twice), then only a service with the new KEK resolves it without the teller's copy,
    and a second run finds it done; once resolved, its key is left alone."""
    nid, _ = secret_council(app, n=2)
    vote(app, "hd-2025", "u0", nid, "yes")
    old, new = app.kek, Kek.from_setting(base64.b64encode(bytes(range(32, 64))).decode())
    assert rewrap_ballot_keys(app, old, new, "rotated") == {"rewrapped": 1}
    assert rewrap_ballot_keys(app, old, new, "rotated") == {"already": 1}
    council = app.council(F, "hd-2025")
    assert not app.ballot_key_held(council)  # this service still has the old KEK
    app.kek = new
    assert app.ballot_key_held(council)
    assert app.resolve_council(STAFF, F, "hd-2025").body["results"][0]["yes"] == 1
    assert rewrap_ballot_keys(app, new, old, "back") == {"resolved": 1}
