"""Bodies that are lists: a JSON object `{"<key>": [...]}`, or an .xlsx sheet sent as the body
or as the form field `file`. Bad rows are reported by their number in the list."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from services.awards.adapters.sheets import CellError, Listed, Sheet, read_sheet
from shared.kernel.errors import FieldError, Invalid

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
M = TypeVar("M", bound=BaseModel)


def openapi_body(model: type[BaseModel]) -> dict[str, Any]:
    return {
        "requestBody": {
            "content": {
                "application/json": {"schema": model.model_json_schema()},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            }
        }
    }


async def list_body(
    request: Request, model: type[M], key: str, sheet: Sheet, awards: Mapping[str, str] | None = None
) -> tuple[bytes, M, Listed | None]:
    """The raw content (for the Idempotency-Key fingerprint), the validated list, and, for an
    .xlsx, where each line sits in the sheet (for `sheet_errors`). `awards`: the federation's
    awards by folded name or code, for a sheet naming them."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise Invalid.on("file", "send the .xlsx sheet as the form field 'file'")
        content = await upload.read()
        return content, *from_sheet(model, key, read_sheet(sheet, content, awards))
    content = await request.body()
    if kind == XLSX:
        return content, *from_sheet(model, key, read_sheet(sheet, content, awards))
    # Its callers, lists' endpoints, keep the collector paused throughout (`paused_throughout`).
    try:
        raw = json.loads(content)
    except ValueError:
        raise Invalid.on("body", "the body is not valid JSON") from None
    try:
        return content, model.model_validate(raw), None
    except ValidationError as exc:
        raise Invalid(
            "some rows are not valid; nothing was stored", [_row_error(e) for e in exc.errors()]
        ) from None


def _row_error(error: Any) -> FieldError:
    loc = error["loc"]
    row = int(loc[1]) + 1 if len(loc) > 1 and isinstance(loc[1], int) else None
    return FieldError(".".join(str(p) for p in loc[2:]) or str(loc[0]), error["msg"], row)


def from_sheet(model: type[M], key: str, listed: Listed) -> tuple[M, Listed]:
    """The sheet's lines validated; every refused cell named by its sheet row, its column's
    Vietnamese heading and a Vietnamese message."""
    errors: list[FieldError] = list(listed.errors)
    refused = {(e.row, e.field) for e in listed.errors}  # a cell the sheet refused, reported once
    try:
        valid = model.model_validate({key: listed.rows})
    except ValidationError as exc:
        found = (_cell_error(listed, e) for e in exc.errors())
        errors.extend(e for e in found if (e.row, e.field) not in refused)
        valid = None
    if errors or valid is None:
        raise Invalid(REFUSED, sorted(errors, key=lambda e: e.row or 0))
    return valid, listed


REFUSED = "một số dòng không hợp lệ; không dòng nào được lưu (some rows are not valid; nothing was stored)"


def _cell_error(listed: Listed, error: Any) -> FieldError:
    loc = error["loc"]
    if len(loc) < 2 or not isinstance(loc[1], int):
        return FieldError(str(loc[0]), vietnamese(listed.sheet, "", error), None)
    name = ".".join(str(p) for p in loc[2:])
    row = listed.row_of(int(loc[1]) + 1)
    return CellError(name or "row", vietnamese(listed.sheet, name, error), row, listed.sheet.heading(name))


def vietnamese(sheet: Sheet, name: str, error: Any) -> str:
    kind = str(error.get("type", ""))
    column = sheet.column(name)
    if kind == "missing":
        return "không được để trống"
    if kind == "too_short" and not name:
        return "danh sách không có dòng nào"
    if kind == "literal_error" and column is not None and column.choices:
        return f"không hợp lệ; chọn một trong: {', '.join(column.choices.values())}"
    if kind == "date_range":
        return f"ngày nằm ngoài khoảng cho phép ({error['msg']})"
    if kind.startswith(("date", "datetime")):
        return "không phải một ngày; gõ theo dạng dd/mm/yyyy, ví dụ 22/12/2023"
    if kind.startswith("int") or kind in ("greater_than_equal", "less_than_equal"):
        return "phải là một năm (số), ví dụ 2025" if name == "year" else "phải là một số nguyên"
    if kind == "string_too_long":
        return "quá dài"
    if name.split(".")[0] == "period":
        said = "ghi 'Năm 2023', 'Năm học 2022–2023' hoặc 'Giai đoạn 2021–2023'"
        return f"thời kỳ không hợp lệ; {said} ({error['msg']})"
    return f"giá trị không hợp lệ ({error['msg']})"


@contextlib.contextmanager
def sheet_errors(listed: Listed | None) -> Iterator[None]:
    """A list's refusal by the application, its rows renumbered as the sheet's and its columns
    named by their headings, when the list came from an .xlsx."""
    try:
        yield
    except Invalid as exc:
        if listed is None:
            raise
        named: list[FieldError] = [
            CellError(e.field, _said(e.message), listed.row_of(e.row), listed.sheet.heading(e.field))
            if e.row is not None and listed.sheet.column(e.field.split(".")[0]) is not None
            else e
            for e in exc.errors
        ]
        raise type(exc)(exc.detail, named) from None


_SAID = (
    ("unknown member", "không có cá nhân mã này trong liên đoàn"),
    ("unknown unit", "không có tập thể mã này trong liên đoàn"),
    ("unknown award", "không có trong danh mục khen thưởng"),
    ("a decision cannot be dated in the future", "ngày quyết định không được sau hôm nay"),
)


def _said(message: str) -> str:
    """The application's words for a row, in Vietnamese where they are known (the English kept)."""
    for english, words in _SAID:
        if message.startswith(english):
            return f"{words} ({message})"
    return message
