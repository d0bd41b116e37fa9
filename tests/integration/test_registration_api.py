"""Registration's HTTP surface: the year's activities end to end, bad input, and the OpenAPI
document with an example for every endpoint."""

from __future__ import annotations

from typing import Any

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import get, post
from tests.support import Isolation, bearer, in_process

NATIONAL = bearer("*")
CB = "/v1/federations/cao-bang"
COUNCIL = bearer("cao-bang", ["council"])
CLERK = bearer("cao-bang/tp-cao-bang/cdcs-a", ["clerk"])
CLERK_B = bearer("cao-bang/tp-cao-bang/cdcs-b", ["clerk"])


async def a_year_of_activities(http: Any) -> None:
    """Given: Cao Bằng's tree, a member, a block's covenant signed, scored and acclaimed, a target,
    an initiative registered and recognised, a work registered and completed."""
    await post(http, "/v1/federations", {"code": "cao-bang", "name": "LĐLĐ tỉnh Cao Bằng"})
    for code, kind, parent in (
        ("tp-cao-bang", "upper", None),
        ("cdcs-a", "grassroots", "tp-cao-bang"),
        ("cdcs-b", "grassroots", "tp-cao-bang"),
        ("khoi-1", "block", None),
    ):
        await post(http, CB + "/units", {"code": code, "name": code, "kind": kind, "parent": parent})
    await post(http, CB + "/members", {"code": "dv-1", "full_name": "Hoàng Thị Mai", "unit": "cdcs-a"})
    await post(
        http,
        CB + "/covenants",
        {
            "block": "khoi-1",
            "year": 2023,
            "units": ["cdcs-a", "cdcs-b"],
            "signed_on": "2023-02-15",
            "criteria": [{"name": "Chuyên môn", "max_score": 100}],
        },
    )
    await post(
        http,
        CB + "/covenants/khoi-1/2023:score",
        {"scores": [{"unit": "cdcs-a", "score": 96}, {"unit": "cdcs-b", "score": 91}]},
        status=200,
    )
    await post(
        http,
        CB + "/covenants/khoi-1/2023:acclaim",
        {"units": ["cdcs-a"], "acclaimed_on": "2023-12-15"},
        status=200,
    )
    await post(
        http,
        CB + "/targets",
        {"unit": "tp-cao-bang", "programme": "initiatives", "year": 2023, "target": 1800},
    )
    await post(
        http,
        CB + "/initiatives",
        {
            "code": "sk-1",
            "title": "Sáng kiến",
            "field": "kỹ thuật",
            "benefit_value": 50_000_000,
            "author_kind": "member",
            "author_code": "dv-1",
            "year": 2023,
            "registered_on": "2023-03-01",
        },
        headers=CLERK,
    )
    await post(
        http,
        CB + "/initiatives/sk-1:recognise",
        {"on": "2023-11-20", "council_of": "cdcs-a"},
        headers=COUNCIL,
        status=200,
    )
    await post(
        http,
        CB + "/works",
        {
            "code": "ct-1",
            "name": "Nhà văn hoá",
            "unit": "tp-cao-bang",
            "value": 3_700_000_000,
            "occasion": "Đại hội X",
            "year": 2023,
            "registered_on": "2023-03-01",
        },
    )
    await post(http, CB + "/works/ct-1:complete", {"on": "2023-09-01"}, status=200)


async def test_given_a_years_activities_when_a_work_is_plaqued_then_it_and_the_target_read_back(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await a_year_of_activities(http)
        work = await post(http, CB + "/works/ct-1:plaque", {"on": "2023-09-02"}, status=200)
        assert work["state"] == "plaqued"
        assert (await get(http, CB + "/targets/tp-cao-bang/initiatives/2023"))["target"] == 1800


async def test_given_a_years_activities_then_the_lists_show_them_and_hide_them_from_another_subtree(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await a_year_of_activities(http)
        await post(http, CB + "/works/ct-1:plaque", {"on": "2023-09-02"}, status=200)
        works = await get(http, CB + "/works", year=2023)
        assert [(w["code"], w["state"], w["value"]) for w in works["items"]] == [
            ("ct-1", "plaqued", 3_700_000_000)
        ]
        initiatives = await get(http, CB + "/initiatives", state="recognised")
        assert [(i["code"], i["unit_path"]) for i in initiatives["items"]] == [("sk-1", "tp-cao-bang/cdcs-a")]
        assert (await get(http, CB + "/initiatives", CLERK_B))["items"] == []


async def test_given_a_years_activities_when_bad_commands_come_then_each_is_a_problem_and_nothing_is_stored(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await a_year_of_activities(http)
        await post(http, CB + "/works/ct-1:plaque", {"on": "2023-09-02"}, status=200)
        head = await rt.eventlog.head()  # type: ignore[union-attr]
        bad = [
            (CB + "/works/ct-1:complete", {"on": "2023-09-03"}, NATIONAL, 409, None),
            (CB + "/initiatives/sk-1:reject", {"on": "2023-11-21", "council_of": "cdcs-a"}, CLERK, 403, None),
            (
                CB + "/targets",
                {"unit": "nowhere", "programme": "initiatives", "year": 2023, "target": 5},
                NATIONAL,
                404,
                "unit",
            ),
            (
                CB + "/covenants",
                {
                    "block": "khoi-1",
                    "year": 2023,
                    "units": ["cdcs-a"],
                    "signed_on": "2023-02-15",
                    "criteria": [],
                },
                NATIONAL,
                422,
                "units",
            ),
        ]
        for path, body, headers, status, field in bad:
            r = await http.post(path, json=body, headers=headers)
            assert r.status_code == status, (path, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            if field:
                assert r.json()["errors"][0]["field"] == field
        assert await rt.eventlog.head() == head  # type: ignore[union-attr]


async def test_given_a_years_activities_then_each_is_an_event_on_the_feed_with_its_data(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await a_year_of_activities(http)
        await post(http, CB + "/works/ct-1:plaque", {"on": "2023-09-02"}, status=200)
        feed = await get(http, CB + "/events", limit=1000)
        names = [e["type"].split(".")[2] for e in feed["events"]]
        for name in (
            "covenant-signed",
            "block-scored",
            "block-leader-acclaimed",
            "target-assigned",
            "initiative-registered",
            "initiative-recognised",
            "work-registered",
            "work-completed",
            "work-plaqued",
        ):
            assert name in names, name
        recognised = next(e for e in feed["events"] if e["type"].endswith("initiative-recognised.v1"))
        assert recognised["data"]["unit_path"] == ["tp-cao-bang", "cdcs-a"]
        assert recognised["data"]["benefit_value"] == 50_000_000


def _has_example(operation: dict[str, Any], schemas: dict[str, Any]) -> bool:
    def in_content(content: dict[str, Any]) -> bool:
        for media in content.values():
            if "example" in media or "examples" in media:
                return True
            ref = media.get("schema", {}).get("$ref", "")
            if ref and "examples" in schemas.get(ref.rsplit("/", 1)[-1], {}):
                return True
        return False

    body = operation.get("requestBody", {}).get("content", {})
    responses = [r.get("content", {}) for r in operation.get("responses", {}).values()]
    return in_content(body) or any(in_content(c) for c in responses)


OWN_TAGS = {
    "federations",
    "units",
    "members",
    "movements",
    "pledges",
    "covenants",
    "targets",
    "initiatives",
    "works",
}


async def test_every_endpoint_has_an_example(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        document = (await http.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    missing = [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if set(operation.get("tags", [])) & OWN_TAGS
        and not path.endswith(":template")  # an .xlsx to fill in, not JSON
        and not _has_example(operation, schemas)
    ]
    assert missing == []
    batch = document["paths"]["/v1/federations/{federation}/pledges:batch"]["post"]["requestBody"]["content"]
    assert set(batch) == {
        "application/json",
        "multipart/form-data",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
