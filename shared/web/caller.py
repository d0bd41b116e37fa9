"""Who calls: the runtime an app serves, and the principal of a request (admitted by the gate, or
from its bearer token) as the `Caller` dependency every route names."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.auth.principal import Principal
from shared.auth.tokens import verified
from shared.kernel.errors import Unauthorized
from shared.ops.runtime import Runtime


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


async def principal(request: Request) -> Principal:
    # async: a plain `def` dependency would be run in FastAPI's thread pool on every request.
    admitted = getattr(request.state, "principal", None)  # by shared.web.gate, before routing
    if isinstance(admitted, Principal):
        return admitted
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("a bearer token is required")
    rt = runtime(request)
    return await verified(token.strip(), rt.settings, rt.jwks)


Caller = Annotated[Principal, Depends(principal)]
