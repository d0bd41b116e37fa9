"""Issue 21: `make run` on a machine where PostgreSQL and RabbitMQ do not answer and no Docker
engine runs, but their programs are installed, starts private ones with their data under the
project's data folder, keeps the data between runs, and stops them."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import aio_pika
import asyncpg
import pytest

from shared.kernel.settings import ServiceSettings
from shared.ops.launcher import docker_engine, ensure_infrastructure
from shared.ops.private_servers import PrivatePostgres, PrivateRabbit, free_port, listening

installed_and_no_docker = pytest.mark.skipif(
    not (PrivatePostgres.installed() and PrivateRabbit.installed()) or docker_engine(),
    reason="needs PostgreSQL's and RabbitMQ's programs and no Docker engine",
)


def unreachable() -> ServiceSettings:
    return ServiceSettings(
        database_url=f"postgresql://postgres@127.0.0.1:{free_port()}/postgres",
        amqp_url=f"amqp://guest:guest@127.0.0.1:{free_port()}/",
    )


def test_where_nothing_can_start_them_it_says_exactly_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(PrivateRabbit, "installed", classmethod(lambda cls: False))
    monkeypatch.setattr("shared.ops.launcher.docker_engine", lambda: False)
    with pytest.raises(SystemExit) as stopped:
        ensure_infrastructure(unreachable())
    assert "apt-get install -y postgresql rabbitmq-server" in str(stopped.value)
    assert "PostgreSQL and RabbitMQ not reachable" in str(stopped.value)


@installed_and_no_docker
async def test_unreachable_servers_are_started_privately_and_keep_their_data_between_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A folder the postgres user can reach when we are root (pytest's tmp_path is root's alone)
    folder = Path(tempfile.mkdtemp(prefix="tdkt-data-"))
    folder.chmod(0o755)
    try:
        await _two_runs(folder, monkeypatch)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _two_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = unreachable()
    pg_port, amqp_port = (int(urlsplit(u).port or 0) for u in (settings.database_url, settings.amqp_url))
    monkeypatch.setenv("TDKT_DATA_DIR", str(tmp_path))
    started = ensure_infrastructure(settings)
    try:
        assert [type(s) for s in started] == [PrivatePostgres, PrivateRabbit]
        conn = await asyncpg.connect(settings.database_url)
        await conn.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)")
        await conn.close()
        broker = await aio_pika.connect(settings.amqp_url)
        await broker.close()
    finally:
        for server in reversed(started):
            server.stop()
    assert not listening(pg_port) and not listening(amqp_port)
    # The next run finds the data where it left it
    again = ensure_infrastructure(settings)
    try:
        conn = await asyncpg.connect(settings.database_url)
        assert await conn.fetchval("SELECT n FROM kept") == 42
        await conn.close()
    finally:
        for server in reversed(again):
            server.stop()
    assert (tmp_path / "postgresql" / "data" / "PG_VERSION").exists()
