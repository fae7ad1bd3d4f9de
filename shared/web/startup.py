"""Process start for a function: logs first, then settings; a bad setting ends start-up."""

from __future__ import annotations

import sys

from shared.observability.logging import configure_logging
from shared.observability.metrics import load_metrics
from shared.runtime import Runtime, get_runtime
from shared.secrets import SecretsError
from shared.settings import SettingsError, get_settings


def start_function(name: str) -> Runtime:
    """The process's runtime; a missing or malformed setting or secret: one line, exit 2."""
    try:
        settings = get_settings()
    except SettingsError as error:
        sys.stderr.write(f"coffeebuddy {name}: configuration error: {error}\n")
        raise SystemExit(2) from None
    configure_logging(name, settings.log_level)
    load_metrics()  # this function is not on the intake's cold path: metrics from the start
    try:
        return get_runtime()
    except SecretsError as error:
        sys.stderr.write(f"coffeebuddy {name}: secrets error: {error}\n")
        raise SystemExit(2) from None
