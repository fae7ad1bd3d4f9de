"""The lifecycle shared by the local stand-in servers (Slack API, Vault API, OIDC issuer):
a ThreadingHTTPServer on a daemon thread, started and stopped explicitly or with `with`."""

from __future__ import annotations

import logging
import threading
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Self

logger = logging.getLogger(__name__)


class BackgroundServer:
    name = "local server"

    def __init__(self, host: str, port: int) -> None:
        self._address = (host, port)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def _make_server(self, address: tuple[str, int]) -> ThreadingHTTPServer:
        raise NotImplementedError

    def start(self) -> Self:
        if self._httpd is not None:
            raise RuntimeError(f"{type(self).__name__} is already running")
        self._httpd = self._make_server(self._address)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},  # bounds how long stop() waits
            name=self.name,
            daemon=True,
        )
        self._thread.start()
        logger.info("%s listening", self.name, extra={"url": self.base_url})
        return self

    def stop(self) -> None:
        """Stop serving; safe to call twice."""
        httpd, thread = self._httpd, self._thread
        self._httpd, self._thread = None, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._httpd is None:
            raise RuntimeError(f"{type(self).__name__} is not running; call start() first")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"
