"""Awards over HTTP on the real PostgreSQL, as the integration tests drive it: registration's facts
of two grassroots unions and their members copied into awards' copy of them, the service in this
process, and the steps the tests share (ratings, an imported grant, a nomination before a council,
a grant by a decision)."""

from __future__ import annotations

import contextlib
import io
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
from openpyxl import Workbook

from services.awards.adapters.registration_facts import RegistrationFacts
from services.awards.bootstrap import build_app, parts_of, runtime
from shared.kernel.settings import AwardsSettings
from tests.support import Isolation, bearer, in_process

F = "bac-kan"
ADMIN = bearer(F)
URL = f"/v1/federations/{F}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
sequence = iter(range(1, 10_000))


def registration(name: str, data: dict[str, Any], version: int = 1) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": f"tdkt.registration.{name}.v1",
        "source": "tdkt/registration",
        "sequence": next(sequence),
        "version": version,
        "data": {"federation": F, **data},
    }


async def seed(directory: RegistrationFacts, pool: Any) -> None:
    events = [
        registration("unit-registered", {"code": "tp", "name": "TP", "kind": "upper", "ancestry": ["tp"]}),
        registration(
            "unit-registered",
            {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots", "ancestry": ["tp", "cdcs-a"]},
        ),
        registration(
            "unit-registered",
            {"code": "cdcs-b", "name": "CĐCS B", "kind": "grassroots", "ancestry": ["tp", "cdcs-b"]},
        ),
        *(
            registration(
                "member-registered",
                {"code": code, "full_name": name, "unit": "cdcs-b", "unit_path": ["tp", "cdcs-b"]},
            )
            for code, name in (("dv-1", "Nguyễn Văn An"), ("dv-2", "Lê Thị Hoa"))
        ),
        registration(
            "member-transferred",
            {
                "code": "dv-1",
                "full_name": "Nguyễn Văn An",
                "from_unit": "cdcs-b",
                "unit": "cdcs-a",
                "unit_path": ["tp", "cdcs-a"],
                "effective_on": "2024-01-01",
            },
            version=2,
        ),
        *(
            registration(
                "initiative-recognised",
                {
                    "initiative": f"sk-{year}",
                    "title": "Sáng kiến",
                    "author_kind": "member",
                    "author_code": "dv-1",
                    "unit": "cdcs-a",
                    "unit_path": ["tp", "cdcs-a"],
                    "year": year,
                    "benefit_value": 1_000_000,
                    "recognised_on": f"{year}-10-01",
                    "recognised_by": "tp",
                },
                version=2,
            )
            for year in (2024, 2025)
        ),
    ]
    async with pool.acquire() as conn, conn.transaction():
        for envelope in events:
            await directory.handle(conn, envelope)


def sheet(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(
        ["subject_kind", "subject_code", "award", "year", "decision_number", "decision_date", "authority"]
    )
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def ok(response: httpx.Response, status: int = 201) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def eligibility(http: httpx.AsyncClient, award: str, on: str = "2025-12-01") -> dict:
    query = f"subject_kind=member&subject_code=dv-1&award={award}&year=2025&on={on}"
    return await ok(await http.get(f"{URL}/eligibility?{query}", headers=ADMIN), 200)


@contextlib.asynccontextmanager
async def awards(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given awards over HTTP, knowing the seeded units and members of registration."""
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(parts_of(rt).facts, rt.db)
        yield http


RATINGS = [
    {"subject_kind": "member", "subject_code": "dv-1", "year": y, "rating": "excellent"} for y in (2024, 2025)
]
IMPORTED = [["member", "dv-1", "bang-khen-ldld", 2024, "12/QĐ-LĐLĐ", "2024-12-20", "ldld"]]


async def rated(http: httpx.AsyncClient) -> None:
    """dv-1 rated excellent in 2024 and 2025."""
    await ok(await http.post(f"{URL}/ratings:batch", json={"ratings": RATINGS}, headers=ADMIN))


async def imported(http: httpx.AsyncClient) -> dict:
    """dv-1's 2024 bang-khen-ldld, imported from a sheet; the grant stored."""
    body = await ok(
        await http.post(
            f"{URL}/grants:import", content=sheet(IMPORTED), headers={**ADMIN, "content-type": XLSX}
        )
    )
    return body["grants"][0]  # type: ignore[no-any-return]


OWN_AWARD = {"code": "lao-dong-gioi", "name": "Lao động giỏi", "subjects": "member", "bonus_coefficient": 0.2}

COUNCIL_MEMBERS = [
    {"user": "an", "name": "Nguyễn Văn An", "member_code": "dv-1", "unit_path": ["tp", "cdcs-a"]},
    *({"user": f"u{i}", "name": f"U{i}"} for i in range(2)),
]
VOTES = f"{URL}/councils/hd-2025/votes"
DECISION = {"number": "45/QĐ-LĐLĐ", "signed_on": "2025-12-10", "signer": "Hoàng Thị Thu", "year": 2025}


async def nominated(http: httpx.AsyncClient) -> dict:
    """dv-1, rated good for 2025, nominated for ldtt; a council of dv-1 and two others convened."""
    rating = {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "rating": "good"}
    await ok(await http.post(f"{URL}/ratings", json=rating, headers=ADMIN))
    nomination = await ok(
        await http.post(
            f"{URL}/nominations",
            json={"subject_kind": "member", "subject_code": "dv-1", "award": "ldtt", "year": 2025},
            headers=ADMIN,
        )
    )
    council = {
        "code": "hd-2025",
        "name": "Hội đồng TĐKT 2025",
        "year": 2025,
        "meets_on": "2025-12-05",
        "quorum": 2,
        "members": COUNCIL_MEMBERS,
        "nominations": [nomination["id"]],
    }
    await ok(await http.post(f"{URL}/councils", json=council, headers=ADMIN))
    return nomination  # type: ignore[no-any-return]


async def granted(http: httpx.AsyncClient) -> dict:
    """The nomination passed by u0 and u1, and granted by a decision."""
    nomination = await nominated(http)
    ballot = {"nomination": nomination["id"], "choice": "yes"}
    for user in ("u0", "u1"):
        await ok(await http.post(VOTES, json=ballot, headers=bearer(F, ["council"], sub=user)))
    await ok(await http.post(f"{URL}/councils/hd-2025:resolve", headers=ADMIN), 200)
    decision = {**DECISION, "grants": [{"nomination": nomination["id"]}]}
    await ok(await http.post(f"{URL}/decisions", json=decision, headers=ADMIN))
    return nomination
