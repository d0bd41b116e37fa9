"""The one shape of registration's read-model projections (adapters.readmodel applies them): each
table module has `HANDLERS`, a table from an event's name (its class's qualified name, as
eventsourcing builds the classes from @event methods) to a handler that applies one event, and for
frequent events `BATCHES`, from an event's name to (run key, a set-wise form that applies a run
of consecutive events of that key with one statement, leaving the tables as the handlers would)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

# (connection, quoted schema, event, its sequence in the log)
Handler = Callable[[Any, str, Any, int], Awaitable[None]]
# (connection, quoted schema, [(event, its sequence)]): a run of consecutive events
Batch = Callable[[Any, str, list[tuple[Any, int]]], Awaitable[None]]
# Paths travel to unnest() as JSON text (a text[][] would have to be rectangular).
PATH = "ARRAY(SELECT jsonb_array_elements_text(u.path::jsonb))"
