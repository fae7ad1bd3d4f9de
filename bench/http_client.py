"""One timed HTTP request to a local function, on a fresh connection like a new client."""

from __future__ import annotations

import http.client
import time
from collections.abc import Mapping
from dataclasses import dataclass

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    seconds: float


def request(
    port: int,
    method: str,
    path: str = "/",
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
) -> Reply:
    """Send one request and read the whole answer; `seconds` covers connect to last byte."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=dict(headers or {}))
        response = conn.getresponse()
        data = response.read()
        seconds = time.perf_counter() - start
    finally:
        conn.close()
    return Reply(status=response.status, body=data, seconds=seconds)


def post(port: int, body: bytes, headers: Mapping[str, str], timeout: float = 30.0) -> Reply:
    return request(port, "POST", "/", body=body, headers=headers, timeout=timeout)
