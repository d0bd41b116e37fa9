"""A withdrawn nomination may be submitted again, and a revoked grant granted again, for the
same subject, award and period; never two live ones at once."""

from __future__ import annotations

import pytest

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from shared.kernel.errors import Conflict, Invalid
from tests.unit.test_awards_cycle import STAFF, F, app, convene, decide, import_grant, nominate, rate, vote

__all__ = ["app"]


def test_a_withdrawn_nomination_is_submitted_again_but_never_two_live(app: AwardsApplication) -> None:
    rate(app, "dv-1", {2025: "good"})
    first = nominate(app, "dv-1", "ldtt")
    with pytest.raises(Conflict):
        nominate(app, "dv-1", "ldtt")
    app.withdraw_nomination(STAFF, F, first["id"])
    second = nominate(app, "dv-1", "ldtt")
    assert second["id"] != first["id"] and second["state"] == "submitted" and second["eligible"]
    assert app.nomination(F, first["id"]).state == "withdrawn"
    with pytest.raises(Conflict):
        nominate(app, "dv-1", "ldtt")
    app.withdraw_nomination(STAFF, F, second["id"])
    third = nominate(app, "dv-1", "ldtt")
    assert len({first["id"], second["id"], third["id"]}) == 3


def test_a_revoked_grant_is_granted_again_by_a_new_decision(app: AwardsApplication) -> None:
    rate(app, "dv-1", {2025: "good"})
    nomination = nominate(app, "dv-1", "ldtt")
    convene(app, [nomination["id"]])
    for user in ("u0", "u1"):
        vote(app, "hd-2025", user, nomination["id"])
    app.resolve_council(STAFF, F, "hd-2025")
    first = decide(app, "1/QĐ", [{"nomination": nomination["id"]}]).body["grants"][0]["grant_id"]
    with pytest.raises(Invalid, match="not-granted-twice"):
        decide(app, "2/QĐ", [{"nomination": nomination["id"]}])
    app.revoke_grant(STAFF, F, first, c.RevokeGrant(reason="sai quy trình", reference="5/QĐ"))
    again = decide(app, "3/QĐ", [{"nomination": nomination["id"]}]).body["grants"][0]["grant_id"]
    assert again != first and app.grant(F, again).revoked is None
    assert app.grant(F, first).revoked is not None
    with pytest.raises(Invalid, match="not-granted-twice"):
        decide(app, "4/QĐ", [{"nomination": nomination["id"]}])
    history = app.history(F, "member", "dv-1")
    assert history is not None
    assert sorted((g["grant"] == first, g["revoked"]) for g in history.as_dict()["grants"]) == [
        (False, False),
        (True, True),
    ]


def test_direct_and_imported_grants_again_after_revocation(app: AwardsApplication) -> None:
    line = {"subject_kind": "member", "subject_code": "dv-1", "award": "giay-khen"}
    first = decide(app, "1/QĐ", [line]).body["grants"][0]["grant_id"]
    with pytest.raises(Conflict):
        decide(app, "2/QĐ", [line])
    with pytest.raises(Conflict):
        decide(app, "2/QĐ", [line, line])
    app.revoke_grant(STAFF, F, first, c.RevokeGrant(reason="khai man", reference="6/QĐ"))
    assert decide(app, "2/QĐ", [line]).body["grants"][0]["grant_id"] != first

    old = import_grant(app, "dv-1", "cstd-co-so", 2023)["grants"][0]["id"]
    with pytest.raises(Invalid) as exc:
        import_grant(app, "dv-1", "cstd-co-so", 2023)
    assert exc.value.errors[0].message == "already granted"
    app.revoke_grant(STAFF, F, old, c.RevokeGrant(reason="khai man", reference="7/QĐ"))
    assert import_grant(app, "dv-1", "cstd-co-so", 2023)["grants"][0]["id"] != old
