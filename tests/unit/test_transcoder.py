"""FastJSONTranscoder (orjson) against the library's JSONTranscoder (stdlib json): every event of
every service, and awkward values, read back exactly as the stdlib path reads them, types included."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json
import math
import pkgutil
import random
import struct
import types
import typing
from collections import namedtuple
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    Transcoder,
    UUIDAsHex,
)

import shared.store.eventstore
from services.registration.application.service import RegistrationApplication
from shared.kernel.settings import RegistrationSettings
from shared.store.transcoder import DateAsISO, FastJSONTranscoder

Point = namedtuple("Point", "x y")


class Colour(enum.Enum):
    RED = "red"


class Code(str):
    pass


def _transcoder(cls: type[JSONTranscoder]) -> JSONTranscoder:
    t = cls()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        t.register(transcoding)
    return t


def reference() -> JSONTranscoder:
    return _transcoder(JSONTranscoder)


def fast() -> FastJSONTranscoder:
    t = _transcoder(FastJSONTranscoder)
    assert isinstance(t, FastJSONTranscoder)
    return t


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (a tuple is not a list, 1 is not 1.0,
    -0.0 is not 0.0, a UUID is not its string); NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a):
            return math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, datetime):
        return a == b and a.tzinfo == b.tzinfo and a.utcoffset() == b.utcoffset()
    return bool(a == b)


def outcome(transcoder: Transcoder, decoder: Transcoder, value: Any) -> tuple[str, Any]:
    """What storing `value` with `transcoder` and reading it with `decoder` gives: the value
    read back, or the error raised on the way."""
    try:
        data = transcoder.encode(value)
    except Exception as exc:
        return "encode-error", type(exc)
    try:
        return "ok", decoder.decode(data)
    except Exception as exc:
        return "decode-error", type(exc)


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def assert_same_outcome(value: Any) -> None:
    ref = reference()
    expected = outcome(ref, ref, value)
    got = outcome(fast(), ref, value)
    assert got[0] == expected[0], (value, got, expected)
    if expected[0] == "ok":
        assert same(got[1], expected[1]), (value, got, expected)
    else:
        assert got[1] is expected[1] or issubclass(got[1], expected[1]), (value, got, expected)


# -- every event class of the three services ---------------------------------------------------

SAFE_EXTRAS: dict[str, Any] = {
    "on": date(2024, 2, 29),
    "at": datetime(2025, 7, 1, 8, 30, 0, 123456, tzinfo=UTC),
    "at_plus7": datetime(2025, 7, 1, 8, 30, tzinfo=timezone(timedelta(hours=7))),
    "naive": datetime(2025, 7, 1, 8, 30),
    "amount": Decimal("12.50"),
    "tiny": Decimal("-0.000001"),
    "pair": (1, "a", (date(2020, 1, 1), None)),
    "nested": [{"d": date(1999, 12, 31), "t": (Decimal("1.0"),)}, [], {}],
    "float": 2.5,
    "neg_zero": -0.0,
    "huge_float": 1.7976931348623157e308,
    "small_float": 5e-324,
    "u64": 2**64 - 1,
    "i64": -(2**63),
    "looks_tagged": {"_type_": "date_iso", "_data_": "2020-01-02"},
    "half_tag": {"_type_": "nothing", "x": 1},
    "none": None,
    "bool": False,
    "text": 'Nguyễn Văn Ấn \u0000\n\t"\\/ \u2028\u2029 \U0001f3c6',
    "not_nfc": "Nguye\u0303n",
}
RICH_EXTRAS: dict[str, Any] = {**SAFE_EXTRAS, "id": uuid4(), "ids": [uuid4(), (uuid4(),)]}


def _domain_modules() -> list[types.ModuleType]:
    out = [shared.store.eventstore]
    for service in ("registration", "awards", "reporting"):
        package = importlib.import_module(f"services.{service}.domain")
        for info in pkgutil.iter_modules(package.__path__):
            out.append(importlib.import_module(f"services.{service}.domain.{info.name}"))
    importlib.import_module("services.registration.adapters.activity_lists")
    return out


def _event_classes() -> list[type]:
    modules = {m.__name__ for m in _domain_modules()}
    seen: dict[str, type] = {}
    todo = list(DomainEvent.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__ in modules or cls.__module__.startswith("services."):
            seen[f"{cls.__module__}:{cls.__qualname__}"] = cls
    return [seen[k] for k in sorted(seen)]


EVENT_CLASSES = _event_classes()


def _value(hint: Any, extras: dict[str, Any]) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _value(next(a for a in args if a is not type(None)), extras)
    if hint is Any or hint is dict or origin is dict:
        return dict(extras)
    if hint is list or origin in (list, typing.Sequence):
        inner = args[0] if args else Any
        return [_value(inner, extras), _value(inner, extras)]
    if hint is tuple or origin is tuple:
        return tuple(_value(a, extras) for a in args if a is not Ellipsis) or (1, "x")
    simple = {
        str: 'Đoàn viên "A"\n',
        int: 2026,
        float: 0.1,
        bool: True,
        date: date(2025, 7, 1),
        datetime: datetime(2025, 7, 1, 1, 2, 3, 4, tzinfo=UTC),
        Decimal: Decimal("3.14"),
        UUID: uuid4(),
    }
    if hint in simple:
        return simple[hint]
    return dict(extras)


def _instance(cls: type, extras: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name == "originator_id":
            kwargs[f.name] = uuid4()
        elif f.name == "originator_version":
            kwargs[f.name] = 7
        elif f.name == "timestamp":
            kwargs[f.name] = datetime(2026, 11, 23, 23, 59, 59, 999999, tzinfo=UTC)
        elif f.name == "originator_topic":
            kwargs[f.name] = "services.registration.domain.pledges:Pledge"
        else:
            kwargs[f.name] = _value(hints.get(f.name, Any), extras)
    return cls(**kwargs)


def test_every_service_has_its_events_here() -> None:
    modules = {cls.__module__ for cls in EVENT_CLASSES}
    for name in (
        "services.registration.domain.pledges",
        "services.registration.domain.members",
        "services.registration.domain.organisation",
        "services.awards.domain.grants",
        "shared.store.eventstore",
    ):
        assert name in modules
    assert len(EVENT_CLASSES) > 40


@pytest.mark.parametrize("extras", [SAFE_EXTRAS, RICH_EXTRAS], ids=["safe", "with-uuids"])
@pytest.mark.parametrize(
    "cls", EVENT_CLASSES, ids=lambda c: f"{c.__module__.split('.')[-1]}.{c.__qualname__}"
)
def test_every_event_reads_back_as_with_the_stdlib(cls: type, extras: dict[str, Any]) -> None:
    event = _instance(cls, extras)
    old, new = Mapper(transcoder=reference()), Mapper(transcoder=fast())
    written_new = new.to_stored_event(event)
    written_old = old.to_stored_event(event)
    expected = old.to_domain_event(written_old)
    # Written by the new transcoder, read by either; written by the old one (stored events), read by the new.
    for got in (
        old.to_domain_event(written_new),
        new.to_domain_event(written_new),
        new.to_domain_event(written_old),
    ):
        assert type(got) is type(expected)
        assert same(got.__dict__, expected.__dict__)
    # The events as they were built, apart from what JSON has no type for (tuples read as lists).
    assert new.to_domain_event(written_new).__dict__.keys() == event.__dict__.keys()
    if extras is SAFE_EXTRAS:
        state = {k: v for k, v in vars(event).items() if k not in ("originator_id", "originator_version")}
        assert fast()._plain(state, 0)  # the orjson path was the one tested


def test_an_events_own_values_survive_exactly() -> None:
    state = {
        "timestamp": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "on": date(2026, 1, 2),
        "amount": Decimal("1.10"),
        "meta": {"actor": "a", "reason": "lý do"},
        "path": ["a", "b"],
        "year": 2026,
        "score": 9.75,
    }
    back = fast().decode(fast().encode(state))
    assert same(back, state)


@pytest.mark.parametrize(
    "value",
    [
        {"id": uuid4()},
        {"colour": Colour.RED},
        {"nan": float("nan")},
        {"inf": [float("inf")]},
        {"-inf": {"x": -math.inf}},
        {1: "int key"},
        {"nested": {2.5: "float key", None: "none key", True: "bool key"}},
        {"big": 2**70},
        {"negative big": -(2**64)},
        {"point": Point(1, date(2020, 1, 1))},
        {"code": Code("str subclass")},
        {"surrogate": "\ud800"},
        {"bytes": b"x"},
        {"set": {1, 2}},
        {"time": datetime(2020, 1, 1).time()},
        {"tuple key": {(1, 2): 3}},
        {"deep": _nested(80)},
        [date(2020, 1, 1), (Decimal("1"),)],
        "a string",
        None,
    ],
)
def test_awkward_values_behave_as_with_the_stdlib(value: Any) -> None:
    assert_same_outcome(value)


def test_circular_values_fail_as_with_the_stdlib() -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    assert_same_outcome(loop)


def test_random_values_behave_as_with_the_stdlib() -> None:
    rng = random.Random(2026)
    leaves: list[Any] = [
        lambda: rng.choice(["", "a", "Đ", "\u0000", "\\", '"', "\u2028", "x" * 50]),
        lambda: rng.randint(-(2**70), 2**70) if rng.random() < 0.1 else rng.randint(-1000, 1000),
        lambda: rng.choice([0.0, -0.0, 0.1, 1e-7, 1e22, 123456.789, rng.uniform(-1e9, 1e9)]),
        lambda: struct_float(rng),
        lambda: rng.choice([True, False, None]),
        lambda: date(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28)),
        lambda: datetime(2020, 1, 1, tzinfo=UTC) + timedelta(microseconds=rng.randint(0, 10**15)),
        lambda: Decimal(rng.randint(-(10**12), 10**12)).scaleb(-rng.randint(0, 6)),
        lambda: uuid4() if rng.random() < 0.05 else "u",
        lambda: float("nan") if rng.random() < 0.02 else 1,
    ]

    def build(depth: int) -> Any:
        r = rng.random()
        if depth > 3 or r < 0.5:
            return rng.choice(leaves)()
        if r < 0.7:
            return [build(depth + 1) for _ in range(rng.randint(0, 4))]
        if r < 0.8:
            return tuple(build(depth + 1) for _ in range(rng.randint(0, 3)))
        return {
            rng.choice(["a", "b", "_type_", "_data_", "ngày"]) + str(i): build(depth + 1)
            for i in range(rng.randint(0, 4))
        }

    for _ in range(3000):
        assert_same_outcome({"v": build(0)})


def struct_float(rng: random.Random) -> float:
    """Any finite double, from its bits."""
    while True:
        value: float = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if math.isfinite(value):
            return value


def test_the_applications_use_it() -> None:
    app = RegistrationApplication(RegistrationSettings(database_url="memory://"))
    transcoder = app.mapper.transcoder
    assert isinstance(transcoder, FastJSONTranscoder)
    assert set(transcoder.names) >= {"uuid_hex", "decimal_str", "datetime_iso", "date_iso"}
    state = {"on": date(2026, 1, 1), "at": datetime(2026, 1, 1, tzinfo=UTC), "id": UUID(int=5)}
    assert same(transcoder.decode(transcoder.encode(state)), state)
    # Byte for byte the stdlib's text for the usual events (not required, but keeps logs familiar).
    usual = {"on": date(2026, 1, 1), "meta": {"actor": "Ấn"}, "path": ["a"], "year": 1}
    assert transcoder.encode(usual) == reference().encode(usual)
    assert json.loads(transcoder.encode(usual)) == json.loads(reference().encode(usual))
