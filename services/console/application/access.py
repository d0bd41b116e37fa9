"""What a person may see and do in the console: the services' own permission table
(shared.auth) read for navigation, so a link is shown only where the action would be allowed.
The services check every call again; this only decides what to show."""

from __future__ import annotations

from dataclasses import dataclass

from services.console.application.list_uploads import KINDS as LIST_KINDS
from shared.auth.permissions import UNIT_ACTIONS
from shared.auth.principal import Principal

ROLE_LABELS = {
    "admin": "Quản trị",
    "clerk": "Văn thư",
    "council": "Thành viên Hội đồng TĐKT",
    "approver": "Lãnh đạo phê duyệt",
    "auditor": "Kiểm tra viên",
    "reader": "Người xem",
}


def allowed(principal: Principal | None, action: str) -> bool:
    """As Principal.require decides, without raising."""
    if principal is None or not principal.may(action):
        return False
    return not principal.unit_path or action in UNIT_ACTIONS


def covers(principal: Principal | None, federation: str) -> bool:
    return principal is not None and principal.covers(federation)


# What lets a person upload a list: pledges, or one of the other kinds.
UPLOADS = ("pledge.submit", *dict.fromkeys(kind.permission for kind in LIST_KINDS.values()))


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    key: str


def navigation(principal: Principal | None, federation: str | None) -> list[Link]:
    """The links of the top navigation: only what this person can follow."""
    if principal is None:
        return []
    links = []
    if principal.is_national:
        links.append(Link("/", "Các liên đoàn", "national"))
        links.append(Link("/quoc-gia/tong-hop", "Tổng hợp toàn quốc", "national-rollup"))
        links.append(Link("/quoc-gia/de-nghi", "Đề nghị chuyển lên", "national-nominations"))
        links.append(Link("/reports", "Báo cáo toàn quốc", "national-reports"))
        if allowed(principal, "access.read"):
            links.append(Link("/quoc-gia/nguoi-dung", "Người dùng toàn quốc", "national-people"))
    if federation is None:
        return links
    base = f"/f/{federation}"
    links.append(Link(base, "Trang chủ", "home"))
    links.append(Link(f"{base}/units", "Cây tổ chức" if not principal.unit_path else "Đơn vị", "tree"))
    if allowed(principal, "tree.write"):
        links.append(Link(f"{base}/members/new", "Thêm đoàn viên", "member-new"))
    links.append(Link(f"{base}/pledges", "Đăng ký thi đua", "pledges"))
    if any(allowed(principal, action) for action in UPLOADS):
        links.append(Link(f"{base}/danh-sach", "Tải danh sách", "upload"))
    links.append(Link(f"{base}/nominations", "Đề nghị khen thưởng", "nominations"))
    if allowed(principal, "council.vote") or allowed(principal, "council.manage"):
        links.append(Link(f"{base}/councils", "Hội đồng TĐKT", "councils"))
    if allowed(principal, "decision.issue") or allowed(principal, "grant.revoke"):
        links.append(Link(f"{base}/decisions", "Quyết định khen thưởng", "decisions"))
    links.append(Link(f"{base}/initiatives", "Sáng kiến", "initiatives"))
    links.append(Link(f"{base}/works", "Công trình", "works"))
    links.append(Link(f"{base}/targets", "Chỉ tiêu", "targets"))
    links.append(Link(f"{base}/reports", "Báo cáo", "reports"))
    if allowed(principal, "audit.read"):
        links.append(Link(f"{base}/audit", "Kiểm tra", "audit"))
    if allowed(principal, "access.read"):
        links.append(Link(f"{base}/nguoi-dung", "Người dùng", "people"))
    return links
