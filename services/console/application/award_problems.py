"""Awards' problems about councils, votes, decisions and revocations as Vietnamese messages beside
the field they name (the console's general table, problems.py, covers the other forms)."""

from __future__ import annotations

import re
from typing import Any

from services.console.application.problems import ISO_DATE, STATUS_TEXT, FieldProblem, FormErrors, vietnamese

LABELS = {
    "code": "Mã Hội đồng",
    "name": "Tên Hội đồng",
    "year": "Năm xét",
    "meets_on": "Ngày họp",
    "quorum": "Số thành viên tối thiểu",
    "members": "Thành viên Hội đồng",
    "nominations": "Đề nghị",
    "secret_ballot": "Bỏ phiếu kín",
    "nomination": "Đề nghị",
    "choice": "Phiếu",
    "member": "Thành viên",
    "ballot_secret": "Khóa phiếu kín",
    "number": "Số quyết định",
    "signed_on": "Ngày ký",
    "signer": "Người ký",
    "title": "Trích yếu",
    "grants": "Đề nghị được khen thưởng",
    "reason": "Lý do thu hồi",
    "reference": "Số văn bản thu hồi",
    "revoked_on": "Ngày thu hồi",
}

# (pattern of awards' English message, Vietnamese); `{label}` is the field's label.
MESSAGES = [
    (r"^Field required$|^String should have at least 1 character", "Nhập {label}"),
    (
        r"^Input should be a valid date|^Input should be a valid string",
        "Nhập {label_lower} theo dạng dd/mm/yyyy",
    ),
    (r"^Input should be greater than or equal to (\S+)", "{label} phải từ {0} trở lên"),
    (r"^Input should be a valid integer", "{label} phải là một số nguyên"),
    (r"^List should have at least 1 item", "Chọn ít nhất một {label_lower}"),
    (r"^String should have at most (\d+) characters?", "{label} dài quá {0} ký tự"),
    (r"^String should match pattern", "{label} chỉ gồm chữ thường không dấu, chữ số và các dấu - . _"),
    (r"^already exists", "{label} này đã có; chọn mã khác"),
    (r"^already used", "Số quyết định này đã dùng trong năm; kiểm tra lại số"),
    (r"quorum cannot exceed", "Số thành viên tối thiểu không được lớn hơn số thành viên"),
    (r"listed twice", "Có thành viên được ghi hai lần"),
    (r"members voted; the quorum is (\d+)", "Chưa đủ số thành viên tối thiểu: cần {0} thành viên bỏ phiếu"),
    (r"must be voted by secret ballot", "Có hình thức trên chương trình phải bỏ phiếu kín"),
    (r"^a nomination for (\d+), not", "Đề nghị này của năm {0}, không thuộc năm xét"),
    (r"already resolved", "Đề nghị này đã được Hội đồng khác xét"),
    (
        r"^recused",
        "Bạn không biểu quyết đề nghị này (liên quan đến bạn hoặc đơn vị của bạn, hoặc bạn đã xin rút)",
    ),
    (r"already voted", "Bạn đã bỏ phiếu về đề nghị này"),
    (r"not on the agenda", "Đề nghị này không có trong chương trình của Hội đồng"),
    (r"not a private key|not this council's ballot key", "Khóa này không phải khóa phiếu kín của Hội đồng"),
    (r"signed in the future", "Ngày ký không được sau ngày hôm nay"),
    (r"cannot be dated in the future", "Ngày thu hồi không được sau ngày hôm nay"),
    (r"has not been resolved by a council", "Đề nghị chưa được Hội đồng xét"),
    (r"did not pass", "Đề nghị không được Hội đồng thông qua"),
    (r"^already granted|already holds", "Đối tượng đã được khen thưởng hình thức này cho năm này"),
    (r"^fails (.+)$", "Không còn đủ điều kiện vào ngày ký: không đạt “{0}”"),
    (r"public disclosure runs until (\S+)", "Đang công khai đến ngày {0}; ngày ký phải sau ngày đó"),
    (r"not been publicly disclosed", "Đề nghị chưa được công khai"),
    (r"control|bidi|invisible|zero-width", "{label} có ký tự không được phép (ký tự điều khiển hoặc ẩn)"),
]
_COMPILED = [(re.compile(p, re.IGNORECASE), t) for p, t in MESSAGES]


def _label(field_name: str) -> str:
    return LABELS.get(field_name.split(".")[0], LABELS.get(field_name, field_name))


def translate(field_name: str, message: str) -> tuple[str, bool]:
    label = _label(field_name)
    for pattern, text in _COMPILED:
        m = pattern.search(message)
        if m:
            said = text.format(*m.groups(), label=label, label_lower=label[:1].lower() + label[1:])
            return ISO_DATE.sub(lambda d: f"{d.group(3)}/{d.group(2)}/{d.group(1)}", said), True
    said, known = vietnamese(field_name, message)
    return (said, True) if known else (f"{label}: giá trị không được chấp nhận", False)


def form_errors(status: int, body: dict[str, Any], field_of: dict[str, str] | None = None) -> FormErrors:
    """`field_of` maps a field awards names (`grants.0.nomination`) to the form's input."""
    errors = FormErrors()
    for item in body.get("errors") or []:
        name = str(item.get("field") or "body")
        text, translated = translate(name, str(item.get("message") or ""))
        target = (field_of or {}).get(name.split(".")[0], name)
        errors.fields.append(FieldProblem(target, text, "" if translated else str(item.get("message") or "")))
    if not errors.fields:
        text, translated = translate("body", str(body.get("detail") or ""))
        errors.summary = text if translated else STATUS_TEXT.get(status, "Không lưu được; kiểm tra lại")
    return errors
