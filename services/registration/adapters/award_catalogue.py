"""Registration's copy of each federation's own awards, as awards publishes them
(`award-defined`, `award-amended`, `award-retired`): the code, who it is for, its names by the
date each took effect and its last day in force, so a movement opens any award in force and a
pledge names the award as it was the day pledged. Filled by the consumer of `*.awards.award-*`
(routing keys below); the defaults of shared.kernel.catalogue need no copy. Registration never
reads awards' tables."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from shared.kernel.catalogue import BY_CODE

KEPT_SECONDS = 2.0  # as stale as the copy may be anyway: awards' events arrive after a moment
BINDINGS = ("*.awards.award-defined", "*.awards.award-amended", "*.awards.award-retired")
# The table `award_catalogue` is created by registration's migrations (adapters/migrations).


@dataclass(frozen=True)
class KnownAward:
    code: str
    subjects: str
    names: tuple[tuple[date | None, str], ...]  # (in force from, name), in date order
    effective_until: date | None = None

    def admits(self, subject_kind: str) -> bool:
        return self.subjects == "both" or self.subjects == subject_kind

    def name_on(self, on: date) -> str | None:
        """Its name on `on`; None if it was not in force that day."""
        if self.effective_until is not None and on > self.effective_until:
            return None
        then = [name for since, name in self.names if since is None or since <= on]
        return then[-1] if then else None

    def in_force_during(self, year: int) -> bool:
        first = self.names[0][0]
        return (first is None or first.year <= year) and (
            self.effective_until is None or self.effective_until.year >= year
        )


DEFAULTS = {code: KnownAward(code, a.subjects, ((None, a.name),)) for code, a in BY_CODE.items()}


def handler(schema: str) -> Any:
    """The consumer's handler: one awards event applied to the copy (others are ignored)."""

    async def handle(conn: asyncpg.Connection, envelope: dict[str, Any]) -> None:
        name, data = envelope["type"].split(".")[2], envelope["data"]
        key = (data["federation"], data["code"])
        if name == "award-defined":
            names = json.dumps([[data.get("effective_from"), data["name"]]])
            await conn.execute(
                f'INSERT INTO "{schema}".award_catalogue (federation, code, subjects, names) '
                "VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT DO NOTHING",
                *key, data["subjects"], names,
            )  # fmt: skip
        elif name == "award-amended" and "name" in data["changes"]:
            since = json.dumps([[data["effective_from"], data["changes"]["name"]]])
            await conn.execute(
                f'UPDATE "{schema}".award_catalogue SET names = names || $3::jsonb '
                "WHERE federation = $1 AND code = $2",
                *key, since,
            )  # fmt: skip
        elif name == "award-retired":
            await conn.execute(
                f'UPDATE "{schema}".award_catalogue SET effective_until = $3 '
                "WHERE federation = $1 AND code = $2",
                *key, date.fromisoformat(data["effective_until"]),
            )  # fmt: skip

    return handle


class KnownAwards:
    """Reads of the copy for the application's commands, through its PostgreSQL datastore
    (None: the in-memory store of unit tests, which knows the defaults only)."""

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore
        # a list's rows name the same few awards: each read once a few seconds, not once a row
        self.recent: dict[tuple[str, str], tuple[float, KnownAward | None]] = {}

    def find(self, federation: str, code: str) -> KnownAward | None:
        if code in DEFAULTS:
            return DEFAULTS[code]
        if self.datastore is None:
            return None
        key, now = (federation, code), time.monotonic()
        kept = self.recent.get(key)
        if kept is not None and now - kept[0] < KEPT_SECONDS:
            return kept[1]
        if len(self.recent) > 10_000:
            self.recent.clear()
        found = self._read(federation, code)
        self.recent[key] = (now, found)
        return found

    def _read(self, federation: str, code: str) -> KnownAward | None:
        query = (
            f'SELECT subjects, names, effective_until FROM "{self.datastore.schema}".award_catalogue '
            "WHERE federation = %s AND code = %s"
        )
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(query, [federation, code])
            row = cursor.fetchone()
        if row is None:
            return None
        subjects, names, until = _values(row)
        dated = tuple((date.fromisoformat(s) if s else None, n) for s, n in names)
        return KnownAward(code, subjects, tuple(sorted(dated, key=_since)), until)


def _values(row: Any) -> tuple[str, list, date | None]:
    if isinstance(row, dict):
        return row["subjects"], row["names"], row["effective_until"]
    return row[0], row[1], row[2]


def _since(version: tuple[date | None, str]) -> date:
    return version[0] or date.min
