"""Throwaway PostgreSQL and RabbitMQ servers of the failure tests' own, on other ports.

The fault tests kill and restart these; the shared instances on 5432/5672 are never touched.
Both keep their data in a temporary directory that `close()` removes."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
RABBIT_BIN = Path("/usr/lib/rabbitmq/bin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout}s")


def _tool(bin_dir: Path, name: str) -> str:
    return str(bin_dir / name) if (bin_dir / name).exists() else (shutil.which(name) or name)


def _as_postgres(cmd: list[str], *more: str) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *cmd, *more] if os.geteuid() == 0 else [*cmd, *more]


class ThrowawayPostgres:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="tdkt-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(
            _as_postgres([_tool(PG_BIN, "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]),
            check=True,
            capture_output=True,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        # fsync off: the faults here kill processes, not the machine; committed WAL stays in
        # the page cache, so a kill -9 loses nothing that was acknowledged either way.
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        done = subprocess.run(
            _as_postgres(
                [_tool(PG_BIN, "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log")],
                "-w",
                "-t",
                "60",
                "start",
            ),
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            log = (self.dir / "log").read_text()[-2000:] if (self.dir / "log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stderr!r} {log}")

    def pids(self) -> list[int]:
        pidfile = self.data / "postmaster.pid"
        if not pidfile.exists():
            return []
        main = int(pidfile.read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True).stdout
        return [main, *(int(p) for p in children.split())]

    def kill9(self) -> None:
        """kill -9 of the postmaster and every backend: a crash, recovered from WAL on start."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _wait(lambda: not _listening(self.port), 20, "postgres death")
        time.sleep(0.5)
        # The killed postmaster may linger as a zombie, which makes its pid file look live.
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        (self.dir / f".s.PGSQL.{self.port}.lock").unlink(missing_ok=True)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres([_tool(PG_BIN, "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
                capture_output=True,
                stdin=subprocess.DEVNULL,
            )

    def close(self) -> None:
        try:
            self.stop()
            with contextlib.suppress(Exception):
                self.kill9()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class ThrowawayRabbit:
    """A second RabbitMQ node (own name, ports, mnesia and log dirs, no plugins)."""

    def __init__(self, tag: str) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="tdkt-rmq-"))
        self.node = f"tdkt-test-{tag}@localhost"
        self.port = _free_port()
        self.dist_port = _free_port()
        (self.dir / "rabbitmq.conf").write_text(f"listeners.tcp.1 = 127.0.0.1:{self.port}\n")
        (self.dir / "enabled_plugins").write_text("[].\n")
        (self.dir / "rabbitmq-env.conf").write_text("")
        self.env = {
            **os.environ,
            "HOME": str(self.dir),  # its own Erlang cookie
            "RABBITMQ_CONF_ENV_FILE": str(self.dir / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(self.dir / "rabbitmq.conf"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.dir / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.dir / "log"),
            "RABBITMQ_PID_FILE": str(self.dir / "node.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.dir / "enabled_plugins"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [_tool(RABBIT_BIN, "rabbitmq-server")],
            env=self.env,
            cwd=self.dir,
            stdin=subprocess.DEVNULL,
            stdout=(self.dir / "out").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait(lambda: _listening(self.port) or self.process.poll() is not None, 90, "rabbitmq")  # type: ignore[union-attr]
        if self.process.poll() is not None:
            raise RuntimeError(f"rabbitmq exited: {(self.dir / 'out').read_text()[-2000:]}")

    def _ctl(self, *args: str, timeout: float = 60) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(
                [_tool(RABBIT_BIN, "rabbitmqctl"), "-n", self.node, *args],
                env=self.env,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
            )

    def beam_pid(self) -> int | None:
        pidfile = self.dir / "node.pid"
        with contextlib.suppress(OSError, ValueError):
            return int(pidfile.read_text().strip())
        return None

    def stop(self) -> None:
        """A clean stop (a broker restart's first half)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self._ctl("stop")
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.kill9()
        self.process = None

    def kill9(self) -> None:
        pid = self.beam_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)
            self.process = None
        _wait(lambda: not _listening(self.port), 20, "rabbitmq death")

    def close(self) -> None:
        try:
            self.stop()
        finally:
            if self.process is not None or _listening(self.port):
                with contextlib.suppress(Exception):
                    self.kill9()
            shutil.rmtree(self.dir, ignore_errors=True)
