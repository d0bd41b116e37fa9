"""Issue 18: a returned pledge resubmitted with corrections (its date, phase, submitting unit) and a
reason: `pledge-resubmitted` holds what changed, who, when and why; the pledge and its list follow;
the corrected values meet a new pledge's rules, and a refused correction changes nothing."""

from __future__ import annotations

from typing import Any

import httpx

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.support import Isolation, in_process

BK = "/v1/federations/bac-kan"


def started(isolation: Isolation) -> Any:
    return runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))


async def seed(http: httpx.AsyncClient, returned: bool = True) -> str:
    """Given dv-1 of cdcs-a (under tp) pledged for td-2023 on 2023-02-01, returned by the federation."""
    await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
    for code, kind, parent in (
        ("tp", "upper", None),
        ("cdcs-a", "grassroots", "tp"),
        ("cdcs-b", "grassroots", None),
    ):
        unit = {"code": code, "name": code, "kind": kind, "parent": parent, "effective_on": "2020-01-01"}
        await post(http, BK + "/units", unit)
    await post(http, BK + "/members", {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a"})
    phases = [{"name": "Đợt 1", "starts": "2023-01-01", "ends": "2023-03-31"}]
    movement = {"code": "td-2023", "name": "TĐ 2023", "year": 2023, "awards": ["bang-khen-ldld"]}
    await post(http, BK + "/movements", movement | {"registration_deadline": "2023-03-31", "phases": phases})
    pledge = {
        "movement": "td-2023",
        "award": "bang-khen-ldld",
        "subject_kind": "member",
        "subject_code": "dv-1",
    }
    done = await post(http, BK + "/pledges", pledge | {"pledged_on": "2023-02-01"})
    if returned:
        await post(http, f"{BK}/pledges/{done['id']}:return", {"reason": "sai ngày"}, status=200)
    return str(done["id"])


async def refused(
    http: httpx.AsyncClient, pledge_id: str, body: dict[str, Any], field: str, says: str
) -> None:
    """The resubmission is answered 422 naming `field` with why, and the pledge is as it was."""
    before = await get(http, f"{BK}/pledges/{pledge_id}")
    r = await http.post(f"{BK}/pledges/{pledge_id}:resubmit", json=body, headers=NATIONAL)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = {e["field"].split(".")[-1]: e["message"] for e in r.json()["errors"]}
    assert field in errors and says in errors[field], r.text
    assert await get(http, f"{BK}/pledges/{pledge_id}") == before


async def test_a_returned_pledge_resubmitted_with_its_date_and_phase_corrected_holds_them(
    isolation: Isolation,
) -> None:
    async with in_process(started(isolation), build_app) as http:
        pledge_id = await seed(http)
        # When it is resubmitted with its date and phase corrected, and why
        body = {"pledged_on": "2023-01-15", "phase": "Đợt 1", "reason": "ngày trên phiếu là 15/01"}
        done = await post(http, f"{BK}/pledges/{pledge_id}:resubmit", body, status=200)
        # Then the pledge is submitted again with the corrected values
        assert (done["state"], done["pledged_on"], done["phase"]) == ("submitted", "2023-01-15", "Đợt 1")
        assert done["return_reason"] is None


async def test_the_corrected_resubmission_is_published_with_what_changed_who_when_and_why(
    isolation: Isolation,
) -> None:
    async with in_process(started(isolation), build_app) as http:
        pledge_id = await seed(http)
        # When it is resubmitted with its date and submitting unit corrected
        body = {"pledged_on": "2023-01-15", "submitted_by": "tp", "reason": "cấp trên gửi thay"}
        await post(http, f"{BK}/pledges/{pledge_id}:resubmit", body, status=200)
        # Then its last event names the corrected fields, their values, the reason, who and when
        last = (await get(http, BK + "/events", limit=1000))["events"][-1]
        assert last["type"] == "tdkt.registration.pledge-resubmitted.v1"
        assert last["actor"] == "tester" and last["time"]
        data = last["data"]
        assert (data["reason"], data["corrected"]) == (body["reason"], ["pledged_on", "submitted_by"])
        assert (data["pledged_on"], data["submitted_by"]) == ("2023-01-15", "tp")


async def test_the_pledge_list_follows_the_corrected_date(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        pledge_id = await seed(http)
        # When it is resubmitted with its date corrected
        body = {"pledged_on": "2023-01-15", "reason": "ngày trên phiếu là 15/01"}
        await post(http, f"{BK}/pledges/{pledge_id}:resubmit", body, status=200)
        # Then the federation's list of pledges shows it submitted on the corrected date
        items = (await get(http, BK + "/pledges", movement="td-2023"))["items"]
        assert [(p["id"], p["state"], p["pledged_on"]) for p in items] == [
            (pledge_id, "submitted", "2023-01-15")
        ]


async def test_a_date_after_the_deadline_is_refused_naming_pledged_on(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        pledge_id = await seed(http)
        # When the corrected date is after the registration deadline; Then refused, nothing changes
        body = {"pledged_on": "2023-04-02", "reason": "ngày sai"}
        await refused(http, pledge_id, body, "pledged_on", "closed on 2023-03-31")


async def test_a_phase_the_movement_does_not_have_is_refused_naming_phase(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        pledge_id = await seed(http)
        # When the corrected phase is not one of the movement's; Then refused, nothing changes
        await refused(http, pledge_id, {"phase": "Đợt 9", "reason": "đợt sai"}, "phase", "no phase")


async def test_a_submitting_unit_outside_the_subjects_path_is_refused_naming_it(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        pledge_id = await seed(http)
        # When the corrected submitting unit is not above the member; Then refused, nothing changes
        body = {"submitted_by": "cdcs-b", "reason": "đơn vị gửi sai"}
        await refused(http, pledge_id, body, "submitted_by", "its own subtree")


async def test_a_correction_without_a_reason_is_refused_naming_reason(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        pledge_id = await seed(http)
        # When a correction comes without a reason; Then refused, nothing changes
        await refused(http, pledge_id, {"pledged_on": "2023-01-15"}, "reason", "reason")


async def test_an_accepted_pledge_cannot_be_corrected_and_the_answer_names_its_state(
    isolation: Isolation,
) -> None:
    async with in_process(started(isolation), build_app) as http:
        pledge_id = await seed(http, returned=False)
        await post(http, f"{BK}/pledges/{pledge_id}:accept", {}, status=200)
        # When an accepted pledge is resubmitted with a correction
        body = {"pledged_on": "2023-01-15", "reason": "ngày sai"}
        r = await http.post(f"{BK}/pledges/{pledge_id}:resubmit", json=body, headers=NATIONAL)
        # Then it is refused as a conflict naming the state, and the pledge keeps its date
        assert r.status_code == 409 and "accepted" in r.json()["detail"], r.text
        assert (await get(http, f"{BK}/pledges/{pledge_id}"))["pledged_on"] == "2023-02-01"
