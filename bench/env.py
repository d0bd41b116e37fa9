"""Where a run happens: its own database, exchange and queue names (never the shared ones),
the services started as processes the way `make run` starts them, and cleanup afterwards."""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from shared.auth.tokens import mint
from shared.kernel.settings import ServiceSettings
from tests import support

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("TDKT_BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_URL = os.environ.get("TDKT_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
SECRET = "bench-secret-at-least-32-bytes-long!!"
LOGS = ROOT / ".run" / "bench"


@dataclass
class Isolation(support.Isolation):
    """The tests' isolation (tests/support.py) under bench names, with the bench's URLs and secret."""

    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    purpose: str = "bench"
    admin_url: str = ADMIN_URL
    amqp_url: str = AMQP_URL
    secret: str = SECRET

    def token(self) -> str:
        return mint(ServiceSettings(jwt_secret=self.secret), "bench", "*", ["admin"])


class Service:
    """One service as its own process: `python -m services.<name> --components …`."""

    def __init__(
        self,
        name: str,
        isolation: Isolation,
        components: str,
        cwd: Path = ROOT,
        env: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.cwd = cwd  # another checkout's code (the console stage's --console-before)
        self.port = support.free_port()
        self.env = {
            **os.environ,
            **isolation.env(),
            f"TDKT_{name.upper()}_PORT": str(self.port),
            **(env or {}),
        }
        self.components = components
        self.process: subprocess.Popen[bytes] | None = None
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log = LOGS / f"{isolation.tag}-{name}-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 60) -> Service:
        self.process = subprocess.Popen(
            [sys.executable, "-m", f"services.{self.name}", "--components", self.components],
            cwd=self.cwd,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not become healthy: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _read(path: str) -> str:
    with contextlib.suppress(OSError):
        return Path(path).read_text()
    return ""


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (line.split()[1] for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal")), "0"
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = bool(
        subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(mem) / 2**20, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "git": commit + ("-dirty" if dirty else ""),
        "loadavg_start": os.getloadavg(),
    }
