"""Aggregates rebuilt from their stored events as eventsourcing 9.5's `mutate` rebuilds them,
without the library's per-event argument handling (its signature lookup and keyword filter took
most of rebuilding a list's histories, py-spy): an event of a method decorated with @event calls
that method with the event's fields the method names, and an aggregate's created event calls its
__base_init__ and __init__ so, each name list derived once per class. An event class that is not
plainly so (its own `mutate` or `apply`) is folded by its own `mutate`
(tests/unit/test_fast_replay.py compares both ways)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

from eventsourcing.domain import (
    Aggregate,
    CanInitAggregate,
    CanMutateAggregate,
    DecoratedFuncCaller,
    OriginatorIDError,
    OriginatorVersionError,
    _init_mentions_id,
    decorated_funcs,
)
from eventsourcing.utils import resolve_topic

Fold = Callable[[Any, Any], Any]
_folds: dict[type, Fold | None] = {}
_inits: dict[type, tuple[frozenset[str], frozenset[str]]] = {}


def fold(events: Iterable[Any]) -> Aggregate | None:
    """The aggregate the events build, in order, as `event.mutate(aggregate)` one by one would."""
    aggregate = None
    for event in events:
        t = type(event)
        try:
            step = _folds[t]
        except KeyError:
            step = _folds[t] = _fold_of(t)
        aggregate = event.mutate(aggregate) if step is None else step(event, aggregate)
    return aggregate


def _fold_of(t: type) -> Fold | None:
    if t._as_dict is not CanMutateAggregate._as_dict:  # type: ignore[attr-defined]
        return None  # the fields the library's filters read are not the event's own
    if t.mutate is CanInitAggregate.mutate:  # type: ignore[attr-defined]
        return _created
    func = decorated_funcs.get(t)
    if (
        func is None
        or not inspect.isfunction(func)
        or t.mutate is not CanMutateAggregate.mutate  # type: ignore[attr-defined]
        or t.apply is not DecoratedFuncCaller.apply  # type: ignore[attr-defined]
    ):
        return None
    after = t.__mro__[t.__mro__.index(DecoratedFuncCaller) + 1 :]
    if [c for c in after if "apply" in c.__dict__][:1] != [CanMutateAggregate]:
        return None  # a base's own `apply`, which DecoratedFuncCaller.apply calls after the method
    names = frozenset(inspect.signature(func).parameters)

    def triggered(event: Any, aggregate: Any) -> Any:
        # CanMutateAggregate.mutate's checks, DecoratedFuncCaller.apply's call, in their order
        assert aggregate is not None
        fields = event.__dict__
        if fields["originator_id"] != aggregate.id:
            raise OriginatorIDError(fields["originator_id"], aggregate.id)
        next_version = aggregate.version + 1
        if fields["originator_version"] != next_version:
            raise OriginatorVersionError(fields["originator_version"], next_version)
        func(aggregate, **{k: v for k, v in fields.items() if k in names})
        aggregate.version = fields["originator_version"]
        aggregate.modified_on = fields["timestamp"]
        return aggregate

    return triggered


def _created(event: Any, aggregate: Any) -> Any:
    """CanInitAggregate.mutate, its two keyword filters' names derived once per aggregate class."""
    assert aggregate is None
    fields = event.__dict__
    cls = resolve_topic(fields["originator_topic"])
    try:
        base_names, init_names = _inits[cls]
    except KeyError:
        base_names = frozenset(inspect.signature(cls.__base_init__).parameters)
        init_names = frozenset(inspect.signature(cls.__init__).parameters)
        _inits[cls] = base_names, init_names
    agg = cls.__new__(cls)
    agg.__base_init__(**{k: v for k, v in fields.items() if k in base_names})
    init_kwargs = {k: v for k, v in fields.items() if k in init_names}
    if cls in _init_mentions_id:
        init_kwargs["id"] = fields["originator_id"]
    agg.__init__(**init_kwargs)
    event.apply(agg)
    return agg
