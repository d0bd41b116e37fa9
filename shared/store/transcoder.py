"""How events are written as JSON: the library's format and transcodings, encoded with orjson
where that provably reads back the same."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, Transcoding


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


# (type, transcoding) pairs whose data is a str, for types orjson hands to `default`.
_TO_STR = frozenset({(date, DateAsISO), (datetime, DatetimeAsISO), (Decimal, DecimalAsStr)})


_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_MAX_DEPTH = 64


class FastJSONTranscoder(JSONTranscoder):
    """The library's JSONTranscoder (same format, same transcodings, same stdlib decoder),
    encoding with orjson where the stdlib decoder provably reads back what the stdlib encoder
    would have written, and with the stdlib encoder otherwise.

    A value made only of str, int, bool, None, finite floats, lists, tuples and dicts reads back
    the same from both encoders; so do dates, datetimes and Decimals, which orjson hands to the
    same `default` as the stdlib encoder (the library's `{"_type_", "_data_"}` form, whose data
    the transcodings below make a str). Anything else (UUIDs, enums, NaN, subclasses: orjson
    would write them itself, differently; other transcodings) goes to the stdlib encoder, as
    does whatever orjson refuses (non-str keys, integers beyond 64 bits, lone surrogates)."""

    def __init__(self) -> None:
        super().__init__()
        self._by_default: frozenset[type] = frozenset()
        self._utc_iso = False
        self._saving = threading.local()

    @contextlib.contextmanager
    def one_save(self) -> Iterator[None]:
        """Within it (this thread), a nested container proven plain is not walked again: the
        events of one save are encoded one after the other, nothing running between, and rows
        alike share containers (a list's verdicts, its meta). Each proven one is kept alive, so
        its id is not reused."""
        self._saving.proven = {}
        try:
            yield
        finally:
            self._saving.proven = None

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        self._by_default = frozenset(t for t, tc in self.types.items() if (t, type(tc)) in _TO_STR)
        self._utc_iso = type(self.types.get(datetime)) is DatetimeAsISO

    def _encode_obj(self, o: Any) -> dict[str, Any]:
        # Every event's timestamp: orjson writes a UTC datetime as isoformat() does, five times
        # faster (tests/unit/test_transcoder_timestamps.py compares them).
        if type(o) is datetime and o.tzinfo is UTC and self._utc_iso:
            return {"_type_": "datetime_iso", "_data_": orjson.dumps(o)[1:-1].decode()}
        return super()._encode_obj(o)

    def encode(self, obj: Any) -> bytes:
        if self._plain(obj, 0, getattr(self._saving, "proven", None)):
            try:
                return orjson.dumps(obj, default=self._encode_obj, option=_ORJSON_OPTIONS)
            except orjson.JSONEncodeError:
                pass
        return super().encode(obj)

    def _plain(self, value: Any, depth: int, proven: dict[int, Any] | None = None) -> bool:
        """Whether orjson writes `value` as the stdlib encoder would (see the class).
        `proven`: containers already proven in this save (`one_save`), by id."""
        t = type(value)
        if t is dict:
            items: Any = value.values()
        elif t is list or t is tuple:
            items = value
        elif t is float:
            return value - value == 0.0  # not NaN nor infinite
        else:
            return t is str or t is int or value is None or t is bool or t in self._by_default
        if depth > _MAX_DEPTH:
            return False
        by_default = self._by_default
        for v in items:
            tv = type(v)
            if tv is str or tv is int or v is None or tv is bool or tv in by_default:
                continue
            if proven is not None and id(v) in proven:
                continue
            if not self._plain(v, depth + 1, proven):
                return False
            if proven is not None and (tv is dict or tv is list or tv is tuple):
                proven[id(v)] = v
        return True


def one_save(transcoder: object) -> contextlib.AbstractContextManager[None]:
    """`FastJSONTranscoder.one_save`, for whatever transcoder an application has."""
    return transcoder.one_save() if isinstance(transcoder, FastJSONTranscoder) else contextlib.nullcontext()
