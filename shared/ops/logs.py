"""Logs as one JSON object a line: time (UTC, ISO 8601), level, logger, service, message, the ids
of the request or event at hand (shared.kernel.log_context) and, for an error, its type and
frames. What a log collector reads without a parser of its own; `TDKT_LOG_FORMAT=text` keeps the
plain lines for a developer's terminal."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime

import orjson

from shared.kernel import log_context


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "service": self.service,
            "message": record.getMessage(),
            **log_context.current(),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def configure(service: str) -> None:
    """The root logger writes JSON lines (or text with TDKT_LOG_FORMAT=text) at INFO."""
    handler = logging.StreamHandler()
    if os.environ.get("TDKT_LOG_FORMAT", "json") == "text":
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    else:
        handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the lag watcher polls every few seconds
