"""JSON logs, one object per line, each carrying the current correlation id."""

from __future__ import annotations

import json
import logging
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

_correlation_id: ContextVar[str] = ContextVar("correlation_id", default="")
# Other ids every line of a request carries: Knative's request id, the CloudEvent id.
_context: ContextVar[dict[str, str]] = ContextVar("log_context", default={})  # noqa: B039
_process = {"function": ""}

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message"}


def current_correlation_id() -> str:
    return _correlation_id.get()


def new_correlation_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def correlation(correlation_id: str | None = None, **ids: str | None) -> Iterator[str]:
    """Bind a correlation id (a fresh one if none is given), and any other ids (e.g.
    ``request_id``, ``event_id``), to every log line for the duration of a request."""
    value = (correlation_id or "").strip()[:64] or new_correlation_id()
    token = _correlation_id.set(value)
    extra = {k: v[:128] for k, v in ids.items() if v}
    context_token = _context.set({**_context.get(), **extra})
    try:
        yield value
    finally:
        _context.reset(context_token)
        _correlation_id.reset(token)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "function": _process["function"] or None,
            "correlation_id": _correlation_id.get() or None,
            **_context.get(),
            "event": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(function_name: str, level: str = "INFO") -> None:
    """Route every log record through one JSON handler on stdout (the first name sticks)."""
    _process["function"] = _process["function"] or function_name
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_coffeebuddy", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    handler._coffeebuddy = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
