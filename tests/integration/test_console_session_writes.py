"""Console sessions in PostgreSQL: a page that changes nothing in the session does not write it
again (only its last visit, once a minute), while any change is written at the request's end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
from cryptography.fernet import Fernet

from services.console.adapters.session_store import TABLE, TOUCH_EVERY, PostgresStore, _key
from services.console.application.sessions import new_session
from shared.kernel.settings import ServiceSettings
from shared.store.eventstore import ensure_database
from tests.support import Isolation

DAY = 86_400.0


@pytest.fixture
async def store(isolation: Isolation) -> AsyncIterator[PostgresStore]:
    await asyncio.to_thread(ensure_database, isolation.settings(ServiceSettings))
    sessions = PostgresStore(isolation.database_url, Fernet.generate_key().decode(), DAY, DAY)
    await sessions.start()
    yield sessions
    await sessions.stop()


async def stored(store: PostgresStore, session_id: str) -> tuple[bytes, float]:
    assert store.pool is not None
    row = await store.pool.fetchrow(f"SELECT data, last_seen FROM {TABLE} WHERE key = $1", _key(session_id))
    assert row is not None
    return bytes(row["data"]), row["last_seen"]


async def a_stored_session(store: PostgresStore) -> str:
    session = new_session()
    store.put(session)
    await store.settle(None)
    return session.id


async def test_a_page_that_changes_nothing_does_not_write_the_session(store: PostgresStore) -> None:
    session_id = await a_stored_session(store)
    before = await stored(store, session_id)
    # When a page reads the session and changes nothing in it
    session = await store.load(session_id)
    await store.settle(session)
    # Then the row is as it was (not even re-encrypted)
    assert await stored(store, session_id) == before


async def test_a_page_that_changes_the_session_writes_it(store: PostgresStore) -> None:
    session_id = await a_stored_session(store)
    # When a page leaves a notice in the session
    session = await store.load(session_id)
    assert session is not None
    session.notices.append("Đã lưu.")
    await store.settle(session)
    # Then the next page reads it
    again = await store.load(session_id)
    assert again is not None and again.notices == ["Đã lưu."]


async def test_a_visit_a_minute_after_the_last_write_records_the_time(store: PostgresStore) -> None:
    session_id = await a_stored_session(store)
    _, written = await stored(store, session_id)
    session = await store.load(session_id)
    assert session is not None
    # When the same unchanged session is seen TOUCH_EVERY seconds after it was written
    session.last_seen = written + TOUCH_EVERY
    await store.settle(session)
    # Then its last visit is written, so an idle sign-out counts from it
    assert (await stored(store, session_id))[1] == written + TOUCH_EVERY


async def test_a_failed_write_is_tried_again_by_the_next_page(
    isolation: Isolation, store: PostgresStore
) -> None:
    session_id = await a_stored_session(store)
    session = await store.load(session_id)
    assert session is not None and store.pool is not None
    session.notices.append("Lần một")
    # Given the write of the change fails (its pool closed under it)
    pool, store.pool = store.pool, await asyncpg.create_pool(isolation.database_url, min_size=1, max_size=1)
    await store.pool.close()
    with pytest.raises(asyncpg.InterfaceError):
        await store.settle(session)
    store.pool = pool
    # When the next page settles the same state
    await store.settle(session)
    # Then it is written
    again = await store.load(session_id)
    assert again is not None and again.notices == ["Lần một"]
