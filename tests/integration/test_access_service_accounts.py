"""Reporting calls the other services as a service account (issue 15): outside development its lag
watcher and its rebuild exchange the account's client secret at registration's token exchange
for a short-lived product token, instead of minting a development one.

Given the installation's first national admin, a service account `reporting` granted a national
`reader` assignment (what the national feeds need) and issued a client secret; registration over
real HTTP (its token exchange and key set), awards in this process; development mode off."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import jwt
import pytest
from pydantic import SecretStr

from services.reporting.application.lag import LagWatcher
from services.reporting.application.rebuild import rebuild
from services.reporting.entrypoints.cli import _feeds
from shared.auth.service_account import ServiceAccountTokens
from tests.integration.access_stack import ROOT_EMAIL, Stack, access_stack
from tests.support import Isolation

AWARDS = "http://awards.test"


async def _post(client: Any, path: str, body: dict, headers: dict, status: int = 201) -> dict:
    r = await client.post(path, json=body, headers=headers)
    assert r.status_code == status, (path, r.text)
    return r.json()  # type: ignore[no-any-return]


async def given_a_service_account(stack: Stack, role: str = "reader") -> dict[str, Any]:
    root = await stack.as_person("root", ROOT_EMAIL)
    await _post(stack.reg, "/v1/federations", {"code": "bac-kan", "name": "Bắc Kạn"}, root)
    account = await _post(stack.reg, "/v1/access/people", {"name": "reporting", "kind": "service"}, root)
    granted = await _post(
        stack.reg,
        "/v1/access/assignments",
        {"person": account["id"], "role": role, "reason": "reporting's lag watcher reads the feeds"},
        root,
    )
    secret = await _post(stack.reg, f"/v1/access/people/{account['id']}:issue-secret", {}, root)
    return {
        "root": root,
        "id": account["id"],
        "assignment": granted["assignment"]["id"],
        "secret": secret["client_secret"],
    }


def _watcher(
    stack: Stack, client_id: str | None, secret: str | None, assignment: str | None = None
) -> LagWatcher:
    """Reporting's lag watcher with the account configured, watching registration (over HTTP) and
    awards (in this process, at AWARDS)."""
    rt = stack.runtimes["reporting"]
    settings = rt.settings.model_copy(
        update={
            "service_client_id": client_id,
            "service_client_secret": SecretStr(secret) if secret else None,
            "service_client_assignment": assignment,
        }
    )
    watcher = LagWatcher(settings, rt.db)
    watcher.sources = {"tdkt/registration": settings.registration_url, "tdkt/awards": AWARDS}
    return watcher


def _client(stack: Stack) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=30, mounts={AWARDS: stack.awards._transport})


async def test_the_lag_watcher_reads_both_feeds_with_its_service_accounts_exchanged_token(
    isolation: Isolation,
) -> None:
    async with access_stack(isolation) as stack, _client(stack) as client:
        account = await given_a_service_account(stack)
        watcher = _watcher(stack, account["id"], account["secret"])
        # When the watcher refreshes twice
        await watcher.refresh(client)
        first = await watcher.tokens.token(client)
        await watcher.refresh(client)
        # Then both services answered it: registration's feed holds the federation, awards' none
        registration = watcher.state["tdkt/registration"]
        assert "error" not in registration and registration["published"] >= 1, watcher.state
        assert watcher.state["tdkt/awards"] == {"processed": 0, "published": 0, "lag": 0}
        # with a product token of the account's assignment, kept between refreshes
        assert isinstance(watcher.tokens, ServiceAccountTokens)
        claims = jwt.decode(first, options={"verify_signature": False})
        assert (claims["sub"], claims["scope"], claims["roles"], claims["assignment"]) == (
            account["id"],
            "*",
            ["reader"],
            account["assignment"],
        )
        assert jwt.get_unverified_header(first)["alg"] == "RS256"
        assert await watcher.tokens.token(client) == first


async def test_a_revoked_service_account_is_refused_and_the_watcher_says_so_without_its_secret(
    isolation: Isolation, caplog: pytest.LogCaptureFixture
) -> None:
    async with access_stack(isolation) as stack, _client(stack) as client:
        account = await given_a_service_account(stack)
        revoked = await stack.reg.post(
            f"/v1/access/assignments/{account['assignment']}:revoke",
            json={"reason": "the national union's system was retired"},
            headers=account["root"],
        )
        assert revoked.status_code == 200, revoked.text
        watcher = _watcher(stack, account["id"], account["secret"], account["assignment"])
        # When the watcher refreshes (twice: a lasting refusal is logged once)
        with caplog.at_level(logging.WARNING, logger="tdkt.reporting.lag"):
            await watcher.refresh(client)
            await watcher.refresh(client)
        # Then each source says that the exchange refused this account, and why
        for source in ("tdkt/registration", "tdkt/awards"):
            error = watcher.state[source]["error"]
            assert error.startswith(
                f"no token: registration's token exchange refused service account {account['id']}"
            )
            assert "403" in error and "revoked" in error
            assert "lag" not in watcher.state[source]
        warnings = [r.getMessage() for r in caplog.records if account["id"] in r.getMessage()]
        assert len(warnings) == 1 and "revoked" in warnings[0]
        # and the secret is in neither the log nor the health answer
        assert account["secret"] not in caplog.text
        assert account["secret"] not in str(await watcher.health())


async def test_without_a_service_account_outside_development_the_watcher_says_what_to_configure(
    isolation: Isolation,
) -> None:
    async with access_stack(isolation) as stack, _client(stack) as client:
        watcher = _watcher(stack, None, None)
        # When the watcher refreshes
        await watcher.refresh(client)
        # Then it names the settings to set, and calls no service with a development token
        error = watcher.state["tdkt/registration"]["error"]
        assert "TDKT_SERVICE_CLIENT_ID" in error and "TDKT_SERVICE_CLIENT_SECRET" in error


async def test_the_rebuild_reads_the_feeds_with_the_service_accounts_exchanged_token(
    isolation: Isolation,
) -> None:
    async with access_stack(isolation) as stack:
        account = await given_a_service_account(stack, role="auditor")
        rt = stack.runtimes["reporting"]
        settings = rt.settings.model_copy(
            update={"service_client_id": account["id"], "service_client_secret": SecretStr(account["secret"])}
        )
        # When the rebuild CLI's feeds (no --token, no TDKT_FEED_TOKEN) read registration's feed
        feeds = [f for f in _feeds(settings, None) if f.name == "registration"]
        outcome = await rebuild(
            settings.database_url, settings.schema_name, feeds, swap=False, target="sa_check"
        )
        # Then the feed answered the account's token: the federation's events were applied
        assert outcome.applied >= 1 and outcome.positions["registration"] >= 1
        assert isinstance(feeds[0].tokens, ServiceAccountTokens) and feeds[0].token == ""
