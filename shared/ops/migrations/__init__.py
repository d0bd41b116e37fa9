"""Versioned migrations of a service's tables that cannot be rebuilt from its own log (relay and
consumer positions, processed events, dead letters, problems, subscriptions, store epochs, and a
service's own such as files or signing keys). Alembic, plain SQL, one script folder per service
(`services/<service>/adapters/migrations`), the version table (`alembic_version`) in the
service's schema.

Applied at start (shared.ops.runtime), before anything uses the tables, under a session advisory
lock keyed by the schema: replicas starting together wait for the first, which applies each
migration once; the others find the version at head. Read models projected from a log keep
`CREATE … IF NOT EXISTS` (a rebuild recreates them)."""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import asyncpg
import sqlalchemy as sa
from alembic import command, op
from alembic.config import Config
from alembic.script import ScriptDirectory

ENV = Path(__file__).parent  # env.py: runs on the connection that holds the lock
LOCK = "SELECT pg_advisory_lock(hashtextextended('tdkt-migrations:' || :schema, 0))"
UNLOCK = "SELECT pg_advisory_unlock(hashtextextended('tdkt-migrations:' || :schema, 0))"
# Alembic's `op` and `context` are process-wide proxies: two migrations in one process (runtimes
# started together in a test, two schemas) run one after the other. Taken before the advisory lock.
IN_PROCESS = threading.Lock()


@functools.cache
def heads(versions: Path) -> frozenset[str]:
    """The newest revision(s) in `versions` (read once per process)."""
    return frozenset(ScriptDirectory(str(ENV), version_locations=[str(versions)]).get_heads())


async def at_head(db: asyncpg.Pool, schema: str, versions: Path) -> bool:
    """Whether `schema` has every migration of `versions` already: the usual start, which then
    needs no lock and no second connection."""
    try:
        rows = await db.fetch(f'SELECT version_num FROM "{schema}".alembic_version')
    except asyncpg.UndefinedTableError:
        return False
    return {r["version_num"] for r in rows} == heads(versions)


def migrate(database_url: str, schema: str, versions: Path, target: str = "head") -> None:
    """Bring `schema` to `target` with the migrations in `versions` (blocking: run in a thread)."""
    url = sa.make_url(database_url).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with IN_PROCESS:
        _migrate(engine, schema, versions, target)


def _migrate(engine: sa.Engine, schema: str, versions: Path, target: str) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(LOCK), {"schema": schema})
            conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            conn.commit()
            try:
                config = Config()
                config.set_main_option("script_location", str(ENV))
                config.set_main_option("version_locations", str(versions))
                config.attributes.update(connection=conn, schema=schema)
                command.upgrade(config, target)
                conn.commit()
            finally:
                conn.rollback()
                conn.execute(sa.text(UNLOCK), {"schema": schema})
                conn.commit()
    finally:
        engine.dispose()


def schema() -> str:
    """The schema a migration is applied to (inside a migration's `upgrade`)."""
    name = op.get_context().version_table_schema
    assert name, "migrations run with the service's schema as version_table_schema"
    return name


def execute(statements: str, formatted: bool = False) -> None:
    """Run plain SQL (several statements; `{s}` is the schema unless already `formatted`) in the
    migration's transaction. Sent as it is by psycopg (no parameters): `%` and `:` are literal."""
    text = statements if formatted else statements.format(s=schema())
    op.get_bind().connection.driver_connection.execute(text)  # type: ignore[union-attr]
