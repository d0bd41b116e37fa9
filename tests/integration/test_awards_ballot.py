"""Secret ballot on the real PostgreSQL: members voting at once are all counted, and nothing in
awards' database (any table, any row, their order) pairs a member with a choice; the council's
key is stored only wrapped under the KEK, so another instance resolves, one with another KEK not."""

from __future__ import annotations

import asyncio
import base64
import re
from typing import Any

from pydantic import SecretStr

from services.awards.bootstrap import build_app, parts_of, runtime
from shared.kernel.settings import AwardsSettings
from tests.integration.awards_http import ADMIN, URL, F, ok, seed
from tests.support import Isolation, bearer, in_process

CHOICE_VALUE = re.compile(r'"\s*:\s*"(yes|no|abstain)"')
CHOICES = ["yes"] * 5 + ["no"] * 2 + ["abstain"]


def council(code: str, nomination: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": "Hội đồng",
        "year": 2025,
        "meets_on": "2025-12-05",
        "quorum": 1,
        "secret_ballot": True,
        "members": [{"user": f"u{i}", "name": f"U{i}"} for i in range(8)],
        "nominations": [nomination],
    }


async def every_stored_value(pool: Any, schema: str, raw: bool = False) -> list[Any]:
    """Every value of every row of every table in the service's schema, as text (`raw`: bytes)."""
    out: list[Any] = []
    async with pool.acquire() as conn:
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", schema
        )
        for t in tables:
            for row in await conn.fetch(f'SELECT * FROM "{schema}"."{t["table_name"]}"'):
                for value in row.values():
                    if raw:
                        out.append(value if isinstance(value, bytes) else str(value).encode())
                        continue
                    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    out.append(text)
    return out


async def vote_all(http: Any, code: str, nomination: str) -> list[int]:
    answers = await asyncio.gather(
        *(
            http.post(
                f"{URL}/councils/{code}/votes",
                json={"nomination": nomination, "choice": choice},
                headers={**bearer(F, ["council"], sub=f"u{i}"), "Idempotency-Key": f"{code}-u{i}"},
            )
            for i, choice in enumerate(CHOICES)
        )
    )
    return [r.status_code for r in answers]


async def test_concurrent_secret_votes_are_exact_and_nothing_stored_links_voter_and_choice(
    isolation: Isolation,
) -> None:
    settings = isolation.settings(AwardsSettings)
    rt = runtime(settings, frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(parts_of(rt).facts, rt.db)
        ids = []
        for code in ("dv-1", "dv-2"):
            body = {"subject_kind": "member", "subject_code": code, "award": "ldtt", "year": 2025}
            ids.append((await ok(await http.post(f"{URL}/nominations", json=body, headers=ADMIN)))["id"])
        one = await ok(await http.post(f"{URL}/councils", json=council("hd", ids[0]), headers=ADMIN))
        two = await ok(await http.post(f"{URL}/councils", json=council("hd2", ids[1]), headers=ADMIN))
        assert one["ballot_secret"] != two["ballot_secret"]
        assert await vote_all(http, "hd", ids[0]) == [201] * 8
        assert await vote_all(http, "hd2", ids[1]) == [201] * 8
        again = await http.post(
            f"{URL}/councils/hd/votes",
            json={"nomination": ids[0], "choice": "no"},
            headers={**bearer(F, ["council"], sub="u0"), "Idempotency-Key": "hd-u0"},
        )
        assert again.status_code == 201 and "choice" not in again.json()  # the first answer, replayed
        second = await http.post(
            f"{URL}/councils/hd/votes",
            json={"nomination": ids[0], "choice": "no"},
            headers=bearer(F, ["council"], sub="u0"),
        )
        assert second.status_code == 409

        stored = await every_stored_value(rt.db, settings.schema_name)
        # the scan sees the events: who voted, and the sealed ballots beside them
        assert sum('"user":"u7"' in v for v in stored) >= 2 and sum('"ballot":' in v for v in stored) >= 16
        assert [v for v in stored if CHOICE_VALUE.search(v)] == []
        raw = await every_stored_value(rt.db, settings.schema_name, raw=True)
        for secret in (one["ballot_secret"], two["ballot_secret"]):
            # the key is stored only wrapped: neither its PEM nor its DER (raw or encoded) is there
            body = "".join(secret.strip().splitlines()[1:-1])
            der = base64.b64decode(body)
            assert [v for v in stored if body[:64] in v] == []
            assert [v for v in raw if der[:64] in v or base64.urlsafe_b64encode(der)[:64] in v] == []
            assert [v for v in raw if der.hex()[:64].encode() in v] == []
        assert sum('"ballot_key_wrapped":"w1.' in v for v in stored) >= 2
        council_one = await ok(await http.get(f"{URL}/councils/hd", headers=ADMIN), 200)
        assert sorted(council_one["voted"][ids[0]]) == [f"u{i}" for i in range(8)]
        assert "choices" not in council_one and "ballot_secret" not in council_one

        resolved = await ok(await http.post(f"{URL}/councils/hd:resolve", headers=ADMIN), 200)
        r = resolved["results"][0]
        assert (r["yes"], r["no"], r["abstain"], r["passed"]) == (5, 2, 1, True)
        stored = await every_stored_value(rt.db, settings.schema_name)
        assert [v for v in stored if CHOICE_VALUE.search(v)] == []

    # A service holding another KEK: refused, naming it; a wrong teller's copy is refused too.
    other = settings.model_copy(update={"ballot_kek": SecretStr("another deployment's passphrase")})
    async with in_process(runtime(other, frozenset({"api"})), build_app) as http:
        refused = await http.post(f"{URL}/councils/hd2:resolve", headers=ADMIN)
        assert refused.status_code == 409 and "TDKT_BALLOT_KEK" in refused.text, refused.text
        wrong = await http.post(
            f"{URL}/councils/hd2:resolve", json={"ballot_secret": one["ballot_secret"]}, headers=ADMIN
        )
        assert wrong.status_code == 422 and "ballot_secret" in wrong.text, wrong.text
    # Another application instance (fresh process state, same database, same KEK) resolves alone.
    rt = runtime(settings, frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        resolved = await ok(await http.post(f"{URL}/councils/hd2:resolve", headers=ADMIN), 200)
        r = resolved["results"][0]
        assert (r["yes"], r["no"], r["abstain"]) == (5, 2, 1)
