"""Actor and trace on every event: each envelope on the bus (and in the feeds) says who caused it
and on whose behalf, and carries the request id, the correlation id the client sent and a
causation id, as CloudEvents extensions."""

from __future__ import annotations

import contextlib

import httpx
import jsonschema_rs

from scripts.asyncapi import shipped_documents
from services.awards import bootstrap as awards
from services.registration import bootstrap as registration
from shared.kernel.settings import AwardsSettings, RegistrationSettings
from shared.store.audit import verification as audit
from tests.support import BusTap, Isolation, bearer, eventually, in_process

NATIONAL = bearer("*", ["admin"], sub="lan.national")
BK = bearer("bac-kan", ["admin", "clerk", "approver"], sub="thu.bac-kan")


async def test_every_event_on_the_bus_carries_actor_and_correlation(isolation: Isolation) -> None:
    reg_rt = registration.runtime(isolation.settings(RegistrationSettings), frozenset({"api", "relay"}))
    awards_rt = awards.runtime(isolation.settings(AwardsSettings), frozenset({"api", "relay", "consumer"}))
    async with contextlib.AsyncExitStack() as stack:
        tap = await stack.enter_async_context(BusTap(isolation))
        reg = await stack.enter_async_context(in_process(reg_rt, registration.build_app))
        aw = await stack.enter_async_context(in_process(awards_rt, awards.build_app))
        sent: dict[str, str] = {}  # correlation id -> actor

        async def post(client: httpx.AsyncClient, path: str, body: dict, headers: dict, n: int) -> dict:
            correlation = f"corr-{n}"
            r = await client.post(path, json=body, headers={**headers, "X-Correlation-ID": correlation})
            assert r.status_code in (200, 201), r.text
            assert r.headers["x-correlation-id"] == correlation and r.headers["x-request-id"]
            sent[correlation] = "lan.national" if headers is NATIONAL else "thu.bac-kan"
            return r.json()  # type: ignore[no-any-return]

        fed = "/v1/federations/bac-kan"
        await post(reg, "/v1/federations", {"code": "bac-kan", "name": "Bắc Kạn"}, NATIONAL, 1)
        await post(reg, fed + "/units", {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots"}, BK, 2)
        await post(
            reg, fed + "/members", {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a"}, BK, 3
        )
        movement = {
            "code": "td-2023",
            "name": "TĐ 2023",
            "year": 2023,
            "awards": ["bang-khen-ldld"],
            "registration_deadline": "2023-03-31",
        }
        await post(reg, fed + "/movements", movement, BK, 4)
        pledge = {
            "movement": "td-2023",
            "award": "bang-khen-ldld",
            "subject_kind": "member",
            "subject_code": "dv-1",
            "pledged_on": "2023-02-01",
        }
        await post(reg, fed + "/pledges", pledge, BK, 5)
        grant = {"subject_kind": "member", "subject_code": "dv-1", "award": "bang-khen-ldld"}
        decision = {
            "number": "1/QĐ",
            "signed_on": "2023-12-01",
            "signer": "X",
            "year": 2023,
            "grants": [grant],
        }

        async def decided() -> dict:
            r = await aw.post(fed + "/decisions", json=decision, headers={**BK, "X-Correlation-ID": "corr-6"})
            assert r.status_code == 201, r.text
            return r.json()  # type: ignore[no-any-return]

        issued = await eventually(decided)
        sent["corr-6"] = "thu.bac-kan"
        grant_id = issued["grants"][0]["grant_id"]
        revoke = {"reason": "khai man", "reference": "2/QĐ", "revoked_on": "2024-01-05"}
        await post(aw, f"{fed}/grants/{grant_id}:revoke", revoke, BK, 7)

        heads = {"registration": await reg_rt.eventlog.head(), "awards": await awards_rt.eventlog.head()}  # type: ignore[union-attr]

        async def all_published() -> list[dict]:
            envelopes = tap.envelopes()
            by_source = {s: [e for e in envelopes if e["source"] == f"tdkt/{s}"] for s in heads}
            assert all(len(by_source[s]) >= 1 for s in heads), {s: len(v) for s, v in by_source.items()}
            assert any(e["type"] == "tdkt.awards.award-revoked.v1" for e in envelopes)
            assert {e.get("correlationid") for e in envelopes} >= set(sent)
            return envelopes

        envelopes = await eventually(all_published)
        for envelope in envelopes:
            assert envelope["actor"], envelope
            assert envelope["correlationid"] in sent, envelope
            assert envelope["actor"] == sent[envelope["correlationid"]], envelope
            assert envelope["causationid"] and envelope["requestid"], envelope
            assert envelope["actorscope"] == ("*" if envelope["actor"] == "lan.national" else "bac-kan")
        seen = {e["correlationid"] for e in envelopes}
        assert seen == set(sent), (seen, sent)

        # each envelope, `data` included, is what the AsyncAPI document of its service describes
        documented = {
            m["name"]: m["payload"]
            for d in shipped_documents().values()
            for m in d["components"]["messages"].values()
        }
        for envelope in envelopes:
            schema = jsonschema_rs.Draft202012Validator(documented[envelope["type"]], validate_formats=True)
            errors = [str(e) for e in schema.iter_errors(envelope)]
            assert not errors, (envelope["type"], errors, envelope["data"])
        assert {e["source"] for e in envelopes} == {"tdkt/registration", "tdkt/awards"}

        # and both logs are sealed
        for service in ("registration", "awards"):
            table = audit.events_table(isolation.database_url, service)
            verdict = audit.verify(isolation.database_url, service, table)
            assert verdict.ok and verdict.checked >= 1, (service, verdict)

        # the feed serves the same trace
        feed = (await reg.get(fed + "/events", headers=BK)).json()["events"]
        assert feed and all(e["actor"] and e["correlationid"] in sent for e in feed)
