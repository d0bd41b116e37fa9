"""A registration log as an old deployment left it: events holding a NUL, which PostgreSQL's text
and jsonb cannot store, put into the log through the application object below the HTTP checks
that refuse them today (issue 13)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from services.registration.application.service import RegistrationApplication
from services.registration.domain.members import Member
from services.registration.domain.organisation import Federation, Unit
from tests.integration.test_registration_merge import post

NUL_NAME = "An\x00Nguyen"
SHOWN = "An\ufffdNguyen"  # as the readers hold it
NUL_UNIT = "To\x00 mot"
NUL_FEDERATION = "LĐLĐ\x00 cũ"
OLD = {
    "actor": "old-deployment",
    "scope": "*",
    "request_id": "",
    "correlation_id": "",
    "causation_id": "",
}
BK = "/v1/federations/bac-kan"
CB = "/v1/federations/cao-bang"
FEDERATIONS = ("bac-kan", "cao-bang", "nul-fed")
LISTS = ("members", "units", "pledges", "movements", "initiatives", "works")


def nul_member(code: str = "nul1") -> Member:
    return Member(
        federation="bac-kan",
        code=code,
        full_name=NUL_NAME,
        unit="cdcs-a",
        unit_name="CĐCS A",
        unit_path=["tp-bac-kan", "cdcs-a"],
        meta=OLD,
    )


def nul_unit() -> Unit:
    return Unit(
        federation="bac-kan",
        code="to-1",
        name=NUL_UNIT,
        kind="collective",
        parent="cdcs-a",
        ancestry=["tp-bac-kan", "cdcs-a", "to-1"],
        effective_on=None,
        meta=OLD,
    )


def nul_federation() -> Federation:
    return Federation(federation="nul-fed", name=NUL_FEDERATION, meta=OLD)


async def store(app: Any, *aggregates: Any) -> None:
    """Stored as the old deployment stored them: through the application, nothing checked."""
    assert isinstance(app, RegistrationApplication)
    await asyncio.to_thread(app.save, *aggregates)


async def seed(http: httpx.AsyncClient) -> None:
    """Two clean federations with a tree, members and a movement."""
    for code in ("bac-kan", "cao-bang"):
        await post(http, "/v1/federations", {"code": code, "name": code})
    for fed, code, kind, parent in (
        (BK, "tp-bac-kan", "upper", None),
        (BK, "cdcs-a", "grassroots", "tp-bac-kan"),
        (BK, "cdcs-b", "grassroots", "tp-bac-kan"),
        (CB, "tp-cao-bang", "upper", None),
    ):
        await post(http, fed + "/units", {"code": code, "name": code, "kind": kind, "parent": parent})
    await post(http, BK + "/members", {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a"})
    await post(http, CB + "/members", {"code": "cb-1", "full_name": "Hoàng Thị Mai", "unit": "tp-cao-bang"})
    for fed in (BK, CB):
        await post(
            http,
            fed + "/movements",
            {
                "code": "td-2023",
                "name": "TĐ 2023",
                "year": 2023,
                "awards": ["bang-khen-ldld"],
                "registration_deadline": "2023-03-31",
            },
        )


async def poison(http: httpx.AsyncClient, app: Any) -> None:
    """A NUL member, unit and federation in the log, and a pledge of the NUL member (an ordinary
    request: the pledge copies the member's stored name)."""
    await store(app, nul_member(), nul_unit(), nul_federation())
    await post(
        http,
        BK + "/pledges",
        {
            "movement": "td-2023",
            "award": "bang-khen-ldld",
            "subject_kind": "member",
            "subject_code": "nul1",
            "pledged_on": "2023-02-01",
        },
    )
