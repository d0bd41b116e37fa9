"""Input limits and error hygiene: oversized bodies (declared or streamed), long strings, bad codes,
unknown fields, wrong file types and oversized lists are clear 4xx problems naming the field and
change nothing; an unexpected failure is a bare 500 whose internals reach neither the client nor
the log."""

from __future__ import annotations

import contextlib
import logging
import unicodedata
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from shared.ops.runtime import Runtime
from tests.support import Isolation, bearer

ADMIN = bearer("*", ["admin"])
FED = "/v1/federations/bac-kan"
LIMIT = 64 * 1024


@contextlib.asynccontextmanager
async def registration(isolation: Isolation) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    rt = runtime(isolation.settings(RegistrationSettings, max_body_bytes=LIMIT), frozenset({"api"}))
    await rt.start()
    try:
        # raise_app_exceptions=False: see what a client would see, as behind a real server
        transport = httpx.ASGITransport(app=build_app(rt), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            r = await client.post(
                "/v1/federations", json={"code": "bac-kan", "name": "Bắc Kạn"}, headers=ADMIN
            )
            assert r.status_code == 201
            yield rt, client
    finally:
        await rt.stop()


def problem_on(r: httpx.Response, status: int, field: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    if field is not None:
        assert field in {e["field"] for e in body.get("errors", [])}, body
    return body


async def test_bad_input_is_a_problem_naming_the_field_and_stores_nothing(isolation: Isolation) -> None:
    async with registration(isolation) as (rt, client):
        head = await rt.eventlog.head()  # type: ignore[union-attr]
        unit = {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots"}

        async def post(path: str, **kwargs: Any) -> httpx.Response:
            return await client.post(path, headers={**ADMIN, **kwargs.pop("headers", {})}, **kwargs)

        problem_on(await post(FED + "/units", json={**unit, "name": "x" * 301}), 422, "name")
        problem_on(await post(FED + "/units", json={**unit, "code": "CĐCS A; DROP TABLE"}), 422, "code")
        problem_on(await post(FED + "/units", json={**unit, "code": "a" * 65}), 422, "code")
        problem_on(await post(FED + "/units", json={**unit, "extra": 1}), 422, "extra")
        problem_on(
            await post(FED + "/units", content=b'{"code": ', headers={"content-type": "application/json"}),
            422,
        )

        declared = await post(
            FED + "/units", content=b"x" * (LIMIT + 1), headers={"content-type": "application/json"}
        )
        problem_on(declared, 413, "body")

        async def stream() -> AsyncIterator[bytes]:
            for _ in range(LIMIT // 1024 + 2):
                yield b" " * 1024

        streamed = await post(FED + "/units", content=stream(), headers={"content-type": "application/json"})
        assert "content-length" not in streamed.request.headers
        problem_on(streamed, 413, "body")

        batch = FED + "/pledges:batch"
        problem_on(
            await post(batch, content=b"a,b\n1,2\n", headers={"content-type": "text/csv"}),
            422,
            "content-type",
        )
        not_xlsx = {"file": ("list.xlsx", b"MZ\x90\x00 an executable", "application/octet-stream")}
        problem_on(await post(batch, files=not_xlsx), 422)
        problem_on(await post(batch, json=[{}] * 10_001), 422, "body")

        assert await rt.eventlog.head() == head  # type: ignore[union-attr]

        forged = {"X-Request-ID": "a\nFAKE log line", "X-Correlation-ID": "x" * 500}
        r = await client.get(FED, headers={**ADMIN, **forged})
        assert r.status_code == 200 and "\n" not in r.headers["x-request-id"]
        assert len(r.headers["x-correlation-id"]) <= 128

        decomposed = unicodedata.normalize("NFD", "CĐCS Trường Nguyễn Huệ")
        r = await post(FED + "/units", json={**unit, "name": decomposed})
        assert r.status_code == 201, r.text
        stored = (await client.get(FED + "/units/cdcs-a", headers=ADMIN)).json()["name"]
        assert stored == unicodedata.normalize("NFC", decomposed) != decomposed


async def test_unexpected_failures_leak_nothing(
    isolation: Isolation, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from services.registration.application.service import RegistrationApplication

    secret = "SELECT * FROM users WHERE password = 'hunter2'"

    def broken(*args: Any) -> Any:
        raise RuntimeError(secret)

    async with registration(isolation) as (_rt, client):
        monkeypatch.setattr(RegistrationApplication, "register_unit", broken)
        caplog.set_level(logging.DEBUG)
        r = await client.post(
            FED + "/units", json={"code": "cdcs-a", "name": "A", "kind": "grassroots"}, headers=ADMIN
        )
        body = problem_on(r, 500)
        assert body["detail"] == "the request could not be completed"
        for text in (r.text, caplog.text):
            assert "hunter2" not in text and "SELECT" not in text
        assert "Traceback" not in r.text and r.headers["x-request-id"]
        assert "RuntimeError" in caplog.text and r.headers["x-request-id"] in caplog.text
