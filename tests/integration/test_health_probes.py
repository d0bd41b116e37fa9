"""Issue 21: liveness and readiness apart — a service whose broker is unreachable is alive (no
reason to restart it) but not ready (send it no traffic)."""

from __future__ import annotations

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.support import Isolation, in_process


async def test_without_its_broker_a_service_is_live_but_not_ready(isolation: Isolation) -> None:
    settings = isolation.settings(RegistrationSettings).model_copy(
        update={"amqp_url": "amqp://guest:guest@127.0.0.1:1/"}
    )
    async with in_process(runtime(settings, frozenset({"api"})), build_app) as http:
        live = await http.get("/health/live")
        ready = await http.get("/health/ready")
    assert live.status_code == 200 and live.json() == {"status": "live"}
    assert ready.status_code == 503 and ready.json()["broker"] != "up"
