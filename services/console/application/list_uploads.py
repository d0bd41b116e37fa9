"""The lists a clerk keys in by the hundred, uploaded as their .xlsx templates: units, members,
initiatives, works and targets (registration), nominations, ratings and disciplines (awards).
Each goes to its service's `{resource}:batch` with an Idempotency-Key made of the file, so the
same file sent twice stores it once; what the service refused comes back row by row, in
Vietnamese, with the sheet's row and column."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

from services.console.adapters.services import ServiceError, Services
from services.console.application.problems import FieldProblem, vietnamese

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Mode = Literal["all-or-nothing", "keep-good-rows"]
MODES: tuple[Mode, ...] = ("all-or-nothing", "keep-good-rows")


@dataclass(frozen=True)
class ListKind:
    slug: str  # the page's word in the URL
    service: Literal["registration", "awards"]
    resource: str  # the API's word: {resource}:batch, {resource}:template
    permission: str  # what the single command needs
    noun: str  # what one row is, in Vietnamese
    listing: str  # the page that lists what was stored, under /f/{federation} ("": none)
    template_file: str
    keeps_good_rows: bool  # whether the service can store the good rows and report the bad

    @property
    def title(self) -> str:
        return f"Tải lên danh sách {self.noun}"


KINDS: dict[str, ListKind] = {
    kind.slug: kind
    for kind in (
        ListKind("don-vi", "registration", "units", "tree.write", "đơn vị", "units",
                 "danh-sach-don-vi.xlsx", True),
        ListKind("doan-vien", "registration", "members", "tree.write", "đoàn viên", "units",
                 "danh-sach-doan-vien.xlsx", True),
        ListKind("sang-kien", "registration", "initiatives", "initiative.write", "sáng kiến",
                 "initiatives", "danh-sach-sang-kien.xlsx", True),
        ListKind("cong-trinh", "registration", "works", "work.write", "công trình", "works",
                 "danh-sach-cong-trinh.xlsx", True),
        ListKind("chi-tieu", "registration", "targets", "target.assign", "chỉ tiêu", "targets",
                 "danh-sach-chi-tieu.xlsx", True),
        ListKind("de-nghi", "awards", "nominations", "nomination.submit", "đề nghị khen thưởng",
                 "nominations", "danh-sach-de-nghi-khen-thuong.xlsx", True),
        ListKind("xep-loai", "awards", "ratings", "history.record", "xếp loại hằng năm", "",
                 "danh-sach-xep-loai.xlsx", False),
        ListKind("ky-luat", "awards", "disciplines", "history.record", "kỷ luật", "",
                 "danh-sach-ky-luat.xlsx", False),
    )
}  # fmt: skip


@dataclass
class ListUpload:
    """What the service said of an uploaded list: stored rows, or why nothing was stored
    (`problems`, `summary`); in keep-good-rows mode, the rows it refused beside those it stored."""

    stored: int = 0
    rows: int = 0
    replayed: bool = False
    problems: list[FieldProblem] = field(default_factory=list)
    refused: list[FieldProblem] = field(default_factory=list)
    summary: str = ""


def idempotency_key(subject: str, federation: str, kind: ListKind, mode: Mode, content: bytes) -> str:
    """The same person sending the same file as the same list, in the same mode, stores it once."""
    asked = f"{federation}\0{kind.resource}\0{mode}".encode()
    digest = hashlib.sha256(subject.encode() + b"\0" + asked + b"\0" + content).hexdigest()
    return f"console-{kind.resource}-{digest[:48]}"


def problems_of(errors: Any) -> list[FieldProblem]:
    """The service's row errors in Vietnamese, in the sheet's order (row, then column)."""
    found: list[FieldProblem] = []
    for item in errors if isinstance(errors, list) else []:
        if not isinstance(item, dict):
            continue
        name = str(item.get("field") or "body")
        said = str(item.get("message") or "")
        column = str(item.get("column") or "")
        text, translated = vietnamese(name, said, column.split(" (")[0])
        if not translated and _in_vietnamese(said):  # awards' sheets say it in Vietnamese already
            text, translated = said[:1].upper() + said[1:], True
        row = item.get("row")
        found.append(
            FieldProblem(
                name,
                text,
                "" if translated else said,
                row if isinstance(row, int) else None,
                column,
            )
        )
    return sorted(found, key=lambda p: (p.row or 0, p.column))


_VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def _in_vietnamese(message: str) -> bool:
    """Whether a service wrote the message in Vietnamese: a Vietnamese letter before any quoted
    value (a name quoted in an English message is not)."""
    return not _VIETNAMESE.isdisjoint(message.split("'")[0].lower())


def refusal(status: int, body: dict[str, Any], noun: str) -> ListUpload:
    """Nothing stored: the rows the service refused, or what it said of the whole file."""
    result = ListUpload(problems=problems_of(body.get("errors")))
    if status == 409:
        result.summary = (
            f"Một số {noun} trong danh sách vừa được lưu cùng lúc; chưa lưu gì. Gửi lại danh sách."
        )
    elif status == 413:
        result.summary = "Tệp quá lớn."
    elif not result.problems:
        result.summary, _ = vietnamese("file", str(body.get("detail") or ""))
    return result


async def upload(
    services: Services,
    token: str,
    subject: str,
    federation: str,
    kind: ListKind,
    filename: str,
    content: bytes,
    mode: Mode,
) -> ListUpload:
    client = services.registration if kind.service == "registration" else services.awards
    try:
        response = await client.request(
            "POST",
            f"/v1/federations/{federation}/{kind.resource}:batch",
            token,
            params={"mode": mode} if kind.keeps_good_rows else None,
            files={"file": (filename or "danh-sach.xlsx", content, XLSX)},
            headers={"Idempotency-Key": idempotency_key(subject, federation, kind, mode, content)},
        )
    except ServiceError as exc:
        if exc.status not in (400, 409, 413, 422):
            raise
        return refusal(exc.status, exc.body, kind.noun)
    body = response.json()
    results = body.get("results") or []
    refused = [e for r in results if r.get("status") == "rejected" for e in r.get("errors") or []]
    stored = int(body.get("accepted", body.get("recorded", 0)))
    return ListUpload(
        stored=stored,
        rows=int(body.get("rows", stored)),
        replayed=response.headers.get("idempotent-replayed") == "true",
        refused=problems_of(refused),
    )


async def template(services: Services, token: str, federation: str, kind: ListKind) -> bytes:
    client = services.registration if kind.service == "registration" else services.awards
    path = f"/v1/federations/{federation}/{kind.resource}:template"
    return (await client.request("GET", path, token)).content
