"""How the routes reach registration's parts (the typed `RegistrationParts` of bootstrap.py,
held by the runtime) and the helpers every group of routes shares: the read model caught up
before a list, a record read and answered, the caller's subtree on reads."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, cast

from fastapi import Query, Request
from fastapi.responses import JSONResponse

from services.registration.adapters.queries import Queries
from services.registration.application.service import RegistrationApplication
from shared.kernel.commands import Date
from shared.kernel.errors import DomainError
from shared.store.eventstore import jsonable
from shared.web import scope_guard
from shared.web.caller import Caller, runtime

if TYPE_CHECKING:  # bootstrap imports the routes
    from services.registration.bootstrap import RegistrationParts

FED = "/federations/{federation}"
Limit = Annotated[int, Query(ge=1, le=1000)]
AsOf = Annotated[Date | None, Query(description="read the tree as it stood on this date; default today")]


def parts_of(request: Request) -> RegistrationParts:
    return cast("RegistrationParts", runtime(request).parts)


def app_of(request: Request) -> RegistrationApplication:
    return parts_of(request).application


async def queries(request: Request) -> Queries:
    """The read model, brought up to the head of the log first, so a read follows the writes."""
    return (await caught_up(request))[0]


async def caught_up(request: Request) -> tuple[Queries, int]:
    """`queries`, and the position of the log the read model had reached: a tree change that
    reads who is in a unit is then stored only if nobody was placed in it after that."""
    parts = parts_of(request)
    return parts.queries, await parts.readmodel.catch_up()


async def read(load: Callable[..., Any], *args: Any) -> JSONResponse:
    """A record of the federation itself (no unit's), loaded by `load` (an application's read)
    from `args`: any token of the federation reads it."""
    aggregate = await asyncio.to_thread(load, *args)
    return JSONResponse(jsonable(aggregate.as_dict()), headers={"ETag": f'"{aggregate.version}"'})


def path_today(app: RegistrationApplication, federation: str, code: str) -> list[str]:
    """Where unit `code` sits in the tree today (its last path if it has ended); in a thread."""
    unit = app.unit(federation, code)
    placed = app.placement(unit, app.today())
    return placed[1] if placed is not None else list(unit.ancestry)


def visible(caller: Caller, federation: str, path: list[str] | tuple[str, ...], missing: DomainError) -> None:
    """A unit-scoped caller reads only inside its subtree; anything else answers `missing`, the
    answer for what does not exist (I5)."""
    if not caller.covers_unit(federation, tuple(path)):
        raise missing


def answer(caller: Caller, federation: str, body: dict, version: int, missing: DomainError) -> JSONResponse:
    """A unit's record, checked as the gate's last line checks it (shared.web.scope_guard), so the gate
    never has to refuse it with an answer of its own."""
    scope_guard.require_inside(body, caller, federation, missing)
    return JSONResponse(jsonable(body), headers={"ETag": f'"{version}"'})


def correction_doc(event: str, what: str) -> str:
    scoped = " A unit-scoped token corrects only inside its subtree." if what != "federation" else ""
    return (
        f"Stores a compensating event (`{event}`, with who, when and why) and leaves the stored "
        "events as they are: for a value an old deployment stored that should never have been (a "
        'NUL, a typo), see README "Recovering from a bad stored value". The reason is `reason` in '
        "the body or the `X-Reason` header. Registration's lists, awards' copy and reporting's read "
        f"models take the new name, and the problems /health counts for the {what} are marked "
        f"resolved. Honours `Idempotency-Key`, and `If-Match` with the {what}'s ETag.{scoped}"
    )
