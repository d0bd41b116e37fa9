"""What an auditor reads: a member's or unit's history as of a date (reporting's history, with
the awards held that day, their decision, signer and who recorded them), the event trail of one
record (the owning service's audit endpoint: who, when, why), and the state of each service's
tamper-evident chain, in words a non-technical auditor can act on."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.console.adapters.services import ServiceError, Services
from services.console.application.formatting import date_vn, money_vn, number_vn
from services.console.application.identities import BY_KEY
from services.console.application.labels import SUBJECT_KINDS, award_name
from services.console.application.reports import STATES, authority_label
from shared.kernel.clock import VIETNAM

SERVICES = {
    "registration": "Đăng ký (đơn vị, đoàn viên, phong trào, đăng ký thi đua)",
    "awards": "Khen thưởng (đề nghị, hội đồng, quyết định)",
}
EVENTS = {
    "federation-created": "Thành lập liên đoàn",
    "federation-merged": "Hợp nhất liên đoàn",
    "federation-corrected": "Đính chính thông tin liên đoàn",
    "unit-registered": "Đăng ký đơn vị",
    "unit-moved": "Chuyển đơn vị",
    "unit-merged": "Sáp nhập đơn vị",
    "unit-dissolved": "Giải thể đơn vị",
    "unit-corrected": "Đính chính thông tin đơn vị",
    "member-registered": "Đăng ký đoàn viên",
    "member-transferred": "Chuyển sinh hoạt",
    "member-left": "Ra khỏi tổ chức",
    "member-corrected": "Đính chính thông tin đoàn viên",
    "movement-launched": "Phát động phong trào",
    "movement-closed": "Kết thúc phong trào",
    "pledge-registered": "Đăng ký thi đua",
    "pledge-accepted": "Chấp nhận đăng ký thi đua",
    "pledge-returned": "Trả lại đăng ký thi đua",
    "pledge-resubmitted": "Gửi lại đăng ký thi đua",
    "pledge-withdrawn": "Rút đăng ký thi đua",
    "covenant-signed": "Ký giao ước thi đua",
    "block-scored": "Chấm điểm trong khối",
    "block-leader-acclaimed": "Suy tôn đơn vị dẫn đầu khối",
    "target-assigned": "Giao chỉ tiêu",
    "initiative-registered": "Đăng ký sáng kiến",
    "initiative-recognised": "Công nhận sáng kiến",
    "initiative-rejected": "Không công nhận sáng kiến",
    "work-registered": "Đăng ký công trình",
    "work-completed": "Hoàn thành công trình",
    "work-plaqued": "Gắn biển công trình",
    "award-defined": "Thêm hình thức khen thưởng",
    "rule-set-published": "Ban hành bộ tiêu chí",
    "rating-recorded": "Ghi xếp loại năm",
    "discipline-recorded": "Ghi kỷ luật",
    "nomination-submitted": "Gửi đề nghị khen thưởng",
    "nomination-withdrawn": "Rút đề nghị khen thưởng",
    "nomination-forwarded": "Chuyển đề nghị lên cấp trên",
    "council-resolved": "Hội đồng kết luận",
    "decision-issued": "Ban hành quyết định khen thưởng",
    "award-granted": "Được khen thưởng",
    "award-revoked": "Thu hồi khen thưởng",
}
RATINGS = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "complete": "Hoàn thành nhiệm vụ",
    "incomplete": "Không hoàn thành nhiệm vụ",
}
# the facts of a line or an event worth showing, in this order, with their labels
FACTS = (
    ("decision_number", "Số quyết định"),
    ("decision_date", "Ngày quyết định"),
    ("signed_on", "Ngày ký"),
    ("signer", "Người ký"),
    ("authority", "Cấp quyết định"),
    ("award_name", "Hình thức"),
    ("award", "Mã hình thức"),
    ("year", "Năm"),
    ("movement", "Phong trào"),
    ("pledged_on", "Ngày đăng ký"),
    ("state", "Trạng thái"),
    ("rating", "Xếp loại"),
    ("kind", "Hình thức kỷ luật"),
    ("reference", "Văn bản"),
    ("revoked_on", "Ngày thu hồi"),
    ("on", "Ngày"),
    ("effective_on", "Ngày hiệu lực"),
    ("code", "Mã"),
    ("full_name", "Họ và tên"),
    ("name", "Tên"),
    ("subject_kind", "Đối tượng"),
    ("subject_code", "Mã đối tượng"),
    ("subject_name", "Tên đối tượng"),
    ("unit", "Đơn vị"),
    ("from_unit", "Từ đơn vị"),
    ("to", "Chuyển đến"),
    ("into", "Sáp nhập vào"),
    ("number", "Số"),
    ("title", "Trích yếu"),
    ("grounds", "Thành tích"),
    ("benefit_value", "Giá trị làm lợi"),
    ("value", "Giá trị"),
    ("source", "Nguồn"),
)
DATE_FACTS = {"decision_date", "signed_on", "pledged_on", "revoked_on", "on", "effective_on"}
SOURCES = {"decision": "Quyết định trong hệ thống", "import": "Nhập từ hồ sơ trước đây"}
PROBLEMS = {
    "altered": "Nội dung sự kiện số {n} đã bị sửa sau khi ghi: không còn khớp với dấu niêm phong của nó.",
    "deleted": "Sự kiện số {n} đã bị xoá khỏi sổ.",
    "deleted-with-link": "Sự kiện số {n} đã bị xoá cùng với mắt xích niêm phong của nó.",
    "unsealed": "Sự kiện số {n} được chèn vào sổ từ bên ngoài hệ thống: nó không có niêm phong.",
    "link-altered": "Mắt xích niêm phong của sự kiện số {n} đã bị sửa.",
    "rewritten": "Sổ sự kiện, tính đến mã đầu chuỗi đã ghi, đã bị viết lại.",
    "anchor-missing": "Mã đầu chuỗi đã ghi không còn trong sổ: phần cuối của sổ đã bị cắt bỏ.",
}


def moment_vn(value: Any) -> str:
    """05/12/2026 14:03 in Vietnam's time."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM)
    return moment.strftime("%d/%m/%Y %H:%M")


def who(actor: str | None) -> str:
    """The account that acted: its person's name where the console knows it (development
    identities), with the account's id."""
    if not actor:
        return "Không ghi nhận"
    key = actor.removeprefix("dev-")
    for identity_key, identity in BY_KEY.items():
        if actor.startswith("dev-") and (key == identity_key or key.startswith(identity_key + "-")):
            return f"{identity.name} ({actor})"
    return actor


def fact_value(key: str, value: Any) -> str:
    if value is None or value == "" or isinstance(value, (dict, list)):
        return ""
    if key in DATE_FACTS:
        return date_vn(value)
    if key == "award":
        return award_name(str(value))
    if key == "authority":
        return authority_label(str(value))
    if key == "subject_kind":
        return SUBJECT_KINDS.get(str(value), str(value))
    if key == "rating":
        return RATINGS.get(str(value), str(value))
    if key == "state":
        return STATES.get(str(value), str(value))
    if key == "source":
        return SOURCES.get(str(value), str(value))
    if key in ("benefit_value", "value") and isinstance(value, (int, float)):
        return money_vn(value)
    if key == "year" and isinstance(value, int):
        return str(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (int, float)):
        return number_vn(value)
    return str(value)


def facts(data: dict[str, Any], skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    out = []
    for key, label in FACTS:
        if key in skip or key not in data:
            continue
        if key == "award" and data.get("award_name"):
            continue
        text = fact_value(key, data[key])
        if text:
            out.append((label, text))
    return out


# ---------------------------------------------------------------------------------------------
# a subject's history


@dataclass
class Held:
    award: str
    year: int | None
    decision_number: str
    decision_date: str
    signer: str
    authority: str
    recorded_by: str
    recorded_at: str
    record: dict[str, Any] | None


@dataclass
class Line:
    when: str
    what: str
    what_code: str
    award: str
    year: Any
    facts: list[tuple[str, str]]
    reason: str
    recorded_by: str
    record: dict[str, Any] | None


@dataclass
class HistoryView:
    kind: str
    code: str
    name: str
    as_of: date | None
    unit: str | None
    held: list[Held] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    revoked: int = 0


async def _name(services: Services, token: str, federation: str, kind: str, code: str) -> str:
    path = f"/v1/federations/{federation}/{'members' if kind == 'member' else 'units'}/{code}"
    try:
        body = await services.registration.get(path, token)
    except ServiceError:
        return code  # a subject known only from its facts (imported awards), or merged away
    return str(body.get("full_name") or body.get("name") or code)


async def history(
    services: Services, token: str, federation: str, kind: str, code: str, as_of: date | None
) -> HistoryView:
    report, name = await asyncio.gather(
        services.reporting.get(
            f"/v1/federations/{federation}/history/{kind}/{code}",
            token,
            as_of=as_of.isoformat() if as_of else None,
        ),
        _name(services, token, federation, kind, code),
    )
    view = HistoryView(kind, code, name, as_of, report.get("unit"))
    granted: dict[tuple[str, Any], dict[str, Any]] = {}
    for e in report.get("entries", []):
        if e["what"] == "award-granted":
            granted[(e.get("award"), e.get("year"))] = e
        elif e["what"] == "award-revoked":
            view.revoked += 1
        view.lines.append(
            Line(
                when=moment_vn(e.get("occurred_at")),
                what=EVENTS.get(e["what"], e["what"]),
                what_code=e["what"],
                award=award_name(e.get("award")) if e.get("award") else "",
                year=e.get("year"),
                facts=facts(e, skip=("award", "award_name", "year", "reason")),
                reason=str(e.get("reason") or ""),
                recorded_by=who(e.get("actor")),
                record=e.get("record"),
            )
        )
    for h in report.get("awards_held", []):
        line = granted.get((h["award"], h.get("year")), {})
        view.held.append(
            Held(
                award=award_name(h["award"]),
                year=h.get("year"),
                decision_number=str(h.get("decision_number") or line.get("decision_number") or ""),
                decision_date=date_vn(h.get("decision_date") or line.get("decision_date")),
                signer=str(line.get("signer") or ""),
                authority=authority_label(str(line["authority"])) if line.get("authority") else "",
                recorded_by=who(line.get("actor")),
                recorded_at=moment_vn(line.get("occurred_at")) if line else "",
                record=line.get("record"),
            )
        )
    return view


# ---------------------------------------------------------------------------------------------
# one record's trail


@dataclass
class TrailEvent:
    version: int
    sequence: int
    when: str
    what: str
    who: str
    scope: str
    reason: str
    facts: list[tuple[str, str]]


async def trail(
    services: Services, token: str, federation: str, service: str, record_id: str
) -> tuple[list[TrailEvent], str]:
    """The record's events, oldest first, and what the record is (its first event's words)."""
    client = services.registration if service == "registration" else services.awards
    body = await client.get(f"/v1/federations/{federation}/audit/records/{record_id}", token)
    events = []
    for e in body.get("events", []):
        name = (
            str(e.get("type", "")).split(".")[2] if e.get("type", "").count(".") >= 3 else e.get("type", "")
        )
        data = e.get("data") or {}
        events.append(
            TrailEvent(
                version=int(e.get("version") or 0),
                sequence=int(e.get("sequence") or 0),
                when=moment_vn(e.get("time")),
                what=EVENTS.get(name, name),
                who=who(e.get("actor")),
                scope=str(e.get("actorscope") or ""),
                reason=str(data.get("reason") or ""),
                facts=facts(data, skip=("reason",)),
            )
        )
    about = ""
    if events:
        first = body["events"][0].get("data") or {}
        about = str(
            first.get("subject_name")
            or first.get("full_name")
            or first.get("name")
            or first.get("number")
            or first.get("subject_code")
            or first.get("code")
            or ""
        )
    return events, about


# ---------------------------------------------------------------------------------------------
# the chains


@dataclass
class Chain:
    service: str
    label: str
    state: str  # verified | broken | unreachable
    checked: int = 0
    head_sequence: int = 0
    head_hash: str = ""
    checked_at: str = ""
    problem: str = ""
    broken_at: int | None = None
    anchor: str | None = None


async def _chain(services: Services, token: str, service: str, fresh: bool, anchor: str | None) -> Chain:
    client = services.registration if service == "registration" else services.awards
    label = SERVICES[service]
    try:
        body = await client.get("/v1/audit/chain", token, fresh="true" if fresh else None, anchor=anchor)
    except ServiceError as exc:
        if exc.status == 422:
            raise
        return Chain(service, label, "unreachable")
    n = body.get("broken_at")
    problem = ""
    if body.get("state") != "verified":
        problem = PROBLEMS.get(body.get("problem") or "", "Chuỗi bị đứt tại sự kiện số {n}.").format(
            n=number_vn(n) if n is not None else "?"
        )
    head = body.get("head") or {}
    return Chain(
        service,
        label,
        "verified" if body.get("state") == "verified" else "broken",
        int(body.get("checked_events") or 0),
        int(head.get("sequence") or 0),
        str(head.get("hash") or ""),
        moment_vn(body.get("checked_at")),
        problem,
        n,
        body.get("anchor"),
    )


async def chains(services: Services, token: str, fresh: bool, anchors: dict[str, str | None]) -> list[Chain]:
    """Both logs' chains, asked at once."""
    return list(await asyncio.gather(*(_chain(services, token, s, fresh, anchors.get(s)) for s in SERVICES)))
