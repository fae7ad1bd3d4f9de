"""CoffeeBuddy's functions inside the bench's own process, on a clock the bench moves.

A function process reads the system clock; a benchmark that needs half an hour of clock
time in a minute loads the functions here instead, exactly as the test suite does
(`functions_framework.create_app(target, source)` on `functions/<name>/main.py`), serves
each on its own real HTTP port (werkzeug's threaded server) and replaces the one runtime
they share's clock with a `ManualClock`. Settings come from the environment, which is set
for the duration and restored afterwards; the functions' JSON logs go to a file.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import IO, Self

from werkzeug.serving import BaseWSGIServer, make_server

from bench.lifecycle import Managed
from bench.servers import ROOT, tail_of
from shared.clock import Clock


class InProcessFunctions(Managed):
    """`names` (e.g. "slash", "reminders") served on free ports, sharing `clock`."""

    def __init__(self, names: list[str], env: dict[str, str], clock: Clock, log_path: Path):
        self.names = names
        self.env = env
        self.clock = clock
        self.log_path = log_path
        self.ports: dict[str, int] = {}
        self._servers: list[tuple[BaseWSGIServer, threading.Thread]] = []
        self._saved_env: dict[str, str | None] = {}
        self._log: IO[str] | None = None
        self._werkzeug_level = logging.NOTSET

    def start(self) -> Self:
        from functions_framework import create_app

        from shared.intake.runtime import get_intake_runtime
        from shared.runtime import get_runtime
        from shared.settings import get_settings

        self._saved_env = {key: os.environ.get(key) for key in self.env}
        os.environ.update(self.env)
        get_settings.cache_clear()
        get_runtime.cache_clear()
        get_intake_runtime.cache_clear()
        for name in self.names:
            source = str(ROOT / "functions" / name / "main.py")
            app = create_app(target=name, source=source)  # type: ignore[no-untyped-call]
            server = make_server("127.0.0.1", 0, app, threaded=True)
            thread = threading.Thread(
                target=server.serve_forever, name=f"bench-{name}", daemon=True
            )
            thread.start()
            self._servers.append((server, thread))
            self.ports[name] = server.server_port
        get_runtime().clock = self.clock
        get_intake_runtime().clock = self.clock  # slash's own runtime: the same clock
        # werkzeug gives its own logger INFO (a line per request) unless it has a level.
        werkzeug = logging.getLogger("werkzeug")
        self._werkzeug_level = werkzeug.level
        werkzeug.setLevel(logging.WARNING)
        self._log = self.log_path.open("a")
        for handler in logging.getLogger().handlers:
            if getattr(handler, "_coffeebuddy", False) and isinstance(
                handler, logging.StreamHandler
            ):
                handler.setStream(self._log)
        return self

    def log_tail(self, lines: int = 15) -> str:
        """The last lines of the functions' JSON log (what went wrong, when something did)."""
        if self._log is not None:
            self._log.flush()
        return tail_of(self.log_path, lines)

    def stop(self) -> None:
        from shared.intake.runtime import get_intake_runtime
        from shared.runtime import get_runtime
        from shared.settings import get_settings

        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
        self._servers = []
        if get_runtime.cache_info().currsize:
            get_runtime().engine.dispose()
        get_runtime.cache_clear()
        get_intake_runtime.cache_clear()
        get_settings.cache_clear()
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        logging.getLogger("werkzeug").setLevel(self._werkzeug_level)
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "_coffeebuddy", False):
                root.removeHandler(handler)
        if self._log is not None:
            self._log.close()
            self._log = None
