"""Development tokens only in development; the public development secret refused at start
outside it; the key set fetched at most once per interval however many unknown kids arrive."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from shared.auth.config import ConfigError, check_config
from shared.auth.keys import KeySet
from shared.auth.tokens import decode, mint
from shared.kernel.errors import Unauthorized
from shared.kernel.settings import ServiceSettings
from shared.ops.runtime import Runtime
from shared.web.app import create_app


def test_starting_outside_development_with_the_public_secret_is_refused_naming_the_settings() -> None:
    settings = ServiceSettings(development=False)
    with pytest.raises(ConfigError, match="TDKT_JWT_SECRET is the public development secret"):
        create_app(Runtime(settings), "t", "t", [])


def test_starting_outside_development_without_a_key_set_is_refused() -> None:
    with pytest.raises(ConfigError, match="TDKT_JWKS_URL is not set"):
        check_config(ServiceSettings(development=False, jwt_secret="x" * 40))


def test_development_mode_starts_with_the_public_secret_and_production_with_a_key_set() -> None:
    check_config(ServiceSettings(development=True))
    production = ServiceSettings(jwt_secret="x" * 40, jwks_url="http://k/j", jwt_issuer="i", jwt_audience="a")
    check_config(production)


def test_an_hs256_token_is_refused_outside_development_even_with_the_right_secret() -> None:
    settings = ServiceSettings(
        jwt_secret="x" * 40, jwks_url="http://127.0.0.1:9/j", jwt_issuer="i", jwt_audience="a"
    )
    token = mint(settings, "lan", "bac-kan", ["clerk"])
    with pytest.raises(Unauthorized, match="TDKT_DEVELOPMENT"):
        decode(token, settings)


@pytest.fixture
def counted_jwks() -> Iterator[tuple[str, list[int]]]:
    fetches = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetches[0] += 1
            body = json.dumps({"keys": []}).encode()
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks", fetches
    server.shutdown()


def test_unknown_kids_cause_at_most_one_fetch_per_interval(counted_jwks: tuple[str, list[int]]) -> None:
    url, fetches = counted_jwks
    keys = KeySet(url, max_age=300, refetch=60)
    for n in range(50):
        with pytest.raises(Unauthorized, match="unknown key"):
            keys.key_for(f"made-up-{n}")
    assert fetches[0] == 1
