"""An amount in đồng past a bigint is refused naming its field (it once was stored, and then the
feeds answered 500: found by the contract fuzz, issue 20)."""

from __future__ import annotations

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import NATIONAL, post
from tests.support import Isolation, in_process

BK = "/v1/federations/bac-kan"


async def test_a_works_value_past_a_bigint_is_refused_naming_value_and_the_feed_still_answers(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await post(http, "/v1/federations", {"code": "bac-kan", "name": "Bắc Kạn"})
        await post(http, BK + "/units", {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots"})
        work = {"code": "ct-1", "name": "Nhà văn hoá", "unit": "cdcs-a", "value": 2**64, "year": 2023}
        r = await http.post(BK + "/works", json=work, headers=NATIONAL)
        assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith("value"), r.text
        assert (await http.get("/v1/events", headers=NATIONAL)).status_code == 200
