"""The secret names CoffeeBuddy reads, a value wrapper that never prints, and the one error type."""

from __future__ import annotations

import hmac
from typing import Final

# Names, not values: each is also the environment variable, the file and the Vault key.
SLACK_SIGNING_SECRET: Final = "SLACK_SIGNING_SECRET"  # noqa: S105
SLACK_BOT_TOKEN: Final = "SLACK_BOT_TOKEN"  # noqa: S105
DATABASE_PASSWORD: Final = "DATABASE_PASSWORD"  # noqa: S105  merged into DATABASE_URL by the caller
SECRET_NAMES: Final = (SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, DATABASE_PASSWORD)

_MASK = "Secret('***')"


class SecretsError(Exception):
    """A secret could not be read; the message names the source, path or key, never a value."""


class Secret:
    """A secret value that shows as `Secret('***')` in repr, str, f-strings and log lines.

    Only :meth:`reveal` gives the value, so every place that lets a secret out is greppable.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return _MASK

    def __str__(self) -> str:
        return _MASK

    def __format__(self, format_spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and hmac.compare_digest(
            other._value.encode(), self._value.encode()
        )

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling (multiprocessing, caches) would write the value out; refuse rather than leak.
        raise TypeError("Secret values are not picklable")
