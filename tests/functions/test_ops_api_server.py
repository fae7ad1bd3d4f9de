"""The ops API served as its Knative Service serves it: gunicorn with shared.admin.ops_server.

Only a real server shows what reaches the API at all: with functions-framework's own CLI,
gunicorn answered header fields over 8190 bytes itself, in HTML.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from shared.admin.ops_errors import MAX_HEADER_FIELD_BYTES

ROOT = Path(__file__).resolve().parents[2]
SERVICE = ROOT / "knative" / "base" / "services" / "admin-api.yaml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _command() -> list[str]:
    (container,) = yaml.safe_load(SERVICE.read_text())["spec"]["template"]["spec"]["containers"]
    return [*container["command"], *container.get("args", [])]


@pytest.fixture(scope="module")
def ops_server(environment: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = _free_port()
    command = _command()
    assert command[0] == "gunicorn"
    env = {
        **os.environ,
        "FUNCTION_TARGET": "admin_api",
        "FUNCTION_SOURCE": "functions/admin/main.py",
        "PORT": str(port),
        "THREADS": "2",
        "PROMETHEUS_METRICS_PORT": "0",
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path_factory.mktemp("ops-server") / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / command[0]), *command[1:]],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_live(port, server, log)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_live(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        assert server.poll() is None, log.read_text()
        try:
            if _get(port, "/health/live")[0] == 200:
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"the ops API did not start:\n{log.read_text()}")


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def _problem(answer: tuple[int, str, bytes]) -> tuple[int, str]:
    status, content_type, body = answer
    assert content_type.startswith("application/json"), body[:200]
    document = json.loads(body)
    assert isinstance(document["error"], str) and isinstance(document["message"], str)
    return status, document["error"]


def test_a_header_field_over_the_api_s_limit_gets_the_api_s_json_431(ops_server: int):
    big = "x" * (MAX_HEADER_FIELD_BYTES + 1)

    assert _problem(_get(ops_server, "/admin/channels", {"X-Padding": big})) == (
        431,
        "header_fields_too_large",
    )


def test_a_token_between_8_kb_and_the_api_s_limit_reaches_the_token_check(ops_server: int):
    token = f"{'e' * 9000}.e30.c2ln"

    answer = _get(ops_server, "/admin/channels", {"Authorization": f"Bearer {token}"})

    assert _problem(answer) == (401, "invalid_token")


def test_paths_functions_framework_answers_itself_get_the_api_s_json(ops_server: int):
    for path in ("/robots.txt", "/favicon.ico"):
        assert _problem(_get(ops_server, path)) == (404, "not_found")


def test_gunicorn_lets_through_more_than_the_api_reads_and_runs_as_the_service_says():
    from shared.admin import ops_errors, ops_server

    assert ops_server.limit_request_field_size > ops_errors.MAX_HEADER_FIELD_BYTES
    assert ops_server.limit_request_fields > ops_errors.MAX_HEADER_FIELDS
    assert ops_server.wsgi_app == "functions_framework:create_app()"
    (container,) = yaml.safe_load(SERVICE.read_text())["spec"]["template"]["spec"]["containers"]
    env = {item["name"]: item["value"] for item in container["env"]}
    assert (env["FUNCTION_TARGET"], env["FUNCTION_SOURCE"]) == (
        "admin_api",
        "functions/admin/main.py",
    )
    assert "python:shared.admin.ops_server" in container["args"]
