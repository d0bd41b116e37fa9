"""The gate's last line for unit-scoped tokens: a JSON answer is read, any other successful
answer (an .xlsx) passes only if its endpoint vouched for the data it was rendered from."""

from __future__ import annotations

from types import SimpleNamespace

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from shared.kernel.settings import ServiceSettings
from shared.web import scope_guard
from shared.web.gate import Gate
from tests.support import SECRET, bearer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLERK = bearer("bac-kan/tp/cdcs-a", ["clerk"])
STAFF = bearer("bac-kan", ["reader"])


async def sheet(request: Request) -> Response:
    if request.query_params.get("vouch"):
        principal = request.scope["state"]["principal"]
        scope_guard.vouch(
            request.scope, {"unit": "cdcs-a", "unit_path": ["tp", "cdcs-a"]}, principal, "bac-kan"
        )
    return Response(b"PK\x03\x04 rows of anyone", media_type=XLSX)


async def rows(request: Request) -> JSONResponse:
    return JSONResponse({"by_unit": [{"unit": request.query_params["unit"], "pledged": 3}]})


def client() -> httpx.AsyncClient:
    app = Starlette(
        routes=[Route("/v1/federations/bac-kan/sheet", sheet), Route("/v1/federations/bac-kan/rows", rows)]
    )
    runtime = SimpleNamespace(settings=ServiceSettings(jwt_secret=SECRET, development=True), jwks=None)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=Gate(app, runtime)), base_url="http://t")


async def test_a_spreadsheet_reaches_a_unit_token_only_when_its_endpoint_vouched_for_it() -> None:
    async with client() as http:
        r = await http.get("/v1/federations/bac-kan/sheet", headers=CLERK)
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json", r.text
        r = await http.get("/v1/federations/bac-kan/sheet", params={"vouch": 1}, headers=CLERK)
        assert r.status_code == 200 and r.content.startswith(b"PK"), r.text
        assert (await http.get("/v1/federations/bac-kan/sheet", headers=STAFF)).status_code == 200


async def test_a_json_row_naming_a_unit_it_does_not_place_is_refused_to_a_unit_token() -> None:
    async with client() as http:
        r = await http.get("/v1/federations/bac-kan/rows", params={"unit": "cdcs-b"}, headers=CLERK)
        assert r.status_code == 404, r.text
        r = await http.get("/v1/federations/bac-kan/rows", params={"unit": "cdcs-a"}, headers=CLERK)
        assert r.status_code == 404, r.text  # even its own unit: nothing says where it sits
        r = await http.get("/v1/federations/bac-kan/rows", params={"unit": "cdcs-b"}, headers=STAFF)
        assert r.status_code == 200, r.text
