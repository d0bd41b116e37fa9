"""A grassroots clerk records the ratings and discipline of its own subtree, and only there."""

from __future__ import annotations

from services.awards.bootstrap import build_app, parts_of, runtime
from shared.kernel.settings import AwardsSettings
from tests.integration.awards_http import ADMIN, URL, ok, seed
from tests.support import Isolation, bearer, in_process

CLERK_A = bearer("bac-kan/tp/cdcs-a", ["clerk"])


async def test_a_unit_clerk_records_ratings_inside_its_subtree_only(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(parts_of(rt).facts, rt.db)
        mine = {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "rating": "good"}
        other = {**mine, "subject_code": "dv-2"}
        await ok(await http.post(f"{URL}/ratings", json=mine, headers=CLERK_A))
        await ok(await http.post(f"{URL}/ratings:batch", json={"ratings": [mine]}, headers=CLERK_A))
        # another subtree's member is answered exactly as one awards never heard of (I5)
        refused = await http.post(f"{URL}/ratings", json=other, headers=CLERK_A)
        unknown = await http.post(f"{URL}/ratings", json={**other, "subject_code": "dv-9"}, headers=CLERK_A)
        assert refused.status_code == unknown.status_code == 422, refused.text
        assert refused.text == unknown.text.replace("dv-9", "dv-2"), (refused.text, unknown.text)
        mixed = await http.post(f"{URL}/ratings:batch", json={"ratings": [mine, other]}, headers=CLERK_A)
        assert mixed.status_code == 422 and "2" in mixed.text, mixed.text
        discipline = {
            "subject_kind": "member",
            "subject_code": "dv-2",
            "year": 2025,
            "level": "warning",
            "decided_on": "2025-06-01",
        }
        assert (await http.post(f"{URL}/disciplines", json=discipline, headers=CLERK_A)).status_code == 422
        record = await ok(await http.get(f"{URL}/records/member/dv-2", headers=ADMIN), 200)
        assert record["ratings"] == {} and not record.get("disciplines")
        record = await ok(await http.get(f"{URL}/records/member/dv-1", headers=ADMIN), 200)
        assert record["ratings"] == {"2025": "good"}
