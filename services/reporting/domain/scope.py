"""Which facts a report covers: a federation (or the nation), optionally one unit's subtree as
the organisation tree stood on the report's date. A value; how it is read from the read models is
in adapters/report_queries/scope.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Scope:
    federation: str | None  # None: the whole nation
    unit: str | None
    as_of: date
    ancestry: tuple[str, ...] = ()  # `unit`'s codes from the top of the tree, as of `as_of`

    @property
    def unit_depth(self) -> int:
        """How deep `unit` sits: facts are grouped by the level below it."""
        return len(self.ancestry)
