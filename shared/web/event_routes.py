"""Which handler an event-driven function runs for which CloudEvent type, and the data
model that type's event is checked against (once, by serve_event, which hands the
handler the checked model)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from shared.events.catalog import EventData, SchemaError
from shared.events.envelope import Event
from shared.runtime import Runtime


@dataclass(frozen=True)
class On[D: EventData]:
    model: type[D]
    handle: Callable[[Runtime, D, Event], None]

    def checked(self, event: Event) -> D:
        try:
            return self.model.model_validate(event.data)
        except ValidationError as error:
            fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()})
            raise SchemaError(f"{event.type} data invalid at {', '.join(fields)[:200]}") from None

    def run(self, rt: Runtime, event: Event) -> None:
        self.handle(rt, self.checked(event), event)


EventRoutes = Mapping[str, On[Any]]


def routes(*handlers: On[Any]) -> dict[str, On[Any]]:
    """Keyed by each model's CloudEvent type."""
    return {on.model.TYPE: on for on in handlers}
