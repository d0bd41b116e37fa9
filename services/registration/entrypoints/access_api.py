"""People, role assignments and the product's access tokens (README, "Access").

Federation-scoped routes live under /v1/federations/{federation}/access/… (the gate answers
another federation's 404); the national ones (scope `*`) under /v1/access/…, for national staff.
The token exchange and the key set are public: the exchange's caller proves who it is with the
provider's ID token (or a service account's client secret) in the body."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from services.registration.adapters.id_tokens import IdTokens
from services.registration.adapters.signing_keys import SigningKeys
from services.registration.application import access, access_reads, token_exchange
from services.registration.entrypoints.parts import FED, Limit, app_of, parts_of
from shared.kernel.commands import Date
from shared.kernel.errors import Invalid
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import jsonable
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter(tags=["access"])
ACCESS = "/v1/access"
FED_ACCESS = "/v1" + FED + "/access"


@dataclass
class AccessParts:
    keys: SigningKeys
    id_tokens: IdTokens


def _access(request: Request) -> AccessParts:
    found = parts_of(request).access
    assert found is not None, "registration's access parts are not wired"
    return found  # type: ignore[no-any-return]


# -- the token exchange and the key set ----------------------------------------------------------


class TokenRequest(BaseModel):
    """Either a person's ID token from a trusted provider, or a service account's credentials;
    with `assignment`, the access token for it (else only the assignments to choose from)."""

    id_token: str | None = Field(None, max_length=20_000, description="the ID token the console received")
    client_id: str | None = Field(None, max_length=100, description="a service account's id")
    client_secret: str | None = Field(None, max_length=200)
    assignment: str | None = Field(None, max_length=100, description="the assignment to act under")

    @model_validator(mode="after")
    def one_proof(self) -> TokenRequest:
        if (self.id_token is None) == (self.client_id is None or self.client_secret is None):
            raise ValueError("send either id_token, or client_id and client_secret")
        return self


@router.post(
    ACCESS + "/tokens",
    summary="Exchange a sign-in for a short-lived access token (public: the proof is in the body)",
    description="Verifies the ID token (signature by the provider's keys, issuer among "
    "TDKT_OIDC_PROVIDERS, audience, expiry), finds the person by issuer and subject, or at the "
    "first sign-in links the invitation whose e-mail the provider verified. Answers the person's "
    "assignments in force; with `assignment`, an access token (RS256/EdDSA, `kid`, at most 10 "
    "minutes) with `sub` (the person's id), `scope`, `roles` (every role the person holds at "
    "that place), `assignment`, `iss`, `aud`, `exp`. A revoked assignment is refused, so no new "
    "token follows a revocation. Nothing is stored but a first sign-in's link: a repeated call "
    "issues another token.",
)
async def exchange(body: TokenRequest, request: Request) -> JSONResponse:
    app, parts = app_of(request), _access(request)
    settings = app.settings
    assert isinstance(settings, RegistrationSettings)
    if not (settings.jwt_issuer and settings.jwt_audience):
        raise Invalid("the token service is not configured: set TDKT_JWT_ISSUER and TDKT_JWT_AUDIENCE")
    moment = datetime.now(UTC)

    def find() -> tuple[Any, list[dict[str, Any]], dict[str, Any] | None]:
        if body.id_token is not None:
            who = parts.id_tokens.verify(body.id_token)
            person = token_exchange.person_signing_in(
                app, who.issuer, who.subject, who.email, who.email_verified, request.state.request_id
            )
        else:
            assert body.client_id is not None and body.client_secret is not None
            person = token_exchange.service_account(app, body.client_id, body.client_secret)
        claims = token_exchange.claims_for(app, person, body.assignment, moment) if body.assignment else None
        return person, token_exchange.choices(app, person, moment), claims

    person, choices, claims = await asyncio.to_thread(find)
    out: dict[str, Any] = {
        "person": {"id": str(person.id), "name": person.name, "email": person.email, "kind": person.kind},
        "assignments": choices,
    }
    if claims is not None:
        now = int(time.time())
        life = settings.access_token_seconds
        token = await parts.keys.sign(
            {
                **claims,
                "iss": settings.jwt_issuer,
                "aud": settings.jwt_audience,
                "iat": now,
                "nbf": now,
                "exp": now + life,
                "jti": str(uuid.uuid4()),
            }
        )
        out |= {"access_token": token, "token_type": "Bearer", "expires_in": life, **claims}
    return JSONResponse(jsonable(out), headers={"Cache-Control": "no-store"})


@router.get("/.well-known/jwks.json", summary="The public keys of the product's access tokens (public)")
async def jwks(request: Request) -> JSONResponse:
    """Every key that signs now, will sign soon, or signed a token not yet expired."""
    body = await _access(request).keys.jwks()
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})


# -- people and assignments ----------------------------------------------------------------------


@router.post(FED_ACCESS + "/people", status_code=201, summary="Invite a person or add a service account")
async def invite(
    federation: str, body: access.InvitePerson, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """By e-mail (linked at the first sign-in whose provider verified that e-mail) or by the
    provider's issuer and subject; `unit` for a unit admin's own subtree. Honours Idempotency-Key."""
    app = app_of(request)
    return await execute(app, ctx, lambda c: access.invite(app, c, caller, federation, body))


@router.post(ACCESS + "/people", status_code=201, summary="Invite a person nationally (national admins)")
async def invite_national(
    body: access.InvitePerson, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    app = app_of(request)
    return await execute(app, ctx, lambda c: access.invite(app, c, caller, None, body))


@router.post(
    FED_ACCESS + "/assignments",
    status_code=201,
    summary="Grant a role at the federation or a unit's subtree",
    description="An admin grants within their own scope only (a federation's admin in it, a unit's "
    "admin in its subtree); `reason` is required and kept with who granted it. Honours "
    "Idempotency-Key.",
)
async def grant(
    federation: str, body: access.GrantAccess, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    app = app_of(request)
    return await execute(app, ctx, lambda c: access.grant(app, c, caller, federation, body))


@router.post(ACCESS + "/assignments", status_code=201, summary="Grant a national role (national admins)")
async def grant_national(
    body: access.GrantAccess, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    app = app_of(request)
    return await execute(app, ctx, lambda c: access.grant(app, c, caller, None, body))


@router.post(
    ACCESS + "/assignments/{assignment_id}:revoke",
    summary="Revoke an assignment",
    description="By an admin whose scope covers it; `reason` required. From then on no token is "
    "issued for it, and tokens issued before expire within their life (at most 10 minutes). "
    "Send `If-Match` with the person's ETag to refuse a stale change; honours Idempotency-Key.",
)
async def revoke(
    assignment_id: str, body: access.RevokeAccess, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    app = app_of(request)
    return await execute(app, ctx, lambda c: access.revoke(app, c, caller, assignment_id, body))


@router.post(
    ACCESS + "/people/{person_id}:issue-secret",
    status_code=201,
    summary="Issue a service account's client secret (shown once; the previous one stops working)",
)
async def issue_secret(person_id: str, caller: Caller, ctx: Ctx, request: Request) -> JSONResponse:
    app = app_of(request)
    return await execute(app, ctx, lambda c: access.issue_secret(app, c, caller, person_id))


def _page(items: list[dict[str, Any]], cursor: str | None, limit: int) -> dict[str, Any]:
    start = 0
    if cursor:
        if not cursor.isdigit():
            raise Invalid.on("cursor", "cursor must be a next_cursor this list gave")
        start = int(cursor)
    end = start + limit
    return {"people": items[start:end], "next_cursor": str(end) if end < len(items) else None}


@router.get(FED_ACCESS + "/people", summary="People with their assignments in the federation or a unit")
async def list_people(
    federation: str,
    caller: Caller,
    request: Request,
    unit: Annotated[
        str | None, Query(description="only assignments reaching into this unit's subtree")
    ] = None,
    include_revoked: bool = False,
    cursor: str | None = None,
    limit: Limit = 100,
) -> JSONResponse:
    app = app_of(request)
    found = await asyncio.to_thread(access_reads.people, app, caller, federation, unit, include_revoked)
    return JSONResponse(jsonable(_page(found, cursor, limit)))


@router.get(ACCESS + "/people", summary="People invited or granted access nationally (national scope)")
async def list_national(
    caller: Caller,
    request: Request,
    include_revoked: bool = False,
    cursor: str | None = None,
    limit: Limit = 100,
) -> JSONResponse:
    app = app_of(request)
    found = await asyncio.to_thread(access_reads.people, app, caller, None, None, include_revoked)
    return JSONResponse(jsonable(_page(found, cursor, limit)))


@router.get(ACCESS + "/people/{person_id}", summary="A person with the assignments you may see")
async def person(person_id: str, caller: Caller, request: Request) -> JSONResponse:
    app = app_of(request)
    body = await asyncio.to_thread(access_reads.person_read, app, caller, person_id)
    return JSONResponse(jsonable(body), headers={"ETag": f'"{body["version"]}"'})


@router.get(
    ACCESS + "/people/{person_id}/history",
    summary="A person's access history: every invitation, sign-in link, grant and revocation",
    description="Oldest first, each with who (id and name), when, under which scope and why; "
    "read from the person's events in the tamper-evident log. Admins and auditors; a "
    "federation's see its own part.",
)
async def person_history(person_id: str, caller: Caller, request: Request) -> JSONResponse:
    app = app_of(request)
    return JSONResponse(jsonable(await asyncio.to_thread(access_reads.history, app, caller, person_id)))


Action = Annotated[str, Query(description="an action of the permission table, e.g. decision.issue")]
On = Annotated[Date | None, Query(description="the day asked about; default today")]


@router.get(
    FED_ACCESS + "/who-could",
    summary="Who could do an action in the federation (or a unit) on a day, and who allowed it",
    description="Every assignment in force at some moment of `on` whose role allows `action` and "
    "whose scope reached the place (national ones included), with who granted it and why, and "
    "its revocation if any. Admins and auditors.",
)
async def who_could(
    federation: str,
    caller: Caller,
    request: Request,
    action: Action,
    unit: str | None = None,
    on: On = None,
) -> JSONResponse:
    app = app_of(request)
    day = on or app.today()
    body = await asyncio.to_thread(access_reads.who_could, app, caller, federation, unit, action, day)
    return JSONResponse(jsonable(body))


@router.get(ACCESS + "/who-could", summary="Who could do an action nationally on a day (national scope)")
async def who_could_national(caller: Caller, request: Request, action: Action, on: On = None) -> JSONResponse:
    app = app_of(request)
    day = on or app.today()
    return JSONResponse(
        jsonable(await asyncio.to_thread(access_reads.who_could, app, caller, None, None, action, day))
    )
