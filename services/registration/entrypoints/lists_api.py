"""Registration's HTTP API: bulk lists of units, members, initiatives, works and targets
(`{kind}:batch`, JSON or .xlsx) and their .xlsx templates (`{kind}:template`)."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from services.registration.adapters import list_sheets
from services.registration.application.list_kinds import KINDS
from services.registration.entrypoints.examples import ok
from services.registration.entrypoints.parts import FED, app_of
from shared.kernel.errors import Invalid
from shared.ops.gc_pause import paused_throughout
from shared.store.eventstore import fingerprint
from shared.web import scope_guard
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter()  # included in api.router, under its /v1 prefix
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# kind -> (the permission its single command needs, the template's file name)
LISTS = {
    "units": ("tree.write", "danh-sach-don-vi.xlsx"),
    "members": ("tree.write", "danh-sach-doan-vien.xlsx"),
    "initiatives": ("initiative.write", "danh-sach-sang-kien.xlsx"),
    "works": ("work.write", "danh-sach-cong-trinh.xlsx"),
    "targets": ("target.assign", "danh-sach-chi-tieu.xlsx"),
}
Mode = Annotated[
    Literal["all-or-nothing", "keep-good-rows"],
    Query(description="refuse the whole list if one row is bad, or store the good rows"),
]


def _body(kind: str) -> dict[str, Any]:
    example: Any = KINDS[kind].command.model_config.get("json_schema_extra") or {}
    row = (example.get("examples") or [{}])[0] if isinstance(example, dict) else {}
    return {
        "content": {
            "application/json": {
                "schema": {"type": "array", "maxItems": list_sheets.MAX_ROWS, "items": {"type": "object"}},
                "example": [row],
            },
            XLSX: {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
            },
        }
    }


def _routes(kind: str, permission: str, file_name: str) -> None:
    @router.post(
        FED + f"/{kind}:batch",
        status_code=201,
        tags=[kind],
        name=f"register_{kind}_list",
        summary=f"Register a list of {kind} (JSON array or .xlsx)",
        openapi_extra={"requestBody": _body(kind)},
        responses=ok("batch", 201),
    )
    @paused_throughout  # thousands of rows made and freed: nothing to collect
    async def register_list(
        federation: str, caller: Caller, ctx: Ctx, request: Request, mode: Mode = "all-or-nothing"
    ) -> JSONResponse:
        caller.require(permission, federation)
        content, rows = await _rows(request, kind)
        # The key's fingerprint is the list itself, not the multipart envelope, whose boundary varies.
        ctx = dataclasses.replace(
            ctx, fingerprint=fingerprint("POST", request.url.path + "?" + mode, content)
        )
        app = app_of(request)
        return await execute(app, ctx, app.register_list, federation, kind, rows, mode)

    register_list.__doc__ = (
        f"Up to 10,000 rows, as a JSON array of the fields of one `POST …/{kind}` each, or the .xlsx "
        f"template (`{kind}:template`) sent as the body or as the `file` field of a form. The answer "
        "reports every row; a refused row names its row number, field and column. All stored in one "
        "transaction. Send an `Idempotency-Key`: the same list again has no second effect."
    )

    @router.get(
        FED + f"/{kind}:template",
        tags=[kind],
        name=f"{kind}_list_template",
        summary=f"The .xlsx template for {kind}:batch",
        responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
    )
    async def list_template(federation: str, caller: Caller, request: Request) -> Response:
        caller.require("read", federation)
        scope_guard.vouch(request.scope, None, caller, federation)  # headings and an example: no records
        return Response(
            list_sheets.template(kind),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
        )


for _kind, (_permission, _file) in LISTS.items():
    _routes(_kind, _permission, _file)


async def _rows(request: Request, kind: str) -> tuple[bytes, list[tuple[int, dict[str, Any]]]]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise Invalid.on("file", "send the .xlsx list as the form field 'file'")
        content = await upload.read()
        return content, list_sheets.read_rows(kind, content)
    content = await request.body()
    if media == XLSX:
        return content, list_sheets.read_rows(kind, content)
    if media != "application/json":
        raise Invalid.on("content-type", f"send application/json, {XLSX} or multipart/form-data")
    try:
        data = json.loads(content)
    except ValueError:
        raise Invalid.on("body", "the body is not valid JSON") from None
    if not isinstance(data, list):
        raise Invalid.on("body", f"the body must be a JSON array of {kind}")
    rows: list[tuple[int, dict[str, Any]]] = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise Invalid.on("body", "each row must be an object", row=i)
        rows.append((i, item))
    return content, rows
