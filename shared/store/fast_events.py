"""Aggregates created and changed as eventsourcing 9.5 creates and changes them, without the
library's generic argument handling (a sixth of a list of initiatives, a tenth of a list of
nominations, py-spy), as Pledge.register does for pledges: the same events, their fields set in
the dataclass's order as their __init__ would set them, and the same aggregate, as the events'
`mutate` builds or changes it. `Creation`: `cls(**kwargs)`, for a class whose created event is its
decorated __init__ and whose id comes from `create_id`; `Triggering`: a method decorated with
@event, called with keywords. Each checks when made that the classes are so (tests/unit/
test_fast_events.py and test_shared_fast_events.py compare both ways, for each class using them)."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, Generic, TypeVar

from eventsourcing.domain import Aggregate, CanMutateAggregate, CommandMethodDecorator, DecoratedFuncCaller
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
        values = kwargs if tuple(kwargs) == self.names else self._ordered(kwargs)  # a list's rows: in order
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

    def _ordered(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The arguments in __init__'s order, defaults filled in; TypeError as __init__ would."""
        given = {**self.defaults, **kwargs} if self.defaults else kwargs
        try:
            values = {name: given[name] for name in self.names}
        except KeyError as missing:
            raise TypeError(f"{self.cls.__qualname__}() is missing {missing}") from None
        if len(given) != len(values):
            unknown = sorted(given.keys() - values.keys())
            raise TypeError(f"{self.cls.__qualname__}() got unexpected {unknown}")
        return values


class Triggering(Generic[A]):
    """`Triggering(Initiative, "_recognised", "Recognised")(initiative, **kwargs)` is
    `initiative._recognised(**kwargs)`, keywords only."""

    def __init__(self, cls: type[A], method: str, event_name: str) -> None:
        decorator = cls.__dict__.get(method)
        self.event: Any = getattr(cls, event_name)
        if not isinstance(decorator, CommandMethodDecorator) or decorator.decorated_property:
            raise TypeError(f"{cls.__qualname__}.{method} is not a method decorated with @event")
        self.body = decorator.decorated_func
        params = list(inspect.signature(self.body).parameters.values())[1:]
        self.names = tuple(p.name for p in params)
        fields = tuple(f.name for f in dataclasses.fields(self.event))
        plain = all(p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty for p in params)
        after = self.event.__mro__[self.event.__mro__.index(DecoratedFuncCaller) + 1 :]
        applies = [c for c in after if "apply" in c.__dict__]
        if (
            fields != BASE_FIELDS[:3] + self.names
            or not plain
            or self.event.apply is not DecoratedFuncCaller.apply
            or self.event.mutate is not CanMutateAggregate.mutate
            or applies[:1] != [CanMutateAggregate]
        ):
            raise TypeError(f"{cls.__qualname__}.{event_name} is not made from {method}'s parameters")
        self.name = f"{cls.__qualname__}.{method}"

    def __call__(self, aggregate: A, **kwargs: Any) -> None:
        try:
            values = {name: kwargs[name] for name in self.names}
        except KeyError as missing:
            raise TypeError(f"{self.name}() is missing {missing}") from None
        if len(kwargs) != len(values):
            raise TypeError(f"{self.name}() got unexpected {sorted(kwargs.keys() - values.keys())}")
        version = aggregate.version + 1
        timestamp = self.event.create_timestamp()
        triggered = object.__new__(self.event)
        fields = {"originator_id": aggregate.id, "originator_version": version, "timestamp": timestamp}
        object.__setattr__(triggered, "__dict__", fields | values)
        self.body(aggregate, **values)  # what the event's `apply` calls
        aggregate.version = version
        aggregate.modified_on = timestamp
        aggregate.pending_events.append(triggered)
