"""Public disclosure over HTTP on the real PostgreSQL: the public board answers without a token
with only what the law asks to disclose; objections are recorded by staff only and read back;
a Huân chương nomination's vote is refused while its disclosure runs."""

from __future__ import annotations

import httpx

from shared.kernel import clock
from tests.integration.awards_http import ADMIN, URL, F, awards, ok
from tests.support import Isolation, bearer

BOARD = f"/v1/public/federations/{F}/disclosures"


async def disclosed(http: httpx.AsyncClient) -> str:
    """dv-1 nominated for Huân chương Lao động hạng Ba this year, disclosed from five days ago."""
    year = clock.today().year
    body = {"subject_kind": "member", "subject_code": "dv-1", "award": "huan-chuong-lao-dong-3", "year": year}
    nomination = await ok(await http.post(f"{URL}/nominations", json=body, headers=ADMIN))
    starts_on = clock.today().fromordinal(clock.today().toordinal() - 5).isoformat()
    await ok(
        await http.post(
            f"{URL}/nominations/{nomination['id']}:disclose", json={"starts_on": starts_on}, headers=ADMIN
        ),
        200,
    )
    return str(nomination["id"])


async def test_the_public_board_answers_without_a_token_with_only_what_the_law_asks(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await disclosed(http)
        board = await ok(await http.get(BOARD), 200)
        unknown = await http.get("/v1/public/federations/khong-co/disclosures")
    [item] = board["items"]
    assert item["nomination"] == nomination and item["subject_name"] == "Nguyễn Văn An"
    assert (item["unit"], item["unit_name"]) == ("cdcs-a", "CĐCS A")
    assert item["award_name"] == "Huân chương Lao động hạng Ba"
    assert set(item) == {
        "nomination",
        "subject_kind",
        "subject_name",
        "unit",
        "unit_name",
        "award",
        "award_name",
        "year",
        "starts_on",
        "ends_on",
    }
    assert unknown.status_code == 404


async def test_objections_are_recorded_by_staff_and_read_by_the_council(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        nomination = await disclosed(http)
        path = f"{URL}/nominations/{nomination}/objections"
        letter = {"by": "Trần Văn Bình", "received_on": clock.today().isoformat(), "text": "Đã bị kỷ luật"}
        anonymous = await http.post(path, json=letter)
        member = await http.post(path, json=letter, headers=bearer(F, ["council"], sub="u0"))
        too_long = await http.post(path, json={**letter, "text": "x" * 4001}, headers=ADMIN)
        await ok(await http.post(path, json=letter, headers=ADMIN))
        read = await ok(await http.get(path, headers=bearer(F, ["council"], sub="u0")), 200)
    assert anonymous.status_code == 401 and member.status_code == 403
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "text"
    assert [(o["by"], o["text"]) for o in read["items"]] == [("Trần Văn Bình", "Đã bị kỷ luật")]


async def test_a_vote_on_a_huan_chuong_nomination_is_refused_while_its_disclosure_runs(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as http:
        nomination = await disclosed(http)
        council = {
            "code": "hd-cong-khai",
            "name": "Hội đồng",
            "year": clock.today().year,
            "meets_on": clock.today().isoformat(),
            "quorum": 1,
            "members": [{"user": "u0", "name": "U0"}],
            "nominations": [nomination],
        }
        await ok(await http.post(f"{URL}/councils", json=council, headers=ADMIN))
        vote = {"nomination": nomination, "choice": "yes"}
        refused = await http.post(
            f"{URL}/councils/hd-cong-khai/votes", json=vote, headers=bearer(F, ["council"], sub="u0")
        )
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "nomination"
    assert refused.json()["errors"][0]["message"].startswith("public disclosure runs until")
