"""Where secrets are read from: files of the Vault agent injector, the environment, or layers.

Every source answers one `read()` with all the secrets it holds right now; the provider decides
when to ask again. Vault is in `shared.secrets.vault`, kept apart so hvac is only imported
when `VAULT_ADDR` is set.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from shared.secrets.secret import Secret, SecretsError


@dataclass(frozen=True)
class Reading:
    """What a source held at one moment; `ttl` is how long it may be trusted (None: no opinion)."""

    values: Mapping[str, Secret] = field(default_factory=dict)
    ttl: timedelta | None = None


class SecretSource(Protocol):
    @property
    def description(self) -> str:
        """Where the source looks, for error messages: safe to print."""
        ...

    def read(self) -> Reading:
        """Every secret the source holds now; raises :class:`SecretsError` when it can't tell."""
        ...


class SecretsDirectory:
    """One file per secret, named after it, as the Vault agent injector writes them."""

    def __init__(self, directory: Path, names: Collection[str]) -> None:
        self._directory = directory
        self._names = tuple(names)

    @property
    def description(self) -> str:
        return f"files in {self._directory}"

    def read(self) -> Reading:
        values: dict[str, Secret] = {}
        for name in self._names:
            path = self._directory / name
            try:
                text = path.read_text(encoding="utf-8").strip()
            except FileNotFoundError:
                continue
            except (OSError, UnicodeDecodeError) as error:
                problem = type(error).__name__
                raise SecretsError(f"cannot read secret file {path} ({problem})") from None
            if text:
                values[name] = Secret(text)
        return Reading(values)


class EnvironmentSecrets:
    """The process environment: the fallback for local runs and tests."""

    def __init__(self, env: Mapping[str, str], names: Collection[str]) -> None:
        self._env = env
        self._names = tuple(names)

    @property
    def description(self) -> str:
        return "the environment"

    def read(self) -> Reading:
        values = {name: (self._env.get(name) or "").strip() for name in self._names}
        return Reading({name: Secret(value) for name, value in values.items() if value})


class LayeredSource:
    """Sources in order of precedence: for each name, the first source holding it wins.

    A source that fails (Vault down, a file unreadable) fails the whole read rather than
    letting a lower layer's value through: an older fallback value silently replacing the
    real one is worse than serving the last good value or stopping.
    """

    def __init__(self, sources: Sequence[SecretSource]) -> None:
        self._sources = tuple(sources)

    @property
    def description(self) -> str:
        return ", then ".join(source.description for source in self._sources)

    def read(self) -> Reading:
        values: dict[str, Secret] = {}
        ttls: list[timedelta] = []
        for source in self._sources:
            reading = source.read()
            for name, value in reading.values.items():
                values.setdefault(name, value)
            if reading.ttl is not None:
                ttls.append(reading.ttl)
        return Reading(values, min(ttls) if ttls else None)
