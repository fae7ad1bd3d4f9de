"""Reading one JSON document from the issuer, within an overall deadline.

A socket timeout only bounds each read: an issuer that trickles its answer out a byte at a
time never trips it. Here a timer shuts the connection down when the deadline passes, so a
fetch ends by then whatever the issuer does (slow connect, slow headers, slow body).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import urlsplit

from shared.auth.oidc import IssuerUnavailableError

MAX_DOCUMENT_BYTES = 256 * 1024


def fetch_json(url: str, *, deadline: float, read_timeout: float) -> dict[str, Any]:
    """The JSON object at `url`, read before `deadline` (a `time.monotonic()` value).

    Issuer documents are fetched directly: no proxy, no redirect, only a 200 counts.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IssuerUnavailableError("issuer document address is not an http(s) URL")
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise IssuerUnavailableError(f"no time left to fetch {url}")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    cut = threading.Event()
    try:
        connection = kind(parts.hostname, parts.port, timeout=min(read_timeout, remaining))
        try:
            connection.connect()
            # Kept here: http.client lets go of `connection.sock` once a response that closes
            # the connection has started, and the body is what an issuer drips.
            with _cut_off(connection.sock, deadline, cut):
                connection.request("GET", target, headers={"Accept": "application/json"})
                response = connection.getresponse()
                body = response.read(MAX_DOCUMENT_BYTES + 1)
        finally:
            connection.close()
    except (TimeoutError, http.client.HTTPException, OSError, ValueError) as exc:
        if cut.is_set():
            raise IssuerUnavailableError(f"{url} took longer than the fetch deadline") from None
        raise IssuerUnavailableError(f"can't fetch {url}: {type(exc).__name__}") from None
    if cut.is_set():  # what was read by then is cut short
        raise IssuerUnavailableError(f"{url} took longer than the fetch deadline")
    if response.status != 200:
        raise IssuerUnavailableError(f"{url} answered HTTP {response.status}")
    return _json_object(url, body)


def _json_object(url: str, body: bytes) -> dict[str, Any]:
    if len(body) > MAX_DOCUMENT_BYTES:
        raise IssuerUnavailableError(f"{url} answered with an oversized document")
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise IssuerUnavailableError(f"{url} did not answer with JSON") from None
    if not isinstance(document, dict):
        raise IssuerUnavailableError(f"{url} did not answer with a JSON object")
    return document


@contextmanager
def _cut_off(sock: socket.socket, deadline: float, cut: threading.Event) -> Iterator[None]:
    """Shut `sock` down at `deadline`, and set `cut` if it came to that."""

    def shut() -> None:
        cut.set()
        # socket.socket's own shutdown, also for TLS: SSLSocket.shutdown would drop its state
        # under the thread still reading from it.
        with suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    timer = threading.Timer(max(0.0, deadline - time.monotonic()), shut)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
