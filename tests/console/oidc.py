"""A real OpenID provider for the console's sign-in tests: panva's oidc-provider (tests/oidc,
pinned by package-lock.json) run with Node.js. Its packages are installed with `npm ci` the
first time a test needs them (CI builds from a clean clone); no browser is ever downloaded."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess

import pytest

from tests.support import ROOT, free_port, wait_answering

HERE = ROOT / "tests" / "oidc"
CLIENT_ID = "tdkt-console"
CLIENT_SECRET = "console-secret-for-tests"


def install() -> None:
    """`npm ci` in tests/oidc unless its packages are there (the exact versions of the lock)."""
    if (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("the sign-in tests need Node.js 20 and npm (apt-get install -y nodejs npm)")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=HERE,
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL,
    )


class OidcProvider:
    """One provider process: its issuer is http://127.0.0.1:<port>; one confidential client
    (the console) with the given redirect URIs; any login signs in as <login>@tdkt.test."""

    def __init__(
        self, redirect_uris: list[str], post_logout_uris: list[str], id_token_ttl: int = 300
    ) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "PORT": str(self.port),
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URIS": ",".join(redirect_uris),
            "POST_LOGOUT_REDIRECT_URIS": ",".join(post_logout_uris),
            "ID_TOKEN_TTL": str(id_token_ttl),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log = ROOT / ".pytest_cache" / f"oidc-provider-{self.port}.log"

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OidcProvider:
        install()
        node = shutil.which("node")
        assert node is not None
        self.log.parent.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [node, "provider.js"],
            cwd=HERE,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        discovery = self.issuer + "/.well-known/openid-configuration"
        wait_answering(self.process, discovery, self.log, "the OpenID provider", pause=0.1)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
