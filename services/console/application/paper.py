"""The federation's paper, as its office sets it: the wording its decisions and certificates are
printed with (awards' `paper`), and the certificates' background, signature and seal images."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from services.console.adapters.services import ServiceClient, ServiceError
from services.console.application.award_problems import form_errors
from services.console.application.problems import FormErrors


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    hint: str
    rows: int = 0  # a text area of this many rows; 0: one line
    lines: bool = False  # a list, one item a line


FIELDS = (
    Field(
        "parent_body",
        "Cơ quan cấp trên",
        "Dòng đầu bên trái, ví dụ TỔNG LĐLĐ VIỆT NAM; để trống nếu không có",
    ),
    Field("issuing_body", "Cơ quan ban hành", "Ví dụ LIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC KẠN"),
    Field("deciding_body", "Tập thể quyết định", "Ví dụ BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC KẠN"),
    Field("place", "Địa danh", "In ở dòng ngày tháng: Bắc Kạn, ngày … tháng … năm …"),
    Field(
        "bases", "Căn cứ", "Mỗi căn cứ một dòng, ví dụ Căn cứ Luật Thi đua, khen thưởng năm 2022;", 6, True
    ),
    Field("article_2", "Điều 2", "", 3),
    Field("article_3", "Điều 3", "", 3),
    Field("recipients", "Nơi nhận", "Mỗi nơi nhận một dòng, ví dụ Lưu: VT, Ban Tổ chức.", 4, True),
    Field("signing_for", "Thẩm quyền ký", "Ví dụ TM. BAN THƯỜNG VỤ; hai dòng nếu cấp phó ký thay", 2),
    Field("signer_title", "Chức vụ người ký", "Ví dụ CHỦ TỊCH"),
    Field("achievement", "Dòng thành tích trên bằng khen", "{year} được thay bằng năm xét khen thưởng", 2),
)
IMAGES = {
    "background": "Hình nền bằng khen (khổ A4 ngang)",
    "signature": "Chữ ký (ảnh nền trong suốt)",
    "seal": "Con dấu (ảnh nền trong suốt)",
}
MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_REFUSED = "Chọn ảnh PNG hoặc JPEG (đọc được, tối đa 2 MB và 25 triệu điểm ảnh)"


def values_of(wording: dict[str, Any]) -> dict[str, str]:
    """The form's values from awards' wording (lists one item a line)."""
    out = {}
    for f in FIELDS:
        value = wording.get(f.name, "")
        out[f.name] = "\n".join(value) if isinstance(value, list) else str(value or "")
    return out


def body_of(form: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """What was typed, and awards' body: lists split by line, blank lines dropped."""
    values = {f.name: str(form.get(f.name) or "").replace("\r\n", "\n").strip() for f in FIELDS}
    body: dict[str, Any] = {}
    for f in FIELDS:
        value = values[f.name]
        body[f.name] = [line.strip() for line in value.split("\n") if line.strip()] if f.lines else value
    return values, body


def image_problem(content: bytes) -> str | None:
    """Told before sending (awards checks the content whole again)."""
    if not content:
        return "Chọn tệp ảnh cần tải lên"
    if len(content) > MAX_IMAGE_BYTES or not content.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        return IMAGE_REFUSED
    return None


async def send_image(
    client: ServiceClient, token: str, federation: str, name: str, content: bytes | None
) -> FormErrors:
    """PUT the image (None: DELETE it, back to the plain certificate); awards' refusal in Vietnamese."""
    url = f"{client.base_url}/v1/federations/{federation}/paper/images/{name}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        if content is None:
            response = await client.http.delete(url, headers=headers)
        else:
            response = await client.http.put(url, content=content, headers=headers)
    except httpx.HTTPError:
        raise ServiceError(503, {"detail": f"{client.name} did not answer"}) from None
    errors = FormErrors()
    if response.status_code == 422:
        errors.add(f"file-{name}", IMAGE_REFUSED)
    elif response.status_code >= 400:
        raise ServiceError(response.status_code, {})
    return errors


def refusal(status: int, body: dict[str, Any]) -> FormErrors:
    return form_errors(status, body)
