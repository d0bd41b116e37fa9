"""The console's client of the services over a real socket: a keep-alive connection the service
has just closed (uvicorn closes one idle for 5 s, the moment the console may reuse it) must not
become an error page."""

from __future__ import annotations

import asyncio
from typing import Any

from services.console.adapters.services import Services
from shared.kernel.settings import ConsoleSettings
from tests.support import run_apart

ANSWER = b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}'


async def two_reads_over_a_connection_closed_between_them() -> list[Any]:
    """A server that answers the first request of each connection and closes the connection,
    without answering, when a second request arrives on it: what an idle-timeout close racing
    the client's reuse looks like to the client."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(ANSWER)
        await writer.drain()
        await reader.readuntil(b"\r\n\r\n")  # the reuse: dropped unanswered
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    settings = ConsoleSettings(registration_url=url, awards_url=url, reporting_url=url)
    services = Services.connect(settings)
    try:
        first = await services.reporting.get("/v1/a", "token")
        second = await services.reporting.get("/v1/b", "token")
        return [first, second]
    finally:
        await services.close()
        server.close()


def test_a_read_on_a_connection_the_service_closed_is_asked_again_on_a_new_one() -> None:
    # Given a service that closes a kept-alive connection when the console reuses it
    # When the console reads twice
    answers = run_apart(two_reads_over_a_connection_closed_between_them())
    # Then both reads are answered: the second on a fresh connection, not a "did not answer"
    assert answers == [{"ok": True}, {"ok": True}]


def test_the_console_lets_an_idle_connection_go_before_the_service_does() -> None:
    # Given the console's client of the services
    services = Services.connect(ConsoleSettings())
    # When its pool's keep-alive expiry is read
    expiry = services.http._transport._pool._keepalive_expiry  # type: ignore[attr-defined]
    run_apart(services.close())
    # Then it is below uvicorn's 5 s keep-alive timeout, so the race above is rare to begin with
    assert expiry is not None and expiry < 5
