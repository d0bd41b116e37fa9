"""Values a database cannot store: an event holding a NUL (stored by an old deployment, which
PostgreSQL's text and jsonb cannot hold) or an unpaired surrogate is applied again with those
characters replaced by U+FFFD (`storable`), so one event never takes a reader down
(shared.messaging.problems records what was done)."""

from __future__ import annotations

import re
from typing import Any

import asyncpg

# What the database refuses for a value an event holds (a NUL in text or jsonb, an unpaired
# surrogate, a value out of range); `storable` tells whether replacing characters can help.
UNSTORABLE = (asyncpg.exceptions.DataError, UnicodeError)
# What a log's own read model treats as a fault of the event, not of the database: it records
# the event as a problem and goes on (anything else is retried, as a database outage is).
EVENT_FAULTS = (
    *UNSTORABLE,
    asyncpg.exceptions.IntegrityConstraintViolationError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    RuntimeError,
)
REPLACEMENT = "\ufffd"
# PostgreSQL's text holds any character but NUL; UTF-8 cannot encode an unpaired surrogate.
_UNSTORABLE_CHAR = re.compile("[\x00\ud800-\udfff]")


def unstorable_fields(value: Any, where: str = "") -> list[str]:
    """Dotted paths of the strings (or keys) in `value` that hold a character no text column
    can store; [] if none."""
    if isinstance(value, str):
        return [where or "value"] if _UNSTORABLE_CHAR.search(value) else []
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and _UNSTORABLE_CHAR.search(key):
                out.append(f"{where}.<key>" if where else "<key>")
            out += unstorable_fields(item, path)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            out += unstorable_fields(item, f"{where}.{i}" if where else str(i))
    return out


def storable(value: Any) -> Any:
    """`value` (strings, dicts, lists, tuples) with NUL and unpaired surrogates replaced by
    U+FFFD; the same object when there is nothing to replace."""
    if not unstorable_fields(value):
        return value
    return _replaced(value)


def _replaced(value: Any) -> Any:
    if isinstance(value, str):
        return _UNSTORABLE_CHAR.sub(REPLACEMENT, value)
    if isinstance(value, dict):
        return {_replaced(k): _replaced(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_replaced(v) for v in value)
    return value


def storable_event(domain_event: Any) -> Any:
    """A copy of a domain event (an object of attributes) with its unstorable characters
    replaced; the event itself when it has none."""
    attrs = vars(domain_event)
    if not unstorable_fields(attrs):
        return domain_event
    clone = object.__new__(type(domain_event))
    clone.__dict__.update(_replaced(attrs))  # frozen: set past its __setattr__, as copy does
    return clone
