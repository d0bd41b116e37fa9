"""The services' national event feeds as reporting's rebuild reads them (`GET /v1/events?after=`),
page by page, with a national token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from shared.auth.service_account import TokenSource

PAGE = 1000


@dataclass
class Feed:
    """One service's national event feed, read with a national token."""

    name: str
    url: str
    token: str
    position: int = 0
    loaded: int = 0  # the highest sequence a rebuild's bulk load took from this feed
    # Where a fresh token comes from when `token` is empty (a service account's, renewed as it
    # nears expiry: a rebuild outlasts an access token's ten minutes).
    tokens: TokenSource | None = None

    async def page(self, client: httpx.AsyncClient) -> list[dict[str, Any]]:
        token = self.token or (await self.tokens.token(client) if self.tokens is not None else "")
        r = await client.get(
            f"{self.url}/v1/events",
            params={"after": self.position, "limit": PAGE},
            headers={"Authorization": f"Bearer {token}"},
        )
        r.raise_for_status()
        body = orjson.loads(r.content)
        self.position = int(body["next_after"])
        return list(body["events"])
