"""Issue 21: the tables that cannot be rebuilt come from versioned migrations (shared.ops.migrations,
Alembic, version table in the service's schema), applied at start under a lock: a database made
before them is adopted with its rows, replicas starting together apply each migration once, and a
later migration is applied once."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
from pathlib import Path

import asyncpg
import pytest
from cryptography.fernet import Fernet

from services.awards.adapters.migrations import VERSIONS as AWARDS_VERSIONS
from services.awards.adapters.migrations.a0001_baseline import DOSSIER_FILES, REGISTRATION_FACTS
from services.awards.bootstrap import runtime as awards_runtime
from services.console.adapters.session_store import PostgresStore
from services.registration.adapters.migrations.r0001_baseline import AWARD_CATALOGUE, SIGNING_KEYS
from services.registration.bootstrap import runtime as registration_runtime
from shared.kernel.settings import AwardsSettings, RegistrationSettings
from shared.ops.migrations import baseline
from shared.ops.runtime import Runtime
from shared.store.audit.schema import append_only
from shared.store.eventstore import ensure_database
from tests.support import Isolation

AWARDS_HEAD = "a0002"  # the newest of awards' shipped migrations
NOTHING = frozenset[str]()  # neither API nor relay nor consumer: the start (and its migrations) only
CONTENT = b"%PDF-1.4 to bang khen"
SHA = hashlib.sha256(CONTENT).hexdigest()

# A later change's migration: a column for dead letters and a marker row, in a step of its own.
LATER = """from shared.ops.migrations import execute

revision = "a9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute(
        'ALTER TABLE "{s}".dead_letters ADD COLUMN replayed_at timestamptz; '
        'CREATE TABLE "{s}".migration_marker (applied_at timestamptz NOT NULL DEFAULT now()); '
        'INSERT INTO "{s}".migration_marker DEFAULT VALUES'
    )
"""


def with_later(tmp_path: Path) -> Path:
    """Awards' migrations plus LATER, in a folder of the test's own."""
    for shipped in AWARDS_VERSIONS.glob("a[0-9]*.py"):
        shutil.copy(shipped, tmp_path / shipped.name)
    (tmp_path / "a9999_later.py").write_text(LATER.replace("{head}", AWARDS_HEAD))
    return tmp_path


async def started_and_stopped(*runtimes: Runtime) -> None:
    await asyncio.gather(*(rt.start() for rt in runtimes))
    for rt in runtimes:
        await rt.stop()


async def versions(conn: asyncpg.Connection, schema: str) -> list[str]:
    return [r["version_num"] for r in await conn.fetch(f'SELECT version_num FROM "{schema}".alembic_version')]


async def make_as_before(conn: asyncpg.Connection, awards: str, registration: str) -> None:
    """The tables as the code before migrations created them at start, with rows in them."""
    for schema, sql in (
        (awards, baseline.SHARED + REGISTRATION_FACTS + DOSSIER_FILES),
        (registration, baseline.SHARED + AWARD_CATALOGUE + SIGNING_KEYS),
    ):
        await conn.execute(sql.format(s=schema))
        await conn.execute(
            f'INSERT INTO "{schema}".processed_events (consumer, event_id, source, sequence) '
            "VALUES ('c', gen_random_uuid(), 'tdkt/x', 4)"
        )
        await conn.execute(
            f'INSERT INTO "{schema}".subscriptions (federation, name, event_types, bindings, queue, '
            "dead_letter_queue, max_deliveries, created_by) "
            "VALUES ('bac-kan', 'kho', '{a}', '{b}', 'q', 'dq', 5, 'u')"
        )
    for statement in append_only(awards, "dossier_files"):
        await conn.execute(statement.as_string())
    await conn.execute(
        f'INSERT INTO "{awards}".dossier_files (sha256, size, content) VALUES ($1, $2, $3)',
        SHA,
        len(CONTENT),
        CONTENT,
    )
    await conn.execute(
        f'INSERT INTO "{awards}".subjects (federation, kind, code, name, unit, unit_path) '
        "VALUES ('bac-kan', 'unit', 'cd-1', 'CĐCS 1', 'cd-1', '{cd-1}')"
    )
    await conn.execute(
        f'INSERT INTO "{registration}".award_catalogue (federation, code, subjects, names) '
        """VALUES ('bac-kan', 'bk-1', 'unit', '[]')"""
    )


async def test_given_a_database_made_before_migrations_when_the_services_start_then_rows_are_kept_at_head(
    isolation: Isolation,
) -> None:
    awards = awards_runtime(isolation.settings(AwardsSettings), NOTHING)
    registration = registration_runtime(isolation.settings(RegistrationSettings), NOTHING)
    a, r = awards.settings.schema_name, registration.settings.schema_name
    await asyncio.to_thread(ensure_database, awards.settings)
    await asyncio.to_thread(ensure_database, registration.settings)
    conn = await asyncpg.connect(isolation.database_url)
    try:
        await make_as_before(conn, a, r)
        # When both services start on it
        await started_and_stopped(awards, registration)
        # Then the version tables are at head and every row is there
        assert await versions(conn, a) == [AWARDS_HEAD]
        assert await versions(conn, r) == ["r0001"]
        for schema in (a, r):
            assert await conn.fetchval(f'SELECT count(*) FROM "{schema}".processed_events') == 1
            assert await conn.fetchval(f'SELECT name FROM "{schema}".subscriptions') == "kho"
        kept = await conn.fetchval(f'SELECT content FROM "{a}".dossier_files WHERE sha256 = $1', SHA)
        assert kept == CONTENT
        assert await conn.fetchval(f'SELECT name FROM "{a}".subjects') == "CĐCS 1"
        assert await conn.fetchval(f'SELECT code FROM "{r}".award_catalogue') == "bk-1"
        # and the files are still append-only
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await conn.execute(f'DELETE FROM "{a}".dossier_files')
    finally:
        await conn.close()


async def test_given_an_empty_schema_when_two_replicas_start_together_then_each_migration_runs_once(
    isolation: Isolation, tmp_path: Path
) -> None:
    replicas = [awards_runtime(isolation.settings(AwardsSettings), NOTHING) for _ in range(2)]
    for rt in replicas:
        rt.migrations = with_later(tmp_path)
    # When two replicas start at the same moment (LATER would fail a second time: no IF NOT EXISTS)
    await started_and_stopped(*replicas)
    # Then both started, and the migrations ran once
    conn = await asyncpg.connect(isolation.database_url)
    try:
        schema = replicas[0].settings.schema_name
        assert await versions(conn, schema) == ["a9999"]
        assert await conn.fetchval(f'SELECT count(*) FROM "{schema}".migration_marker') == 1
    finally:
        await conn.close()


async def test_given_a_schema_at_the_baseline_when_a_later_migration_ships_then_it_is_applied_once(
    isolation: Isolation, tmp_path: Path
) -> None:
    # Given awards started with today's migrations, with a dead letter recorded
    await started_and_stopped(awards_runtime(isolation.settings(AwardsSettings), NOTHING))
    conn = await asyncpg.connect(isolation.database_url)
    try:
        schema = isolation.settings(AwardsSettings).schema_name
        assert await versions(conn, schema) == [AWARDS_HEAD]
        await conn.execute(
            f'INSERT INTO "{schema}".dead_letters (consumer, event_id, attempts, error, envelope) '
            "VALUES ('c', 'e-1', 5, 'boom', '{}')"
        )
        # When a release with a later migration starts, twice in turn
        for _ in range(2):
            later = awards_runtime(isolation.settings(AwardsSettings), NOTHING)
            later.migrations = with_later(tmp_path)
            await started_and_stopped(later)
        # Then it was applied once, to the rows already there
        assert await versions(conn, schema) == ["a9999"]
        assert await conn.fetchval(f'SELECT count(*) FROM "{schema}".migration_marker') == 1
        kept = await conn.fetchval(f'SELECT error FROM "{schema}".dead_letters WHERE replayed_at IS NULL')
        assert kept == "boom"
    finally:
        await conn.close()


async def test_given_two_console_replicas_keeping_sessions_when_they_start_together_then_both_start_at_head(
    isolation: Isolation,
) -> None:
    await asyncio.to_thread(ensure_database, isolation.settings(RegistrationSettings))  # the database
    key = Fernet.generate_key().decode()
    stores = [PostgresStore(isolation.database_url, key, idle=60, longest=600) for _ in range(2)]
    # When both start at once
    await asyncio.gather(*(s.start() for s in stores))
    for store in stores:
        await store.stop()
    # Then the sessions table is there, made once
    conn = await asyncpg.connect(isolation.database_url)
    try:
        assert await versions(conn, "console") == ["c0001"]
        assert await conn.fetchval("SELECT count(*) FROM console.sessions") == 0
    finally:
        await conn.close()
