"""The reads behind reporting's reports: SQL over the read models (adapters/readmodels.py), one
module per report's reads — `scope` (the tree as of a date, and the SQL that resolves a fact to
its unit's path and its federation), `registrations`, `activities`, `history`, `term`. Each
function takes a `Reads` (the pool and the read models' schema) and answers rows; what a report
computes from them is in application/."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class Reads:
    """Where the read models are: the pool and the schema that holds them."""

    pool: asyncpg.Pool
    schema: str
