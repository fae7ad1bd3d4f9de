"""`with` support for the bench's processes, brokers and databases: whatever starts also
stops, including after a start that failed half-way."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Managed:
    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
