"""The three services started as real processes for the property-based tests (test_fuzz.py,
test_conformance.py): their own database and exchange, real records seeded in them (a
federation, units, members, a movement, pledges, initiatives, works, a covenant, a target,
ratings, a decision with its grants, nominations, a council), so fuzzed paths reach those records
and not only 404s; each service's /openapi.json loaded into Schemathesis."""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import hypothesis
import schemathesis
from schemathesis.schemas import APIOperation

from tests.support import Isolation, ServiceProcess, token

SERVICES = ("registration", "awards", "reporting")
FEDERATION = "bac-kan"
OTHER_FEDERATION = "thai-nguyen"
CLERK_SCOPE = f"{FEDERATION}/tp-bac-kan/cdcs-a"
# Examples per operation and generation mode; deadline off (a shared 2-core machine), no
# shrinking, no replay database, the same examples on every run.
SETTINGS = hypothesis.settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
    report_multiple_bugs=False,
)
TIMEOUT = 20.0


@dataclass
class Stack:
    isolation: Isolation
    services: dict[str, ServiceProcess]
    real: dict[str, str] = field(default_factory=dict)  # seeded ids: pledge_id, decision_id, ...
    schemas: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    sent: collections.Counter[str] = field(default_factory=collections.Counter)  # requests per run
    findings: dict[str, Any] = field(default_factory=dict)  # fuzz_generation.findings, per service/who

    def url(self, service: str) -> str:
        return self.services[service].url


@dataclass
class ServerError:
    service: str
    who: str
    phase: str
    operation: str
    status: int
    reproducer: str
    request_id: str


def _in_thread(coroutine: Any) -> None:
    """Run a coroutine to completion on a loop of its own (the fixture is synchronous)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


@contextlib.contextmanager
def started() -> Iterator[Stack]:
    """The services started and seeded, stopped and their database and exchange dropped after."""
    isolation = Isolation()
    env = isolation.env()
    services = {name: ServiceProcess(name, env) for name in SERVICES}
    try:
        for service in services.values():
            service.start()
        result = Stack(isolation, services)
        result.tokens = {
            "admin": token("*", ["admin"], sub="fuzz.admin"),
            "clerk": token(CLERK_SCOPE, ["clerk"], sub="fuzz.clerk"),
        }
        seed(result)
        for name in SERVICES:
            document = httpx.get(f"{result.url(name)}/openapi.json", timeout=TIMEOUT).json()
            schema = schemathesis.openapi.from_dict(document)
            schema.config.update(base_url=result.url(name))
            schema.config.generation.update(allow_x00=True, no_shrink=True, deterministic=True)
            result.schemas[name] = schema
        yield result
    finally:
        for service in services.values():
            service.stop()
        isolation.drop()
        _in_thread(isolation.drop_broker_objects())


def seed(stack: Stack) -> None:
    """Real records in every service, written as an admin would."""
    headers = {"Authorization": f"Bearer {stack.tokens['admin']}"}
    reg, awards = stack.url("registration"), stack.url("awards")
    fed = f"{reg}/v1/federations/{FEDERATION}"
    with httpx.Client(timeout=TIMEOUT, headers=headers) as http:

        def post(url: str, body: Any, expect: int = 201) -> dict[str, Any]:
            r = http.post(url, json=body)
            assert r.status_code == expect, (url, r.status_code, r.text)
            return r.json() if r.content else {}

        post(f"{reg}/v1/federations", {"code": FEDERATION, "name": "LĐLĐ tỉnh Bắc Kạn"})
        post(f"{reg}/v1/federations", {"code": OTHER_FEDERATION, "name": "LĐLĐ tỉnh Thái Nguyên"})
        units = [("tp-bac-kan", "upper", None), ("cdcs-a", "grassroots", "tp-bac-kan")]
        units += [("cdcs-b", "grassroots", "tp-bac-kan"), ("cdcs-c", "grassroots", None)]
        units += [("khoi-1", "block", None)]
        for code, kind, parent in units:
            body = {"code": code, "name": f"Đơn vị {code}", "kind": kind, "effective_on": "2020-01-01"}
            post(f"{fed}/units", {**body, "parent": parent} if parent else body)
        other = f"{reg}/v1/federations/{OTHER_FEDERATION}"
        post(f"{other}/units", {"code": "cdcs-x", "name": "X", "kind": "upper"})
        for code, unit in (("dv-1", "cdcs-a"), ("dv-2", "cdcs-a"), ("dv-3", "cdcs-b"), ("dv-4", "cdcs-c")):
            post(f"{fed}/members", {"code": code, "full_name": f"Nguyễn Văn {code}", "unit": unit})
        for year in (2023, 2024):
            post(
                f"{fed}/movements",
                {
                    "code": f"td-{year}",
                    "name": f"Phong trào thi đua năm {year}",
                    "year": year,
                    "awards": ["bang-khen-ldld", "giay-khen"],
                    "registration_deadline": f"{year}-03-31",
                },
            )
        for code in ("dv-1", "dv-3"):
            pledge = post(
                f"{fed}/pledges",
                {
                    "movement": "td-2023",
                    "award": "bang-khen-ldld",
                    "subject_kind": "member",
                    "subject_code": code,
                    "pledged_on": "2023-02-01",
                },
            )
            stack.real.setdefault("pledge_id", pledge["id"])
        post(
            f"{fed}/initiatives",
            {
                "code": "sk-1",
                "title": "Phần mềm quản lý hồ sơ",
                "field": "công nghệ thông tin",
                "benefit_value": 150000000,
                "author_kind": "member",
                "author_code": "dv-1",
                "year": 2023,
                "registered_on": "2023-03-01",
            },
        )
        post(
            f"{fed}/works",
            {
                "code": "ct-1",
                "name": "Nhà văn hoá",
                "unit": "cdcs-a",
                "value": 1000,
                "year": 2023,
                "occasion": "Đại hội",
                "registered_on": "2023-03-01",
            },
        )
        post(
            f"{fed}/targets",
            {"unit": "cdcs-a", "programme": "initiatives", "year": 2023, "target": 10, "origin": "assigned"},
        )
        post(
            f"{fed}/covenants",
            {
                "block": "khoi-1",
                "year": 2023,
                "units": ["cdcs-a", "cdcs-b"],
                "signed_on": "2023-02-15",
                "criteria": [{"name": "Chuyên môn", "max_score": 100}],
            },
        )

        # awards learns the tree from registration's events
        fed = f"{awards}/v1/federations/{FEDERATION}"
        deadline = time.monotonic() + 30
        while True:
            r = http.post(
                f"{fed}/ratings",
                json={"subject_kind": "member", "subject_code": "dv-4", "year": 2023, "rating": "excellent"},
            )
            if r.status_code == 201 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert r.status_code == 201, r.text
        decision = post(
            f"{fed}/decisions",
            {
                "number": "45/QĐ-LĐLĐ",
                "signed_on": "2023-12-22",
                "signer": "Hoàng Thị Thu",
                "year": 2023,
                "grants": [{"subject_kind": "member", "subject_code": "dv-1", "award": "bang-khen-ldld"}],
            },
        )
        stack.real["decision_id"] = decision["id"]
        stack.real["grant_id"] = decision["grants"][0]["grant_id"]
        nomination = post(
            f"{fed}/nominations",
            {"subject_kind": "member", "subject_code": "dv-2", "award": "giay-khen", "year": 2023},
        )
        stack.real["nomination_id"] = nomination["id"]
        post(
            f"{fed}/councils",
            {
                "code": "hd-1",
                "name": "Hội đồng TĐKT",
                "year": 2023,
                "meets_on": "2023-12-01",
                "quorum": 1,
                "members": [{"user": "fuzz.admin", "name": "Hoàng Thị Thu"}],
                "nominations": [nomination["id"]],
            },
        )


# ---------------------------------------------------------------------------------------------
# Path parameters of real records


def real_path_parameters(stack: Stack, operation: APIOperation) -> dict[str, Any]:
    """Values of the operation's path parameters that name seeded records."""
    segments = operation.path.split("/")
    values: dict[str, Any] = {}
    for i, segment in enumerate(segments):
        for name in re.findall(r"\{(\w+)\}", segment):
            before = segments[i - 1] if i else ""
            values[name] = _real_value(stack, name, before, operation.path)
    return values


def _real_value(stack: Stack, name: str, before: str, path: str) -> Any:
    codes = {
        "units": "cdcs-a",
        "members": "dv-1",
        "movements": "td-2023",
        "initiatives": "sk-1",
        "works": "ct-1",
        "councils": "hd-1",
    }
    if name == "federation":
        return FEDERATION
    if name == "code":
        return codes.get(before, "dv-1")
    if name in stack.real:
        return stack.real[name]
    fixed = {
        "block": "khoi-1",
        "year": 2023,
        "unit": "cdcs-a",
        "programme": "initiatives",
        "subject_kind": "member",
        "subject_code": "dv-1",
        "resource": "ratings",
        "name": "fuzz",
    }
    return fixed.get(name, "x")


# ---------------------------------------------------------------------------------------------
# The phases


def operations(stack: Stack, service: str) -> list[APIOperation]:
    found = []
    for result in stack.schemas[service].get_all_operations():
        found.append(result.ok())
    return found
