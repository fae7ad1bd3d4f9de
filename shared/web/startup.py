"""Process start for a function: logs first, then settings; a bad setting ends start-up."""

from __future__ import annotations

from shared.process import start
from shared.runtime import Runtime, get_runtime


def start_function(name: str) -> Runtime:
    """The process's runtime (shared.process says what a bad setting does)."""
    return start(name, get_runtime)
