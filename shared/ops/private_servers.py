"""PostgreSQL and RabbitMQ of the project's own, for `make run` on a machine where neither answers
and no Docker engine runs but their server programs are installed: each keeps its data under the
project's `.data/` folder between runs, listens on the port the settings name (127.0.0.1 only)
and is stopped when `make run` stops."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
RABBIT_BIN = Path("/usr/lib/rabbitmq/bin")


def listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(ready: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


def _pg_tool(name: str) -> str | None:
    for folder in PG_BINS:
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: as the `postgres` user when we are root."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PrivatePostgres:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.data = folder / "data"

    @staticmethod
    def installed() -> bool:
        return _pg_tool("initdb") is not None and _pg_tool("pg_ctl") is not None

    def start(self) -> None:
        """Creates the cluster on the first run (user postgres, trust on 127.0.0.1), then starts it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            if subprocess.run(_as_postgres(["test", "-w", str(self.folder)])).returncode != 0:
                raise RuntimeError(
                    f"the postgres user cannot reach {self.folder}: set TDKT_DATA_DIR to a folder it can"
                )
        if not (self.data / "PG_VERSION").exists():
            initdb = [str(_pg_tool("initdb")), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
            subprocess.run(_as_postgres([*initdb, "-E", "UTF8"]), check=True, capture_output=True)
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = str(self.folder / "log")
        ctl = [str(_pg_tool("pg_ctl")), "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "60"]
        ctl.append("start")
        done = subprocess.run(_as_postgres(ctl), capture_output=True, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start (see {log}): {done.stderr.decode()[-500:]}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            ctl = [str(_pg_tool("pg_ctl")), "-D", str(self.data), "-m", "fast", "-w", "stop"]
            subprocess.run(_as_postgres(ctl), capture_output=True, stdin=subprocess.DEVNULL)


class PrivateRabbit:
    """A RabbitMQ node of its own name, data and log folders, no plugins."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.process: subprocess.Popen[bytes] | None = None
        # Erlang distribution: RabbitMQ's usual AMQP port + 20000, or a free one.
        dist = port + 20000 if port + 20000 < 65536 and not listening(port + 20000) else free_port()
        self.env = {
            **os.environ,
            "HOME": str(folder),  # its own Erlang cookie
            "RABBITMQ_NODENAME": "tdkt-private@localhost",
            "RABBITMQ_NODE_PORT": str(port),
            "RABBITMQ_DIST_PORT": str(dist),
            "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(folder / "log"),
            "RABBITMQ_PID_FILE": str(folder / "node.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "enabled_plugins"),
            "RABBITMQ_CONF_ENV_FILE": str(folder / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq.conf"),  # not the system's
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }

    @staticmethod
    def _tool(name: str) -> str | None:
        return str(RABBIT_BIN / name) if (RABBIT_BIN / name).exists() else shutil.which(name)

    @classmethod
    def installed(cls) -> bool:
        return cls._tool("rabbitmq-server") is not None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "enabled_plugins").write_text("[].\n")
        (self.folder / "rabbitmq-env.conf").write_text("")
        (self.folder / "rabbitmq.conf").write_text(f"listeners.tcp.1 = 127.0.0.1:{self.port}\n")
        self.process = subprocess.Popen(
            [str(self._tool("rabbitmq-server"))],
            env=self.env,
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=(self.folder / "out").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in `make run` reaches us, not the broker
        )
        process = self.process
        _wait(lambda: listening(self.port) or process.poll() is not None, 120, "RabbitMQ")
        if process.poll() is not None:
            raise RuntimeError(f"RabbitMQ exited (see {self.folder / 'out'})")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        ctl = self._tool("rabbitmqctl")
        if ctl:
            node = self.env["RABBITMQ_NODENAME"]
            subprocess.run([ctl, "-n", node, "stop"], env=self.env, capture_output=True)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
