"""The foundation's slice, across the three services started as real processes."""

from __future__ import annotations

import asyncio

import httpx

from tests.support import BusTap, Isolation, ServiceProcess, bearer, eventually

ADMIN = bearer("*", ["admin"], sub="nguyen.thi.lan")


async def post(http: httpx.AsyncClient, url: str, body: dict, **headers: str) -> httpx.Response:
    return await http.post(url, json=body, headers={**ADMIN, **headers})


async def register_pledgers(http: httpx.AsyncClient, reg: str, codes: list[str]) -> None:
    for code in codes:
        r = await post(
            http,
            f"{reg}/v1/federations/bac-kan/members",
            {"code": code, "full_name": f"Đoàn viên {code}", "unit": "cdcs-truong-a"},
        )
        assert r.status_code == 201, r.text
        r = await post(
            http,
            f"{reg}/v1/federations/bac-kan/pledges",
            {
                "movement": "td-2023",
                "award": "bang-khen-ldld",
                "subject_kind": "member",
                "subject_code": code,
                "pledged_on": "2023-02-15",
            },
        )
        assert r.status_code == 201, r.text


async def test_pledge_grant_report_and_catch_up(isolation: Isolation) -> None:
    env = isolation.env()
    services = [ServiceProcess(n, env) for n in ("registration", "awards", "reporting")]
    try:
        reg, awards, reporting = (s.start() for s in services)
        async with BusTap(isolation) as tap, httpx.AsyncClient(timeout=10) as http:
            base = f"{reg.url}/v1/federations"
            assert (
                await post(http, base, {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
            ).status_code == 201
            r = await post(
                http,
                f"{base}/bac-kan/units",
                {"code": "cdcs-truong-a", "name": "CĐCS Trường A", "kind": "grassroots"},
            )
            assert r.status_code == 201, r.text
            r = await post(
                http,
                f"{base}/bac-kan/movements",
                {
                    "code": "td-2023",
                    "name": "Phong trào thi đua năm 2023",
                    "year": 2023,
                    "awards": ["bang-khen-ldld"],
                    "registration_deadline": "2023-03-31",
                },
            )
            assert r.status_code == 201, r.text
            await register_pledgers(http, reg.url, ["dv-001"])

            # 1. pledge-registered on the bus as a CloudEvent
            async def pledge_on_bus() -> dict:
                found = [m for m in tap.messages if m.type == "tdkt.registration.pledge-registered.v1"]
                assert found
                return found[0]

            message = await eventually(pledge_on_bus)
            assert message.content_type == "application/cloudevents+json"
            assert message.delivery_mode == 2
            assert message.routing_key == "bac-kan.registration.pledge-registered"
            envelope = next(e for e in tap.envelopes() if e["type"].endswith("pledge-registered.v1"))
            assert envelope["specversion"] == "1.0" and envelope["source"] == "tdkt/registration"
            assert envelope["federation"] == "bac-kan" and envelope["actor"] == "nguyen.thi.lan"
            assert len(envelope["sequence"]) == 20 and envelope["sequence"].isdigit()  # Sequence extension
            assert envelope["correlationid"]
            assert envelope["id"] == message.message_id
            assert envelope["data"]["subject_code"] == "dv-001"

            # 2. a decision grants bang-khen-ldld -> award-granted
            decision = {
                "number": "45/QĐ-LĐLĐ",
                "signed_on": "2023-12-22",
                "signer": "Hoàng Thị Thu",
                "year": 2023,
                "grants": [{"subject_kind": "member", "subject_code": "dv-001", "award": "bang-khen-ldld"}],
            }

            async def decided() -> httpx.Response:
                r = await post(http, f"{awards.url}/v1/federations/bac-kan/decisions", decision)
                assert r.status_code == 201, r.text  # 422 until awards has seen the member
                return r

            await eventually(decided)

            async def granted_on_bus() -> None:
                assert any(e["type"] == "tdkt.awards.award-granted.v1" for e in tap.envelopes())

            await eventually(granted_on_bus)

            # 3. reporting counts the pledge and lists the grant in the member's history
            async def report(expected: int) -> dict:
                r = await http.get(
                    f"{reporting.url}/v1/federations/bac-kan/reports/registrations",
                    params={"year": 2023},
                    headers=ADMIN,
                )
                assert r.status_code == 200, r.text
                body = r.json()
                assert body["pledged"] == expected, body
                return body

            body = await eventually(lambda: report(1))
            assert body["by_award"] == [
                {
                    "award": "bang-khen-ldld",
                    "award_name": "Bằng khen của LĐLĐ tỉnh",
                    "subject_kind": "member",
                    "pledged": 1,
                    "by_state": {"submitted": 1},
                }
            ]

            async def history() -> dict:
                r = await http.get(
                    f"{reporting.url}/v1/federations/bac-kan/history/member/dv-001", headers=ADMIN
                )
                assert r.status_code == 200
                grants = [e for e in r.json()["entries"] if e["what"] == "award-granted"]
                assert grants, r.json()
                return grants[0]

            grant = await eventually(history)
            assert grant["decision_number"] == "45/QĐ-LĐLĐ"
            assert grant["decision_date"] == "2023-12-22"
            assert grant["actor"] == "nguyen.thi.lan"

            # every event on the bus says who caused it and in which conversation
            assert tap.envelopes() and all(
                e["actor"] == "nguyen.thi.lan" and e["correlationid"] for e in tap.envelopes()
            )

            # 4. reporting down while pledges arrive; back up, it catches up exactly once
            reporting.stop()
            await register_pledgers(http, reg.url, ["dv-002", "dv-003", "dv-004"])
            reporting = services[2] = ServiceProcess("reporting", env).start()
            await eventually(lambda: report(4))
            await asyncio.sleep(1.0)
            await report(4)
    finally:
        for service in services:
            service.stop()
