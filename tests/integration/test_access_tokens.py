"""Tokens the services trust, and the ones they refuse (issue 15): each refusal is a 401 problem
that says what is wrong, and changes nothing."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth.permissions import ROLES
from shared.auth.tokens import mint
from shared.kernel.settings import ServiceSettings
from tests.integration.access_stack import AUDIENCE, ISSUER, ROOT_EMAIL, Stack, access_stack
from tests.support import SECRET, Isolation

GRANTS = "/v1/federations/bac-kan/grants"


async def _sign(stack: Stack, **changes: Any) -> str:
    """A token signed with registration's own current key, with some claims changed."""
    now = int(time.time())
    claims = {
        "sub": "x",
        "scope": "bac-kan",
        "roles": ["reader"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": now + 300,
    }
    claims |= changes
    return await stack.runtimes["registration"].parts.access.keys.sign(claims)  # type: ignore[no-any-return]


def _edited(token: str, **claims: Any) -> str:
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data |= claims
    edited = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{edited}.{signature}"


async def test_forged_or_stale_tokens_are_refused_by_every_service_with_what_is_wrong(
    isolation: Isolation,
) -> None:
    async with access_stack(isolation) as stack:
        root = (await stack.sign_in("root", ROOT_EMAIL))["access_token"]
        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = int(time.time())
        dev = mint(ServiceSettings(jwt_secret=SECRET), "x", "*", ["admin"])
        cases = {
            "another issuer": (await _sign(stack, iss="https://evil.test"), "Invalid issuer"),
            "another audience": (await _sign(stack, aud="someone-else"), "Audience"),
            "expired": (await _sign(stack, exp=now - 5), "expired"),
            "unknown key": (
                jwt.encode(
                    {"sub": "x", "scope": "*", "roles": ["admin"]}, stranger, "RS256", {"kid": "nope"}
                ),
                "unknown key",
            ),
            "edited scope": (_edited(root, scope="cao-bang"), "Signature verification failed"),
            "the provider's own ID token": (stack.provider.id_token("root", ROOT_EMAIL), "unknown key"),
            "a development HS256 token": (dev, "TDKT_DEVELOPMENT"),
        }
        before = await stack.heads()
        for name, (token, says) in cases.items():
            for client, path in (
                (stack.reg, "/v1/federations"),
                (stack.awards, GRANTS),
                (stack.reporting, "/v1/reports/registrations"),
            ):
                r = await client.get(
                    path, params={"year": 2024}, headers={"Authorization": f"Bearer {token}"}
                )
                assert r.status_code == 401, (name, path, r.text)
                assert says in r.json()["detail"], (name, r.json()["detail"])
        widened = {"Authorization": f"Bearer {_edited(root, scope='*', roles=list(ROLES))}"}
        r = await stack.reg.post("/v1/federations", json={"code": "x", "name": "x"}, headers=widened)
        assert r.status_code == 401, r.text
        assert await stack.heads() == before
        # the real token still works
        assert (
            await stack.awards.get(GRANTS, headers={"Authorization": f"Bearer {root}"})
        ).status_code != 401


ID_TOKEN_CASES = {
    "another issuer": ({"iss": "https://evil.test/realms/x"}, 401, "not a trusted provider"),
    "another audience": ({"aud": "another-client"}, 401, "Audience"),
    "expired": ({"exp": int(time.time()) - 3600}, 401, "expired"),
    "not invited": ({"sub": "nobody", "email": "nobody@x.test"}, 403, "not been invited"),
    "e-mail not verified": ({"sub": "other", "email_verified": False}, 403, "not been invited"),
}


@pytest.mark.parametrize("case", sorted(ID_TOKEN_CASES))
async def test_the_token_exchange_refuses_an_id_token_it_cannot_trust(
    isolation: Isolation, case: str
) -> None:
    async with access_stack(isolation) as stack:
        changes, status, says = ID_TOKEN_CASES[case]
        changes = {**changes, "exp": int(time.time()) - 3600} if case == "expired" else changes
        changes = dict(changes)
        subject, email = changes.pop("sub", "root"), changes.pop("email", ROOT_EMAIL)
        token = stack.provider.id_token(subject, email, **changes)
        r = await stack.exchange(token)
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert says in r.json()["detail"], r.json()


async def test_a_key_rotation_keeps_earlier_tokens_valid_and_the_services_learn_the_new_key(
    isolation: Isolation,
) -> None:
    async with access_stack(isolation) as stack:
        old = (await stack.sign_in("root", ROOT_EMAIL))["access_token"]
        keys = stack.runtimes["registration"].parts.access.keys
        assert (await stack.awards.get(GRANTS, headers={"Authorization": f"Bearer {old}"})).status_code != 401
        # When a new key is made that signs at once (as after a leak: `access_cli rotate --immediately`)
        kid = await keys.rotate(immediately=True)
        keys._loaded = float("-inf")  # this replica reads the table again at once
        new = (await stack.sign_in("root", ROOT_EMAIL))["access_token"]
        # Then new tokens name it, the services fetch it on sight, and the old key still verifies
        assert jwt.get_unverified_header(new)["kid"] == kid != jwt.get_unverified_header(old)["kid"]
        published = [k["kid"] for k in (await stack.reg.get("/.well-known/jwks.json")).json()["keys"]]
        assert kid in published and jwt.get_unverified_header(old)["kid"] in published
        await asyncio.sleep(0.6)  # the services' least time between two fetches in this stack
        for token in (new, old):
            r = await stack.awards.get(GRANTS, headers={"Authorization": f"Bearer {token}"})
            assert r.status_code != 401, r.text
