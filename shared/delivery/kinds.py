"""What the delivery ledger delivers, and the keys that make each delivery happen once."""

from __future__ import annotations

import uuid
from enum import StrEnum


class DeliveryKind(StrEnum):
    RUN_MESSAGE = "run_message"  # a new run's message in its channel
    SUMMARY = "summary"  # the channel summary once a runner is picked
    RUNNER_DM = "runner_dm"  # the runner's DM with the same list
    ARRIVAL = "arrival"  # "coffee is here", mentioning everyone who ordered
    REDRAW = "redraw"  # bring a posted message in step with the database
    NOTICE = "notice"  # a note to one person or a channel, text decided when asked


class Surface(StrEnum):
    """The posted messages of a run that are redrawn as it changes."""

    MESSAGE = "message"
    SUMMARY = "summary"
    DM = "dm"


# The order a run's pending deliveries go in: its message before anything that edits it,
# the summary before the runner's DM (a summary Slack refuses fails the run: no DM then).
ORDER = (
    DeliveryKind.RUN_MESSAGE,
    DeliveryKind.SUMMARY,
    DeliveryKind.RUNNER_DM,
    DeliveryKind.ARRIVAL,
    DeliveryKind.NOTICE,
    DeliveryKind.REDRAW,
)


def run_message_key(run_id: uuid.UUID) -> str:
    return f"run:{run_id}:message"


def summary_key(run_id: uuid.UUID) -> str:
    return f"run:{run_id}:summary"


def runner_dm_key(run_id: uuid.UUID, runner_id: str) -> str:
    return f"run:{run_id}:dm:{runner_id}"


def arrival_key(run_id: uuid.UUID) -> str:
    return f"run:{run_id}:arrival"


def redraw_key(run_id: uuid.UUID, surface: Surface, user_id: str = "") -> str:
    suffix = f":{user_id}" if surface is Surface.DM else ""
    return f"run:{run_id}:redraw:{surface.value}{suffix}"


def notice_key(notice_id: uuid.UUID) -> str:
    return f"notice:{notice_id}"
