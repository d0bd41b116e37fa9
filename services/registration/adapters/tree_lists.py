"""The set-wise form of the tree's most frequent event (adapters.projection): a list of units
registers thousands at once, and one at a time each cost two statements (its span, and the look
for its parent's later places, `follow_parent`)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from services.registration.adapters.projection import PATH, Batch
from services.registration.adapters.readmodel_tree import unit_registered


async def units_registered(conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
    """Each unit's span, in log order; from the first unit whose parent has a place later than
    the unit's day (registered late under a parent that moved since, or one registered earlier
    in the run from a later day), one at a time as `unit_registered`, which follows the parent
    there. The spans before it open no later place for the parents of the units after them."""
    events = [e for e, _ in run]
    days = [e.effective_on or date.min for e in events]
    first = await conn.fetchval(
        f"SELECT min(u.n) FROM unnest($1::text[], $2::text[], $3::date[]) WITH ORDINALITY "
        "AS u(federation, parent, day, n) WHERE u.parent IS NOT NULL AND EXISTS (SELECT 1 FROM "
        f"{s}.rm_units p WHERE p.code = u.parent AND p.valid_from > u.day AND (p.federation = "
        f"u.federation OR p.federation = (SELECT merged_into FROM {s}.rm_federations WHERE code = "
        "u.federation)))",
        [e.federation for e in events], [e.parent for e in events], days,
    )  # fmt: skip
    cut = len(run) if first is None else int(first) - 1
    earlier: dict[tuple[str, str], date] = {}  # the run's own units, as parents of the ones after
    for i, (e, day) in enumerate(zip(events[:cut], days, strict=False)):
        if e.parent is not None and earlier.get((e.federation, e.parent), date.min) > day:
            cut = i
            break
        earlier[(e.federation, e.code)] = day
    if cut:
        await conn.execute(
            f"INSERT INTO {s}.rm_units (federation, code, name, kind, parent, path, valid_from) "
            f"SELECT federation, code, name, kind, parent, {PATH}, valid_from FROM unnest($1::text[], "
            "$2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[]) WITH ORDINALITY "
            "AS u(federation, code, name, kind, parent, path, valid_from, n) ORDER BY n",
            [e.federation for e in events[:cut]], [e.code for e in events[:cut]],
            [e.name for e in events[:cut]], [e.kind for e in events[:cut]],
            [e.parent for e in events[:cut]], [json.dumps(list(e.ancestry)) for e in events[:cut]],
            days[:cut],
        )  # fmt: skip
    for e, seq in run[cut:]:
        await unit_registered(conn, s, e, seq)


BATCHES: dict[str, tuple[str, Batch]] = {"Unit.Registered": ("unit-registered", units_registered)}
