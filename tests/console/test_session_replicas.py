"""Issue 21: two console replicas with their sessions in PostgreSQL (TDKT_CONSOLE_SESSION_KEY): a
person signed in on one is signed in on the other, and stays so when the first one dies; the
stored session is encrypted (no token readable in the database)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Page

from tests.console.conftest import Stack
from tests.support import ServiceProcess


@pytest.fixture
def replicas(stack: Stack) -> Iterator[list[ServiceProcess]]:
    key = Fernet.generate_key().decode()
    started: list[ServiceProcess] = []
    try:
        for _ in range(2):
            # The stack's console's environment; ServiceProcess gives each a port of its own.
            console = ServiceProcess("console", {**stack.console.env, "TDKT_CONSOLE_SESSION_KEY": key})
            started.append(console.start())
        yield started
    finally:
        for console in started:
            console.stop()


def test_a_person_signed_in_on_one_replica_is_signed_in_on_the_other_after_the_first_dies(
    stack: Stack, page: Page, replicas: list[ServiceProcess]
) -> None:
    first, second = replicas
    page.goto(first.url + "/dang-nhap")
    page.check("input[name=identity][value=federation-staff]")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    assert "Đã đăng nhập" in page.content()
    first.kill()
    page.goto(second.url + "/")  # the same cookie: 127.0.0.1's, whatever the port
    assert page.get_by_role("button", name="Đăng xuất").count() == 1
    with psycopg.connect(stack.isolation.database_url) as conn:
        stored = conn.execute('SELECT data FROM "console".sessions').fetchall()
    assert stored and all(b"Bearer" not in bytes(row[0]) and b"eyJ" not in bytes(row[0]) for row in stored)
