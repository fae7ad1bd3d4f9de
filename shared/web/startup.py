"""Process start for a function: logs first, then settings; a bad setting ends start-up.

Light on purpose: the database stack and the Slack client are imported when the Runtime is
built, which `start_function` does now and `start_lazily` leaves to the first request that
needs it (the Slack-facing intake answers before that; see docs/cold-start.md).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from shared.lazy_runtime import PROCESS_RUNTIME, LazyRuntime
from shared.observability.logging import configure_logging
from shared.secrets import SecretsError
from shared.settings import SettingsError, get_settings

if TYPE_CHECKING:
    from shared.runtime import Runtime


def start_lazily(name: str) -> LazyRuntime:
    """Settings and secrets checked now (one line and exit 2 if wrong); the Runtime later."""
    try:
        settings = get_settings()
    except SettingsError as error:
        sys.stderr.write(f"coffeebuddy {name}: configuration error: {error}\n")
        raise SystemExit(2) from None
    configure_logging(name, settings.log_level)
    try:
        PROCESS_RUNTIME.secrets()
    except SecretsError as error:
        sys.stderr.write(f"coffeebuddy {name}: secrets error: {error}\n")
        raise SystemExit(2) from None
    return PROCESS_RUNTIME


def start_function(name: str) -> Runtime:
    """The process's Runtime, built now: for the event-driven functions and local runs."""
    return start_lazily(name).get()
