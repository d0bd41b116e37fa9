"""What every route of awards takes from its request: the service's parts (bootstrap.py's
`AwardsParts`, each by its type), the subjects a command names as registration published them,
and the read of a record placed in a unit's subtree (I5 of docs/guarantees.md)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from services.awards.adapters.index import Index
from services.awards.adapters.index_lists import IndexLists
from services.awards.adapters.registration_facts import RegistrationFacts
from services.awards.application.app import AwardsApplication
from services.awards.application.subjects import Outside, Subjects, unknown_subject
from shared.auth.principal import Principal
from shared.kernel.errors import DomainError
from shared.store.eventstore import jsonable
from shared.web import scope_guard
from shared.web.caller import runtime

FED = "/federations/{federation}"


# The parts bootstrap.py's `setup` placed on the runtime (`AwardsParts`), each by its type;
# bootstrap imports the routes, so the routes do not import it back.


def app_of(request: Request) -> AwardsApplication:
    app: AwardsApplication = runtime(request).parts.application
    return app


def facts_of(request: Request) -> RegistrationFacts:
    """Awards' copy of registration's facts."""
    facts: RegistrationFacts = runtime(request).parts.facts
    return facts


def lists_of(request: Request) -> IndexLists:
    """The lists of awards' own nominations, grants, councils and decisions (its index's)."""
    index: Index = runtime(request).parts.index
    return index.lists


async def subjects(
    request: Request,
    federation: str,
    keys: Sequence[tuple[str, str]],
    as_of: date | None = None,
    members: bool = True,
) -> Subjects:
    """`as_of`: the day whose members count; today if None. `members=False`: for a use case that
    never reads a subject's `members` (they are left empty)."""
    return await facts_of(request).outsides(federation, list(keys), as_of, members)


def year_end(year: int, on: date) -> date:
    """The day a check for `year` made on `on` counts members on: who left after it still counts."""
    return min(on, date(year, 12, 31))


async def read(
    load: Callable[[str, str], Any], federation: str, key: str, caller: Principal, missing: DomainError
) -> JSONResponse:
    """A record placed in a unit's subtree (a grant, a nomination), loaded by `load` (the
    application's read) from the federation and the key: a unit-scoped caller sees
    only its own subtree's, and any other answers `missing`, as one that does not exist (I5).
    The answer carries the placement, so the gate's last line checks it too (shared.web.scope_guard)."""
    aggregate = await asyncio.to_thread(load, federation, key)
    path = list(aggregate.unit_path)
    if not caller.covers_unit(federation, tuple(path)):
        raise missing
    body = {**aggregate.as_dict(), "unit_path": path}
    scope_guard.require_inside(body, caller, federation, missing)
    return JSONResponse(jsonable(body), headers={"ETag": f'"{aggregate.version}"'})


def require_subject(caller: Principal, federation: str, found: Subjects, kind: str, code: str) -> Outside:
    """The subject, if the caller's scope covers it; otherwise it does not exist for them."""
    subject = found.get((kind, code))
    if subject is None or not caller.covers_unit(federation, tuple(subject.unit_path)):
        raise unknown_subject(kind, code, federation)
    return subject


def placed(subject: Outside) -> dict[str, Any]:
    """The subject's unit and placement, carried by an answer about it (for shared.web.scope_guard)."""
    return {"unit": subject.unit, "unit_path": list(subject.unit_path)}
