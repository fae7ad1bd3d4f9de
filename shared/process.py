"""A function's process start: settings first, then logs, then its runtime; a missing or
malformed setting or secret ends start-up with one line naming it (never its value), exit 2.

Light on purpose: the slash intake starts through it too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from shared.observability.logging import configure_logging
from shared.secrets import SecretsError
from shared.settings import SettingsError, get_settings


def start[R](name: str, runtime: Callable[[], R], *, metrics_now: bool = True) -> R:
    """``metrics_now``: create the metrics at start (everyone but the intake, whose cold
    path leaves prometheus_client out until it is first scraped)."""
    try:
        settings = get_settings()
    except SettingsError as error:
        sys.stderr.write(f"coffeebuddy {name}: configuration error: {error}\n")
        raise SystemExit(2) from None
    configure_logging(name, settings.log_level)
    if metrics_now:
        from shared.observability.metrics import load_metrics

        load_metrics()
    try:
        return runtime()
    except SecretsError as error:
        sys.stderr.write(f"coffeebuddy {name}: secrets error: {error}\n")
        raise SystemExit(2) from None
