"""Limits people are held to, shared by the pure rules, the renderers and the tables.

Lengths people may type, and how long a runner may still hand a run on.
"""

from datetime import datetime, timedelta

ORDER_TEXT_MAX = 150
PICKUP_NOTE_MAX = 200

# A runner may say "Can't go" for this long after they were picked; their DM shows the
# button only until then (the minute tick redraws the DM when the window ends).
DECLINE_WINDOW = timedelta(minutes=10)


def may_still_decline(assigned_at: datetime | None, now: datetime) -> bool:
    """Whether a runner picked at ``assigned_at`` is still inside :data:`DECLINE_WINDOW`."""
    return assigned_at is not None and now - assigned_at <= DECLINE_WINDOW
