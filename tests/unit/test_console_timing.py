"""The console's server-side timing: a Server-Timing header on every answer, and a histogram by
route template (never the path itself) on /metrics."""

from __future__ import annotations

import re

import httpx
import pytest

from services.console.bootstrap import build_app
from shared.kernel.settings import ConsoleSettings


async def _refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("no services in this test")


@pytest.mark.asyncio
async def test_every_answer_says_how_long_it_took_and_metrics_count_it_by_route() -> None:
    app = build_app(ConsoleSettings(), transport=httpx.MockTransport(_refused))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://console") as client:
            health = await client.get("/health")
            page = await client.get("/f/bac-kan/units/cdcs-00042")  # not signed in: a redirect
            missing = await client.get("/no/such/page")
            metrics = (await client.get("/metrics", follow_redirects=True)).text
    for answer in (health, page, missing):
        assert re.fullmatch(r"app;dur=\d+\.\d", answer.headers["server-timing"])
    assert 'route="/health"' in metrics
    assert 'route="/f/{federation}/units/{code}"' in metrics
    assert "cdcs-00042" not in metrics  # the template, never the path
    assert 'route="other"' in metrics
