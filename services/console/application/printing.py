"""Printing a decision and its certificates (awards renders them; the console passes the bytes
on as they come, with awards' type and file name), and the public check of a certificate's
verification code."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from services.console.adapters.services import ServiceClient, ServiceError

PASSED_ON = ("content-type", "content-disposition", "content-length")
# The code as typed: letters, digits, dashes and spaces, nothing else reaches awards.
TYPED = re.compile(r"[0-9A-Za-z -]{1,40}")


async def passed_on(client: ServiceClient, path: str, token: str) -> StreamingResponse:
    """Awards' answer to GET `path`, streamed through; a problem raises ServiceError."""
    request = client.http.build_request(
        "GET", client.base_url + path, headers={"Authorization": f"Bearer {token}"}
    )
    try:
        response = await client.http.send(request, stream=True)
    except httpx.HTTPError:
        raise ServiceError(503, {"detail": f"{client.name} did not answer"}) from None
    if response.status_code >= 400:
        await response.aread()
        await response.aclose()
        try:
            body = response.json()
        except ValueError:
            body = {}
        raise ServiceError(response.status_code, body if isinstance(body, dict) else {})
    headers = {k: response.headers[k] for k in PASSED_ON if k in response.headers}
    if "content-encoding" in response.headers:  # the bytes passed on are decoded: another length
        headers.pop("content-length", None)
    headers["Cache-Control"] = "private, no-store"
    return StreamingResponse(
        response.aiter_bytes(), headers=headers, background=BackgroundTask(response.aclose)
    )


def typed_code(text: str) -> str | None:
    """What someone typed, cleaned for the URL (upper case, groups of five), or None if it
    cannot be a code at all."""
    if not TYPED.fullmatch(text.strip()):
        return None
    plain = "".join(text.split()).replace("-", "").upper()
    return "-".join(plain[i : i + 5] for i in range(0, len(plain), 5)) or None


async def verification(client: ServiceClient, code: str) -> dict[str, Any] | None:
    """Awards' answer for `code` (public: no token), None when no certificate has it."""
    try:
        response = await client.http.get(f"{client.base_url}/v1/verify/{code}")
    except httpx.HTTPError:
        raise ServiceError(503, {"detail": f"{client.name} did not answer"}) from None
    if response.status_code == 404:
        return None
    if response.status_code >= 400:
        raise ServiceError(response.status_code, {})
    body = response.json()
    return body if isinstance(body, dict) else None
