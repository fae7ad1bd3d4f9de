"""A request the rules turn down: a value carrying a message for the person, not an error."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    message: str
