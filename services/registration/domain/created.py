"""Aggregates created as eventsourcing's `cls(**kwargs)` creates them, without the library's
generic argument handling (a sixth of a list of initiatives, py-spy): the same "created" event,
its fields set in the dataclass's order as its __init__ would set them, and the same aggregate,
built as the event's `mutate` builds it in eventsourcing 9.5 (as Pledge.register does for
pledges). Only for a class whose created event is its decorated __init__, its fields that
method's parameters, and whose id comes from `create_id`: checked when a `Creation` is made
(tests/unit/test_created.py compares both ways)."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, Generic, TypeVar

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

A = TypeVar("A", bound=Aggregate)
BASE_FIELDS = ("originator_id", "originator_version", "timestamp", "originator_topic")


class Creation(Generic[A]):
    """`Creation(Initiative, "Registered")(**kwargs)` is `Initiative(**kwargs)`, keywords only."""

    def __init__(self, cls: type[A], event_name: str) -> None:
        self.cls = cls
        self.event: Any = getattr(cls, event_name)
        self.topic = get_topic(cls)
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        self.names = tuple(p.name for p in params)
        self.defaults = {p.name: p.default for p in params if p.default is not p.empty}
        self.id_names = tuple(inspect.signature(cls.create_id).parameters)
        fields = tuple(f.name for f in dataclasses.fields(self.event))
        plain = all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params)
        if fields != BASE_FIELDS + self.names or not plain or not set(self.id_names) <= set(self.names):
            raise TypeError(f"{cls.__qualname__}.{event_name} is not made from __init__'s parameters")

    def __call__(self, **kwargs: Any) -> A:
        given = {**self.defaults, **kwargs} if self.defaults else kwargs
        try:
            values = {name: given[name] for name in self.names}
        except KeyError as missing:
            raise TypeError(f"{self.cls.__qualname__}() is missing {missing}") from None
        if len(given) != len(values):
            unknown = sorted(given.keys() - values.keys())
            raise TypeError(f"{self.cls.__qualname__}() got unexpected {unknown}")
        cls = self.cls
        ident = cls.create_id(**{name: values[name] for name in self.id_names})
        timestamp = self.event.create_timestamp()
        created = object.__new__(self.event)
        fields = {
            "originator_id": ident,
            "originator_version": cls.INITIAL_VERSION,
            "timestamp": timestamp,
            "originator_topic": self.topic,
        }
        object.__setattr__(created, "__dict__", fields | values)
        aggregate = cls.__new__(cls)
        aggregate.__base_init__(ident, cls.INITIAL_VERSION, timestamp)
        aggregate.__init__(**values)  # type: ignore[misc]  # the method's own body (eventsourcing's descriptor)
        created.apply(aggregate)
        aggregate.pending_events.append(created)
        return aggregate
