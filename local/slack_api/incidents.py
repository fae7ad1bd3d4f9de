"""Scheduled faults: for a window of seconds, a method (or every method) answers a failure.

Unlike `fail_next`, which counts calls, an incident lasts a stretch of time, the way a
Slack outage or a rate-limit storm does. Incidents for the same target chain: a new one
starts when the last one scheduled for that target ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from local.slack_api.recording import InjectedFailure

EVERY_METHOD = "*"


@dataclass(frozen=True)
class Incident:
    target: str  # a method name, or EVERY_METHOD
    failure: InjectedFailure
    starts: float
    ends: float

    def covers(self, method: str, now: float) -> bool:
        return self.target in (EVERY_METHOD, method) and self.starts <= now < self.ends


class IncidentSchedule:
    """Not thread-safe on its own; the server serialises access."""

    def __init__(self) -> None:
        self._incidents: list[Incident] = []

    def add(self, target: str, failure: InjectedFailure, seconds: float, now: float) -> Incident:
        if not seconds > 0:
            raise ValueError("an incident must last more than 0 seconds")
        ends = [incident.ends for incident in self._incidents if incident.target == target]
        starts = max([now, *ends])
        incident = Incident(target=target, failure=failure, starts=starts, ends=starts + seconds)
        self._incidents.append(incident)
        return incident

    def failure(self, method: str, now: float) -> InjectedFailure | None:
        """The failure `method` answers now: the earliest scheduled incident covering it."""
        self._incidents = [incident for incident in self._incidents if incident.ends > now]
        for incident in self._incidents:
            if incident.covers(method, now):
                return incident.failure
        return None

    def clear(self) -> None:
        self._incidents.clear()
