"""`make run`: the console and all three services (API, relay, consumers) as child processes.

Checks PostgreSQL and RabbitMQ first; if they are unreachable and a Docker engine answers,
starts them with docker compose; else, where their programs are installed, private ones with their
data under `.data/` (kept between runs); otherwise says exactly what to install. Ctrl-C stops all."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from shared.kernel.settings import (
    AwardsSettings,
    ConsoleSettings,
    RegistrationSettings,
    ReportingSettings,
    ServiceSettings,
)
from shared.ops.private_servers import PrivatePostgres, PrivateRabbit

LOCAL = ("127.0.0.1", "localhost", "::1")
SERVICES = (
    ("registration", RegistrationSettings),
    ("awards", AwardsSettings),
    ("reporting", ReportingSettings),
)


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), 2):
            return True
    except OSError:
        return False


def docker_engine() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


def ensure_infrastructure(settings: ServiceSettings) -> list[PrivatePostgres | PrivateRabbit]:
    """PostgreSQL and RabbitMQ answering: as they are, else started by docker compose, else (their
    programs installed, their URLs local) private ones under the project's `.data/` that the
    caller stops; else the exact thing to do."""
    wanted = (
        ("PostgreSQL", settings.database_url, 5432, PrivatePostgres),
        ("RabbitMQ", settings.amqp_url, 5672, PrivateRabbit),
    )
    missing = [(name, url, port, kind) for name, url, port, kind in wanted if not reachable(url, port)]
    if not missing:
        return []
    names = " and ".join(name for name, *_ in missing)
    if docker_engine():
        print(f"{names} unreachable; starting them with docker compose ...")
        subprocess.run(["docker", "compose", "up", "-d", "--wait", "postgres", "rabbitmq"], check=True)
        return []
    local = all(urlsplit(url).hostname in LOCAL for _, url, _, _ in missing)
    if local and all(kind.installed() for *_, kind in missing):
        folder = Path(os.environ.get("TDKT_DATA_DIR", ".data")).resolve()
        started: list[PrivatePostgres | PrivateRabbit] = []
        for name, url, port, kind in missing:
            at = urlsplit(url).port or port
            print(f"{name} unreachable; starting a private one on port {at}, its data in {folder}")
            server = kind(folder / name.lower(), at)
            server.start()
            started.append(server)
        return started
    sys.exit(
        f"Cannot start: {names} not reachable "
        f"(TDKT_DATABASE_URL={settings.database_url}, TDKT_AMQP_URL={settings.amqp_url}), "
        "no Docker engine answers to start them, and their server programs are not installed here. "
        "Install them (Debian: apt-get install -y postgresql rabbitmq-server) and run `make run` again, "
        "or start them, e.g.\n"
        "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
        "  rabbitmq-server -detached\n"
        "or point TDKT_DATABASE_URL / TDKT_AMQP_URL at running servers."
    )


def main() -> None:
    private = ensure_infrastructure(ServiceSettings())
    try:
        _run()
    finally:
        for server in reversed(private):
            server.stop()


def _run() -> None:
    children = [(name, subprocess.Popen([sys.executable, "-m", f"services.{name}"])) for name, _ in SERVICES]
    # The console (the web interface), with the development sign-in unless the environment says
    # otherwise: `make run` is for trying the product on this machine.
    console_env = {**os.environ, "TDKT_CONSOLE_DEV_SIGN_IN": os.environ.get("TDKT_CONSOLE_DEV_SIGN_IN", "1")}
    children.append(
        ("console", subprocess.Popen([sys.executable, "-m", "services.console"], env=console_env))
    )
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    console = ConsoleSettings()
    print(f"{'console':>12}: http://{console.host}:{console.port}/  (the web interface; sign in there)")
    for name, settings_class in SERVICES:
        s = settings_class()
        print(f"{name:>12}: http://{s.host}:{s.port}  (docs /docs, health /health)")
    print("Ctrl-C stops everything.")
    print(
        f"Demo data: `make demo` in another terminal loads Bắc Kạn's 2023 into this; then "
        f"http://{console.host}:{console.port}/f/bac-kan?year=2023"
    )
    while not stopping:
        for name, child in children:
            if child.poll() is not None:
                print(f"{name} exited with {child.returncode}; stopping the others")
                stopping = True
        time.sleep(0.3)
    for _, child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 15
    for _, child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    print("stopped")


if __name__ == "__main__":
    main()
