"""The per-minute tick's horizon: what falls due before the next tick is done on this one.

The tick (a PingSource, once a minute) claims reminders and auto-closes runs whose moment
comes within ``LOOKAHEAD``: done at most 55 s early and, tick jitter aside, about 5 s late,
inside the promised ±1 minute. Runs and reminders both use it; neither owns it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

LOOKAHEAD = timedelta(seconds=55)


def claim_horizon(now: datetime) -> datetime:
    return now + LOOKAHEAD
