"""Bodies that are lists: a JSON object `{"<key>": [...]}`, or an .xlsx sheet sent as the body
or as the form field `file`. Bad rows are reported by their number in the list."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from services.awards.adapters.sheets import Sheet, read_rows
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


async def list_body(request: Request, model: type[M], key: str, sheet: Sheet) -> tuple[bytes, M]:
    """The raw content (for the Idempotency-Key fingerprint) and the validated list."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise Invalid.on("file", "send the .xlsx sheet as the form field 'file'")
        content = await upload.read()
        raw: Any = {key: read_rows(sheet, content)}
    else:
        content = await request.body()
        if kind == XLSX:
            raw = {key: read_rows(sheet, content)}
        else:
            try:
                raw = json.loads(content)
            except ValueError:
                raise Invalid.on("body", "the body is not valid JSON") from None
    try:
        return content, model.model_validate(raw)
    except ValidationError as exc:
        raise Invalid(
            "some rows are not valid; nothing was stored", [_row_error(e) for e in exc.errors()]
        ) from None


def _row_error(error: Any) -> FieldError:
    loc = error["loc"]
    row = int(loc[1]) + 1 if len(loc) > 1 and isinstance(loc[1], int) else None
    return FieldError(".".join(str(p) for p in loc[2:]) or str(loc[0]), error["msg"], row)
