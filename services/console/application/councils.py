"""Councils (Hội đồng TĐKT) through awards' API: a member's councils and agenda, one nomination
with its verdict, votes and recusals; staff convene a council over the nominations waiting and
resolve it. How a member voted is never shown: the pages show only whether they voted."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.console.adapters.services import ServiceError, Services
from services.console.application.formatting import parse_date_vn
from services.console.application.problems import FormErrors

CHOICES = {"yes": "Đồng ý", "no": "Không đồng ý", "abstain": "Không biểu quyết (phiếu trắng)"}


def base(federation: str) -> str:
    return f"/v1/federations/{federation}/councils"


async def listing(
    services: Services, token: str, federation: str, year: int | None, member: str | None
) -> list[dict[str, Any]]:
    return await services.awards.pages(base(federation), token, year=year, member=member, limit=1000)


async def council(services: Services, token: str, federation: str, code: str) -> dict[str, Any]:
    return await services.awards.get(f"{base(federation)}/{code}", token)  # type: ignore[no-any-return]


def sits_on(body: dict[str, Any], user: str) -> bool:
    return any(m.get("user") == user for m in body.get("members", []))


def recused(body: dict[str, Any], user: str, nomination: str) -> bool:
    return {"user": user, "nomination": nomination} in body.get("recusals", [])


@dataclass
class Item:
    """One nomination on the agenda as a page shows it: never a choice, only counts."""

    nomination: str
    subject_kind: str
    subject_code: str
    subject_name: str
    award: str
    eligible: bool
    threshold: float
    strict: bool  # more than the threshold (else at least)
    voters: int  # members who may vote on it (members less recusals)
    voted: int
    mine: str  # "voted" | "recused" | "waiting" | "" (not a member)
    result: dict[str, Any] | None = None


def agenda(body: dict[str, Any], user: str) -> list[Item]:
    members = body.get("members", [])
    results = {r["nomination"]: r for r in body.get("results") or []}
    items = []
    for a in body.get("agenda", []):
        n = a["nomination"]
        stepped = sum(1 for r in body.get("recusals", []) if r["nomination"] == n)
        who = body.get("voted", {}).get(n, [])
        mine = ""
        if sits_on(body, user):
            mine = "recused" if recused(body, user, n) else "voted" if user in who else "waiting"
        items.append(
            Item(
                nomination=n,
                subject_kind=a["subject_kind"],
                subject_code=a["subject_code"],
                subject_name=a.get("subject_name") or a["subject_code"],
                award=a["award"],
                eligible=bool(a.get("eligible")),
                threshold=float(a.get("threshold") or 0),
                strict=bool(a.get("strict", True)),
                voters=len(members) - stepped,
                voted=len(who),
                mine=mine,
                result=results.get(n),
            )
        )
    return items


def present(body: dict[str, Any]) -> int:
    """Members who have voted on anything: what the quorum counts."""
    return len({u for users in body.get("voted", {}).values() for u in users})


async def vote(
    services: Services, token: str, federation: str, code: str, nomination: str, choice: str, member: str = ""
) -> None:
    payload = {"nomination": nomination, "choice": choice, **({"member": member} if member else {})}
    await services.awards.post(f"{base(federation)}/{code}/votes", token, payload)


async def vote_agenda(
    services: Services, token: str, federation: str, code: str, choices: dict[str, str]
) -> dict[str, Any]:
    """A member's votes on many nominations at once (nomination -> choice): all stored or none."""
    rows = [{"nomination": n, "choice": choice} for n, choice in choices.items()]
    return await services.awards.post(  # type: ignore[no-any-return]
        f"{base(federation)}/{code}/votes:batch", token, {"votes": rows}
    )


async def recuse(
    services: Services, token: str, federation: str, code: str, nomination: str, reason: str
) -> None:
    await services.awards.post(
        f"{base(federation)}/{code}/recusals", token, {"nomination": nomination, "reason": reason}
    )


async def resolve(
    services: Services, token: str, federation: str, code: str, version: str, secret: str
) -> dict[str, Any]:
    return await services.awards.post(  # type: ignore[no-any-return]
        f"{base(federation)}/{code}:resolve",
        token,
        {"ballot_secret": secret} if secret else {},
        headers={"If-Match": f'"{version}"'} if version.isdigit() else None,
    )


# -- convening ---------------------------------------------------------------------------------


WAITING_PAGE = 100


async def waiting(
    services: Services, token: str, federation: str, year: int, cursor: str | None = None
) -> dict[str, Any]:
    """A page of the year's nominations no council has resolved, less those on a council still
    voting, by the subject's name (awards narrows, sorts and pages the list itself): `items`,
    `next_cursor`."""
    return await services.awards.get(  # type: ignore[no-any-return]
        f"/v1/federations/{federation}/nominations",
        token,
        year=year,
        state="submitted",
        outcome="pending",
        on_open_council="false",
        sort="subject",
        cursor=cursor,
        limit=WAITING_PAGE,
    )


@dataclass
class Convening:
    values: dict[str, Any]
    errors: FormErrors = field(default_factory=FormErrors)
    body: dict[str, Any] = field(default_factory=dict)


def parse_members(text: str, errors: FormErrors) -> list[dict[str, Any]]:
    """One member a line: `user; full name; member code (optional)`."""
    members = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            errors.add(
                "members",
                f"Dòng {number}: ghi “mã người dùng; họ và tên; mã đoàn viên (nếu có)”, cách nhau bằng dấu ;",
            )
            continue
        member: dict[str, Any] = {"user": parts[0], "name": parts[1]}
        if len(parts) > 2 and parts[2]:
            member["member_code"] = parts[2]
        members.append(member)
    if not members and not errors.on("members"):
        errors.add("members", "Nhập ít nhất một thành viên Hội đồng")
    return members


async def placed(
    services: Services, token: str, federation: str, members: list[dict[str, Any]], errors: FormErrors
) -> None:
    """Each member who is a union member gets their unit path, so awards recuses them from their
    own and their unit's nominations."""

    async def one(member: dict[str, Any]) -> None:
        code = member.get("member_code")
        if not code:
            return
        try:
            body = await services.registration.get(f"/v1/federations/{federation}/members/{code}", token)
        except ServiceError as exc:
            if exc.status != 404:
                raise
            errors.add("members", f"Không có đoàn viên mang mã {code}")
            return
        member["unit_path"] = [p for p in str(body.get("unit_path") or "").split("/") if p]

    await asyncio.gather(*(one(m) for m in members))


def convening(form: dict[str, Any], chosen: list[str], today: date) -> Convening:
    """The command from the form; problems the console can see (a date not in dd/mm/yyyy, no
    nomination chosen) are named here, the rest by awards."""
    values: dict[str, Any] = {
        k: str(form.get(k) or "").strip() for k in ("code", "name", "year", "meets_on", "quorum", "members")
    }
    values["secret_ballot"] = form.get("secret_ballot") == "on"
    values["nominations"] = chosen
    out = Convening(values)
    meets_on = parse_date_vn(values["meets_on"])
    if values["meets_on"] and meets_on is None:
        out.errors.add("meets_on", "Nhập ngày họp theo dạng dd/mm/yyyy")
    elif not values["meets_on"]:
        out.errors.add("meets_on", "Nhập ngày họp")
    if not chosen:
        out.errors.add("nominations", "Chọn ít nhất một đề nghị để Hội đồng xét")
    members = parse_members(values["members"], out.errors)
    out.body = {
        "code": values["code"],
        "name": values["name"],
        "year": int(values["year"]) if values["year"].isdigit() else values["year"],
        "meets_on": (meets_on or today).isoformat(),
        "quorum": int(values["quorum"]) if values["quorum"].isdigit() else values["quorum"],
        "members": members,
        "nominations": chosen,
    }
    if values["secret_ballot"]:
        out.body["secret_ballot"] = True
    return out
