"""The services' problem details (RFC 9457, each error naming its field) as Vietnamese messages
for the form: an error summary at the top linking to each field, and the message beside it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

LABELS = {
    "code": "Mã",
    "full_name": "Họ và tên",
    "name": "Tên",
    "unit": "Đơn vị",
    "birth_year": "Năm sinh",
    "gender": "Giới tính",
    "position": "Chức vụ",
    "movement": "Phong trào",
    "award": "Hình thức khen thưởng",
    "subject_kind": "Đối tượng",
    "subject_code": "Mã đối tượng",
    "subject_name": "Tên đối tượng",
    "submitted_by": "Đơn vị gửi",
    "pledged_on": "Ngày đăng ký",
    "phase": "Đợt",
    "reason": "Lý do",
    "file": "Tệp danh sách",
    "body": "Danh sách",
    "as_of": "Ngày",
    "theme": "Chủ đề",
    "year": "Năm",
    "kind": "Loại phong trào",
    "awards": "Danh hiệu, hình thức khen thưởng",
    "phases": "Đợt thi đua",
    "registration_deadline": "Hạn đăng ký",
    # tree changes, initiatives, works, targets
    "to_parent": "Đơn vị cấp trên mới",
    "into": "Đơn vị nhận sáp nhập",
    "effective_on": "Ngày hiệu lực",
    "title": "Tên sáng kiến",
    "field": "Lĩnh vực",
    "benefit_value": "Giá trị làm lợi",
    "author_kind": "Tác giả là",
    "author_code": "Mã tác giả",
    "registered_on": "Ngày đăng ký",
    "value": "Giá trị",
    "occasion": "Dịp chào mừng",
    "on": "Ngày",
    "council_of": "Đơn vị có hội đồng xét",
    "programme": "Chương trình",
    "target": "Chỉ tiêu",
    "origin": "Nguồn chỉ tiêu",
    # people and access
    "email": "Địa chỉ e-mail",
    "role": "Vai trò",
    "valid_from": "Ngày bắt đầu",
    "assignment": "Vai trò",
    "person": "Người dùng",
    "subject": "Tài khoản",
    "federation": "Phạm vi",
    "action": "Việc cần kiểm tra",
}
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

# (English message of a service, Vietnamese message); `{label}` is the field's label.
MESSAGES: list[tuple[str, str]] = [
    (r"^Field required$", "Nhập {label}"),
    (r"^String should have at least 1 character", "Nhập {label}"),
    (
        r"^String should match pattern",
        "{label} chỉ gồm chữ thường không dấu, chữ số và các dấu - . _ (tối đa 64 ký tự)",
    ),
    (r"^String should have at most (\d+) characters?", "{label} dài quá {0} ký tự"),
    (r"^Input should be greater than or equal to (\S+)", "{label} phải từ {0} trở lên"),
    (r"^Input should be less than or equal to (\S+)", "{label} phải từ {0} trở xuống"),
    (r"^Input should be a valid integer", "{label} phải là một số nguyên"),
    (r"^Input should be a valid date|^Input should be a valid string", "Nhập ngày theo dạng dd/mm/yyyy"),
    (r"^Input should be '", "Chọn {label} trong danh sách"),
    (r"already exists|already registered", "{label} này đã có; chọn mã khác"),
    (r"^the same pledge is already in row (\d+)", "Trùng với dòng {0} của danh sách"),
    (r"duplicate pledge|already pledged", "Đối tượng này đã đăng ký hình thức này trong phong trào"),
    (r"is not a member yet: give the person's full name", "Người này chưa có mã đoàn viên: ghi Họ và tên"),
    (
        r"is not a member yet: give the code of the unit",
        "Người này chưa có mã đoàn viên: ghi mã Đơn vị sinh hoạt của người đó",
    ),
    (r"has had the code '([^']*)' since (\S+)", "Đơn vị này đã đổi mã thành {0} từ ngày {1}"),
    (r"^unknown member|^member '[^']*' does not exist", "Không có đoàn viên mang mã này"),
    (r"^unknown unit|^unit '[^']*' does not exist", "Không có đơn vị mang mã này"),
    (r"^unknown movement|^movement '[^']*' does not exist", "Không có phong trào mang mã này"),
    (r"^unknown award", "Không có hình thức khen thưởng mang mã này"),
    (r"is closed$", "Phong trào đã kết thúc"),
    (r"^registration for '[^']*' closed on (\S+)", "Phong trào đã hết hạn đăng ký từ ngày {0}"),
    (r"^a phase must lie inside the year (\d+)", "Đợt thi đua phải nằm trong năm {0}"),
    (r"^a phase must end on or after", "Ngày kết thúc đợt phải từ ngày bắt đầu trở đi"),
    (r"needs its phases", "Phong trào theo đợt cần có các đợt thi đua"),
    (r"^List should have at least 1 item", "Chọn ít nhất một {label_lower}"),
    (r"deadline", "Đã quá hạn đăng ký của phong trào"),
    (r"cannot be dated in the future", "{label} không được sau ngày hôm nay"),
    (r"not open|not among the awards|is not open for", "Phong trào không nhận đăng ký hình thức này"),
    (r"emulation block", "Khối thi đua không đăng ký hay nhận đoàn viên; chọn một đơn vị công đoàn"),
    (r"was in no unit|is not in a unit", "Đoàn viên không thuộc đơn vị nào vào ngày đó"),
    (r"^must be on or after", "{label} phải từ 01/01/1945 trở đi"),
    (r"^must be at most", "{label} quá xa trong tương lai"),
    (r"control|bidi|invisible|zero-width", "{label} có ký tự không được phép (ký tự điều khiển hoặc ẩn)"),
    (r"^the list has no rows", "Danh sách chưa có dòng nào"),
    (r"^a list holds at most", "Một danh sách có tối đa 10.000 dòng"),
    (
        r"not a valid \.xlsx|cannot be read|unreadable|not an? .?xlsx",
        "Tệp không đọc được; dùng mẫu .xlsx tải từ trang này",
    ),
]
# Tree changes, initiatives, works and targets (registration's words).
MESSAGES += [
    (
        r"^the change must take effect on or after ([0-9-]+)",
        "{label} phải từ ngày {0} trở đi (ngày của lần thay đổi trước)",
    ),
    (
        r"cannot move under its own subtree",
        "Không chuyển được đơn vị vào chính nó hoặc một đơn vị trực thuộc nó",
    ),
    (r"cannot merge into itself", "Không sáp nhập được vào chính đơn vị này hoặc một đơn vị trực thuộc nó"),
    (r"^unit '[^']*' is not in the tree on (\S+)", "Đơn vị này không có trong cây tổ chức vào ngày {0}"),
    (
        r"^unit '[^']*' was merged on (\S+) into '([^']*)': anyone placed",
        "Đơn vị đã sáp nhập vào {1} từ ngày {0}: không xếp đoàn viên hay đơn vị vào đơn vị này, kể cả "
        "từ một ngày trước đó; chọn {1}",
    ),
    (
        r"^unit '[^']*' was dissolved on (\S+): anyone placed",
        "Đơn vị đã giải thể từ ngày {0}: không xếp đoàn viên hay đơn vị vào đơn vị này, kể cả từ một "
        "ngày trước đó",
    ),
    (r"^unit '[^']*' was (merged|dissolved) on", "Đơn vị đã kết thúc hoạt động (sáp nhập hoặc giải thể)"),
    (
        r"^unit\(s\) (.*?) ended while this was being stored",
        "Đơn vị {0} vừa kết thúc hoạt động trong lúc lưu; chưa lưu gì; tải lại và chọn đơn vị khác",
    ),
    (
        r"^someone or some unit was placed in unit '([^']*)' while",
        "Vừa có đoàn viên hoặc đơn vị được xếp vào {0} trong lúc lưu; chưa lưu gì; gửi lại để kiểm tra lại",
    ),
    (r"^unit '[^']*' belongs to federation", "Đơn vị này thuộc liên đoàn khác vào ngày đó"),
    (
        r"^member '([^']*)' was in unit '[^']*' on (\S+) and moved out or left on (\S+?):",
        "Đoàn viên {0} còn ở đơn vị này vào ngày {1}, đến ngày {2} mới chuyển đi hoặc thôi sinh hoạt: "
        "chọn ngày sáp nhập từ ngày {2} trở đi",
    ),
    (
        r"^unit '[^']*' still has (\d+) member\(s\) and (\d+) unit\(s\) under it on (\S+) \(([^)]*)\)",
        "Vào ngày {2} đơn vị còn {0} đoàn viên và {1} đơn vị trực thuộc ({3}): chuyển đoàn viên sang "
        "đơn vị khác hoặc ghi thôi sinh hoạt, chuyển hoặc giải thể các đơn vị trực thuộc trước; hoặc "
        "sáp nhập đơn vị vào đơn vị khác để đoàn viên đi theo",
    ),
    (r"^a unit of kind '[^']*' cannot sit under", "Đơn vị loại này không trực thuộc được đơn vị đã chọn"),
    (r"^initiative '[^']*' is already (recognised|rejected)", "Sáng kiến này đã được xét"),
    (r"^the initiative was registered on (\S+)", "Ngày xét phải từ ngày đăng ký sáng kiến ({0}) trở đi"),
    (r"^a rejected initiative needs the reason", "Nhập lý do không công nhận"),
    (r"^a work is (completed|plaqued) on or after (\S+)", "Ngày phải từ ngày {1} trở đi"),
    (r"^work '[^']*' is already", "Công trình đã hoàn thành trước đó"),
    (r"^a plaque is attached to a completed work", "Chỉ gắn biển cho công trình đã hoàn thành"),
    (
        r"^a self-registered target must exceed the assigned (\d+)",
        "Chỉ tiêu tự đăng ký phải cao hơn chỉ tiêu được giao ({0})",
    ),
    (r"^Input should be greater than (\S+)", "{label} phải lớn hơn {0}"),
]
# People and access (registration's words).
MESSAGES += [
    (r"^already taken", "{label} này đã thuộc về một người khác trong hệ thống"),
    (r"^already held there", "Người này đang giữ vai trò này ở đúng đơn vị này rồi"),
    (r"is before today|not granted retroactively", "{label} không được trước ngày hôm nay"),
    (r"is outside '", "Đơn vị này nằm ngoài phạm vi quản trị của bạn"),
    (r"was revoked at", "Vai trò này đã bị thu hồi trước đó"),
    (r"cannot be an admin", "Tài khoản hệ thống không được giao vai trò quản trị"),
    (r"^unknown person", "Không có người dùng này"),
    (r"^not in the tree then", "Đơn vị này không có trong liên đoàn vào ngày đã chọn"),
    (r"only a service account has a client secret", "Chỉ tài khoản hệ thống mới có khóa bí mật"),
]
# Corrections, movement amendments and headcounts (registration's words).
MESSAGES += [
    (r"^a correction needs a reason", "Nhập lý do: sửa thông tin đã lưu cần nêu lý do"),
    (r"^pledges name the phases (.*): keep them", "Đã có đăng ký theo đợt {0}: không bỏ được các đợt này"),
    (r"members out of \S+ workers: more than all", "Số đoàn viên không được lớn hơn số CNVCLĐ"),
    (r"cannot be counted on a day still to come", "Ngày thống kê không được sau ngày hôm nay"),
]
_COMPILED = [(re.compile(pattern, re.IGNORECASE), text) for pattern, text in MESSAGES]


def label_of(field_name: str) -> str:
    head = field_name.split(".")[0]
    return LABELS.get(head, head)


def vietnamese(field_name: str, message: str, label: str = "") -> tuple[str, bool]:
    """The message in Vietnamese, and whether it was translated (if not, the page shows the
    service's own words after a Vietnamese lead). `label`: the field's, where the form names it
    otherwise (a sheet's column heading, a row's figure)."""
    label = label or label_of(field_name)
    for pattern, text in _COMPILED:
        m = pattern.search(message)
        if m:
            said = text.format(*m.groups(), label=label, label_lower=label[:1].lower() + label[1:])
            return ISO_DATE.sub(lambda d: f"{d.group(3)}/{d.group(2)}/{d.group(1)}", said), True
    return f"{label}: giá trị không được chấp nhận", False


@dataclass
class FieldProblem:
    field: str
    message: str
    original: str = ""  # the service's words when no translation fits
    row: int | None = None
    column: str = ""

    @property
    def anchor(self) -> str:
        """The id of the input the error is about: `f-code`; a phase's `f-phases-0-starts`."""
        parts = self.field.split(".")
        if parts[0] == "phases" and len(parts) > 1:
            return f"f-phases-{parts[1]}-{parts[2] if len(parts) > 2 else 'name'}"
        if parts[0] == "headcounts" and len(parts) > 2:  # a unit's row of a headcounts form
            return f"f-headcounts-{parts[1]}-{parts[2]}"
        return "f-" + parts[0]


@dataclass
class FormErrors:
    summary: str = ""
    fields: list[FieldProblem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.summary or self.fields)

    def add(self, field_name: str, message: str) -> None:
        self.fields.append(FieldProblem(field_name, message))

    def on(self, field_name: str) -> list[FieldProblem]:
        return [f for f in self.fields if f.field.split(".")[0] == field_name]

    def at(self, anchor: str) -> list[FieldProblem]:
        """The errors whose input is `anchor` (an id such as f-phases-0-starts)."""
        return [f for f in self.fields if f.anchor == anchor]


def from_problem(status: int, body: dict[str, Any], known_fields: set[str] | None = None) -> FormErrors:
    """A service's problem as form errors. An error naming a field the form does not have is
    listed in the summary without a link."""
    errors = FormErrors()
    for item in body.get("errors") or []:
        name = str(item.get("field") or "body")
        text, translated = vietnamese(name, str(item.get("message") or ""))
        errors.fields.append(
            FieldProblem(
                name,
                text,
                "" if translated else str(item.get("message") or ""),
                item.get("row"),
                str(item.get("column") or ""),
            )
        )
    if not errors.fields:
        text, translated = vietnamese("body", str(body.get("detail") or ""))
        errors.summary = text if translated else STATUS_TEXT.get(status, "Không lưu được; kiểm tra lại")
    return errors


STATUS_TEXT = {
    400: "Yêu cầu không hợp lệ; kiểm tra lại các ô",
    404: "Không tìm thấy",
    409: "Đã có thay đổi cùng lúc hoặc bản ghi này đã có; tải lại trang và thử lại",
    412: "Bản ghi đã được người khác thay đổi; tải lại trang và thử lại",
    413: "Tệp quá lớn",
    422: "Có lỗi trong các ô; sửa rồi gửi lại",
}
