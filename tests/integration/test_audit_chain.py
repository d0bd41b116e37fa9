"""Tamper evidence: editing, deleting, reordering or inserting one stored event row by SQL makes
`verify` fail naming that event; an untouched log verifies, also after concurrent writers."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
from typer.testing import CliRunner

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from shared.ops.cli import cli
from shared.store.audit import verification as audit
from tests.support import Isolation, bearer, in_process

EVENTS = '"registration"."registration_events"'
CHAIN = '"registration"."registration_events_chain"'


async def _seed(isolation: Isolation, count: int, prefix: str = "fed") -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as client:
        # concurrent writers: the table lock keeps the chain in notification order
        answers = await asyncio.gather(
            *(
                client.post(
                    "/v1/federations", json={"code": f"{prefix}-{i}", "name": f"F {i}"}, headers=bearer("*")
                )
                for i in range(count)
            )
        )
        assert all(r.status_code == 201 for r in answers)


def _verify(isolation: Isolation, anchor: tuple[int, str] | None = None) -> audit.Verdict:
    return audit.verify(isolation.database_url, "registration", "registration_events", anchor)


def _tampered(isolation: Isolation, *statements: str) -> audit.Verdict:
    """Apply `statements` as an attacker with table access would, verify, then restore the log."""
    with psycopg.connect(isolation.database_url, autocommit=True) as conn:
        conn.execute(f"CREATE TEMP TABLE e AS SELECT * FROM {EVENTS}")
        conn.execute(f"CREATE TEMP TABLE c AS SELECT * FROM {CHAIN}")
        _triggers(conn, "DISABLE")
        for statement in statements:
            conn.execute(statement.format(events=EVENTS, chain=CHAIN))
        verdict = _verify(isolation)
        conn.execute(f"DELETE FROM {EVENTS}; INSERT INTO {EVENTS} SELECT * FROM e")
        conn.execute(f"DELETE FROM {CHAIN}; INSERT INTO {CHAIN} SELECT * FROM c")
        _triggers(conn, "ENABLE")
    return verdict


def _triggers(conn: psycopg.Connection, how: str) -> None:
    """What a table owner or superuser can do: switch the append-only triggers off."""
    for table in (EVENTS, CHAIN):
        conn.execute(f"ALTER TABLE {table} {how} TRIGGER USER")


TAMPERING: dict[str, tuple[list[str], int]] = {
    "edit the payload": (
        [
            "UPDATE {events} SET state = convert_to(replace(convert_from(state, 'UTF8'), 'F ', 'G '), 'UTF8')"
            " "
            "WHERE notification_id = 3"
        ],
        3,
    ),
    "flip one byte": (
        ["UPDATE {events} SET state = set_byte(state, 0, get_byte(state, 0) # 1) WHERE notification_id = 4"],
        4,
    ),
    "edit the topic": (["UPDATE {events} SET topic = topic || 'x' WHERE notification_id = 2"], 2),
    "edit the version": (["UPDATE {events} SET originator_version = 7 WHERE notification_id = 5"], 5),
    "delete a row": (["DELETE FROM {events} WHERE notification_id = 3"], 3),
    "delete a row and its link": (
        ["DELETE FROM {events} WHERE notification_id = 3", "DELETE FROM {chain} WHERE notification_id = 3"],
        3,
    ),
    "swap two rows": (
        [
            "UPDATE {events} SET notification_id = -2 WHERE notification_id = 2",
            "UPDATE {events} SET notification_id = 2 WHERE notification_id = 4",
            "UPDATE {events} SET notification_id = 4 WHERE notification_id = -2",
        ],
        2,
    ),
    "move a row to the end": (["UPDATE {events} SET notification_id = 100 WHERE notification_id = 2"], 2),
    "insert a forged row": (
        [
            "INSERT INTO {events} (originator_id, originator_version, topic, state, notification_id) "
            "SELECT originator_id, originator_version + 1, topic, state, 50 "
            "FROM {events} WHERE notification_id = 1"
        ],
        50,
    ),
    "rewrite a link": (["UPDATE {chain} SET hash = sha256(hash) WHERE notification_id = 5"], 5),
}


async def test_an_untouched_log_verifies_and_any_single_tampering_is_named(isolation: Isolation) -> None:
    await _seed(isolation, 6)
    clean = _verify(isolation)
    assert clean.ok and clean.checked == clean.head_id == 6, clean

    failures: dict[str, str] = {}
    for name, (statements, expected_at) in TAMPERING.items():
        verdict = _tampered(isolation, *statements)
        if verdict.ok or verdict.broken_at != expected_at:
            failures[name] = f"expected event {expected_at}, got {verdict}"
    assert not failures, failures
    assert _verify(isolation) == clean  # restored


async def test_the_chain_continues_after_restart_and_an_anchor_catches_a_cut_tail(
    isolation: Isolation,
) -> None:
    await _seed(isolation, 3)
    first = _verify(isolation)
    await _seed(isolation, 0)  # a second application start on the same tables
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as client:
        r = await client.post("/v1/federations", json={"code": "late", "name": "L"}, headers=bearer("*"))
        assert r.status_code == 201
    after = _verify(isolation)
    assert after.ok and after.head_id == 4

    # Cutting the tail (event and link) leaves a shorter, self-consistent chain: only an anchor
    # recorded outside the database tells.
    anchor = (after.head_id, after.head_hash)
    assert _verify(isolation, (first.head_id, first.head_hash)).ok
    with psycopg.connect(isolation.database_url, autocommit=True) as conn:
        _triggers(conn, "DISABLE")
        conn.execute(f"DELETE FROM {EVENTS} WHERE notification_id = 4")
        conn.execute(f"DELETE FROM {CHAIN} WHERE notification_id = 4")
    assert _verify(isolation).ok
    cut = _verify(isolation, anchor)
    assert not cut.ok and cut.broken_at == 4


@pytest.mark.parametrize("tamper", [False, True])
async def test_the_cli_exits_nonzero_naming_the_event(
    isolation: Isolation, monkeypatch: pytest.MonkeyPatch, tamper: bool
) -> None:
    await _seed(isolation, 3)
    if tamper:
        with psycopg.connect(isolation.database_url, autocommit=True) as conn:
            _triggers(conn, "DISABLE")
            conn.execute(f"UPDATE {EVENTS} SET state = state || '\\x20'::bytea WHERE notification_id = 2")
    monkeypatch.setenv("TDKT_DATABASE_URL", isolation.database_url)
    out = CliRunner().invoke(cli, ["verify", "--service", "registration"])
    assert out.exit_code == (1 if tamper else 0), out.output
    expected = "TAMPERED at event 2" if tamper else "ok: 3 events verified; head 3:"
    assert expected in out.output


async def test_the_log_and_its_chain_refuse_updates_and_deletes(isolation: Isolation) -> None:
    await _seed(isolation, 2)
    await _seed(isolation, 1, "again")  # creating the triggers again on restart is harmless
    with psycopg.connect(isolation.database_url, autocommit=True) as conn:
        for statement in (
            f"UPDATE {EVENTS} SET topic = 'x' WHERE notification_id = 1",
            f"DELETE FROM {EVENTS} WHERE notification_id = 2",
            f"TRUNCATE {EVENTS}",
            f"UPDATE {CHAIN} SET hash = 'x'",
            f"DELETE FROM {CHAIN}",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
    assert _verify(isolation).ok


async def test_rows_that_bypassed_the_recorder_stay_unsealed_after_later_writes(isolation: Isolation) -> None:
    await _seed(isolation, 4)
    with psycopg.connect(isolation.database_url, autocommit=True) as conn:
        _triggers(conn, "DISABLE")
        # rewrite the last event and drop its link, hoping the next write seals the forgery
        conn.execute(f"UPDATE {EVENTS} SET state = state || '\\x20'::bytea WHERE notification_id = 4")
        conn.execute(f"DELETE FROM {CHAIN} WHERE notification_id = 4")
        _triggers(conn, "ENABLE")
    await _seed(isolation, 1, "later")
    verdict = _verify(isolation)
    assert not verdict.ok and verdict.broken_at == 4, verdict


async def test_a_log_older_than_its_chain_is_sealed_once_by_the_operator(
    isolation: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _seed(isolation, 3)
    with psycopg.connect(isolation.database_url, autocommit=True) as conn:
        _triggers(conn, "DISABLE")
        conn.execute(f"DELETE FROM {CHAIN}")  # as if stored before the chain existed
        _triggers(conn, "ENABLE")
    assert _verify(isolation).broken_at == 1
    monkeypatch.setenv("TDKT_DATABASE_URL", isolation.database_url)
    sealed = CliRunner().invoke(cli, ["seal", "--service", "registration"])
    assert sealed.exit_code == 0 and "sealed 3 events" in sealed.output, sealed.output
    assert _verify(isolation).ok
    again = CliRunner().invoke(cli, ["seal", "--service", "registration"])
    assert again.exit_code == 1 and "already has links" in again.output
