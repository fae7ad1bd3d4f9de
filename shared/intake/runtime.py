"""What the slash intake needs, and nothing more: settings, secrets, a clock, a publisher.

The database stack and slack-sdk's WebClient are left out on purpose: `/coffee` must
answer fast on a cold process (DESIGN.md, "The cold path is small"), so the intake makes
one durable write (the command as a Kafka record the broker has acknowledged) and answers;
the close function does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from shared.clock import Clock, SystemClock
from shared.events.publisher import EventPublisher, build_publisher
from shared.process import start
from shared.secrets import SecretProvider, load_secret_provider
from shared.settings import Settings, get_settings


@dataclass
class IntakeRuntime:
    settings: Settings
    secrets: SecretProvider = field(repr=False)
    clock: Clock
    publisher: EventPublisher = field(repr=False)

    def readiness(self) -> dict[str, str]:
        """Nothing to check: the broker is asked on each command, and a command it can't
        take is answered with an apology, not a hang."""
        return {}


@lru_cache(maxsize=1)
def get_intake_runtime() -> IntakeRuntime:
    settings = get_settings()
    clock = SystemClock()
    return IntakeRuntime(
        settings=settings,
        secrets=load_secret_provider(clock=clock),
        clock=clock,
        publisher=build_publisher(settings),
    )


def start_intake(name: str) -> IntakeRuntime:
    """The process's intake runtime (shared.process says what a bad setting does)."""
    return start(name, get_intake_runtime, metrics_now=False)
