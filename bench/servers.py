"""Processes the bench starts: functions-framework targets and the local Slack API host.

Every process is started in its own session (process group) so stopping it also stops
the gunicorn worker it forked; callers use them as context managers so they always stop.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Self

from bench.http_client import request
from bench.lifecycle import Managed

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
FUNCTIONS_FRAMEWORK = VENV_BIN / "functions-framework"
STOP_GRACE_SECONDS = 10.0
# The realistic Slack server's settings (local.slack_api.Realism): its default latency
# (lognormal, 150 ms median, 600 ms p99), the rate-limit tiers, a burst allowance of 5, and a
# fixed seed so each run draws the same latencies.
REALISTIC: dict[str, Any] = {"latency_median": 0.150, "latency_p99": 0.600, "burst": 5, "seed": 11}
SLACK_MODES = ("fast", "realistic")


def tail_of(path: Path, lines: int = 15) -> str:
    """The last ``lines`` of a process's log ("" if it has none yet)."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class BenchError(RuntimeError):
    """The bench could not measure what it set out to (a process died, a request failed)."""


@dataclass(frozen=True)
class Target:
    """A functions-framework target: `--source` file and `--target` name."""

    label: str
    source: Path
    target: str


HELLO = Target("functions-framework hello", ROOT / "bench/targets/hello/main.py", "hello")
BOLT = Target("Slack Bolt /coffee (ack only)", ROOT / "bench/targets/bolt/main.py", "bolt_coffee")
SLASH = Target("CoffeeBuddy slash", ROOT / "functions/slash/main.py", "slash")
FLOOR = Target(
    "persist-in-request floor (psycopg, no ORM)", ROOT / "bench/targets/floor/main.py", "floor"
)
KAFKA_FLOOR = Target(
    "Kafka intake floor (verify, one acks=all produce)",
    ROOT / "bench/targets/kafka_floor/main.py",
    "kafka_floor",
)
INTERACTIONS = Target(
    "CoffeeBuddy interactions", ROOT / "functions/interactions/main.py", "interactions"
)
CLOSE = Target("CoffeeBuddy close", ROOT / "functions/close/main.py", "close")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def child_environment(extra: dict[str, str]) -> dict[str, str]:
    """The bench's own environment minus coverage hooks, plus the function's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    env.update(extra)
    return env


def stop_group(process: subprocess.Popen[Any]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class LoggedProcess(Managed):
    """A child in a process group of its own, its output appended to `log_path`; `stop`
    ends the whole group and closes the log."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self._log: IO[bytes] | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def _launch(self, argv: list[str], **popen: Any) -> subprocess.Popen[bytes]:
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            argv, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True, **popen
        )
        return self._process

    def exit_code(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def log_tail(self, lines: int = 15) -> str:
        return tail_of(self.log_path, lines)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            stop_group(process)
        if self._log is not None:
            self._log.close()
            self._log = None


class FunctionProcess(LoggedProcess):
    """`functions-framework --source S --target T --port N` as a fresh subprocess."""

    def __init__(self, target: Target, env: dict[str, str], log_path: Path) -> None:
        super().__init__(log_path)
        self.target = target
        self.port = free_port()
        self.env = child_environment({**env, "PORT": str(self.port)})

    def start(self) -> Self:
        argv = [
            str(FUNCTIONS_FRAMEWORK),
            "--source",
            str(self.target.source),
            "--target",
            self.target.target,
            "--port",
            str(self.port),
        ]
        self._launch(argv, cwd=ROOT, env=self.env)
        return self

    def wait_until_live(self, timeout: float = 60.0) -> None:
        """Poll GET /health/live (served by every CoffeeBuddy function) until it answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.exit_code() is not None:
                raise BenchError(f"{self.target.label} exited:\n{self.log_tail()}")
            try:
                if request(self.port, "GET", "/health/live", timeout=5).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.01)
        raise BenchError(f"{self.target.label} did not start in {timeout:.0f} s")


class SlackHost(Managed):
    """The local Slack Web API server in a child process (see bench/slack_host.py)."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.url = ""
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> Self:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.slack_host", self.token],
            cwd=ROOT,
            env=child_environment({}),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            self.url = str(self._read()["url"])
        except BaseException:
            self.stop()
            raise
        return self

    def _read(self) -> dict[str, Any]:
        assert self._process is not None and self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise BenchError("the local Slack API host stopped unexpectedly")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _ask(self, **command: Any) -> dict[str, Any]:
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(json.dumps(command) + "\n")
        self._process.stdin.flush()
        reply = self._read()
        if not reply.get("ok"):
            raise BenchError(f"Slack API host: {reply.get('error')}")
        return reply

    def add_user(self, user_id: str, name: str, tz: str = "UTC") -> None:
        self._ask(op="add_user", id=user_id, name=name, tz=tz)

    def add_users(self, users: list[tuple[str, str]], tz: str = "UTC") -> None:
        """Many (id, name) people in one round trip."""
        self._ask(op="add_users", users=[{"id": i, "name": n, "tz": tz} for i, n in users])

    def mark(self) -> int:
        """How many messages the server has stored so far (an index for `wait_posts`)."""
        return int(self._ask(op="mark")["mark"])

    def wait_posts(
        self, since: int, groups: list[list[str]], timeout: float = 10.0
    ) -> list[dict[str, Any] | None]:
        """Per group of channels, the first message stored after `since` in any of them,
        with `at` = the server's `time.monotonic()` when it stored it (None: timed out)."""
        found: list[dict[str, Any] | None] = self._ask(
            op="wait_posts", since=since, groups=groups, timeout=timeout
        )["posts"]
        return found

    def posts_since(self, since: int) -> list[dict[str, Any]]:
        """Every message stored after `since`: channel, text and monotonic `at`."""
        posts: list[dict[str, Any]] = self._ask(op="posts_since", since=since)["posts"]
        return posts

    def write_mark(self) -> int:
        """How many message writes (posts and updates, refused or not) the server has seen."""
        return int(self._ask(op="write_mark")["mark"])

    def writes(self, since: int, channel: str | None = None) -> list[dict[str, Any]]:
        """Message writes after `since`: method, channel, ts, text, status, ok, monotonic `at`."""
        writes: list[dict[str, Any]] = self._ask(op="writes", since=since, channel=channel)[
            "writes"
        ]
        return writes

    def wait_text(
        self, since: int, channel: str, fragment: str, timeout: float = 10.0
    ) -> dict[str, Any] | None:
        """The first successful write after `since` to `channel` whose text has `fragment`."""
        found: dict[str, Any] | None = self._ask(
            op="wait_text", since=since, channel=channel, fragment=fragment, timeout=timeout
        )["write"]
        return found

    def set_mode(self, mode: str) -> None:
        """ "fast" (no latency, no limits) or "realistic" (REALISTIC's latency and limits)."""
        if mode == "fast":
            self._ask(op="fast")
        elif mode == "realistic":
            self._ask(op="realistic", **REALISTIC)
        else:
            raise BenchError(f"unknown Slack mode {mode!r}")

    def call_statuses(self) -> dict[str, dict[str, int]]:
        """Calls per method and HTTP status, since the server started."""
        statuses: dict[str, dict[str, int]] = self._ask(op="call_statuses")["statuses"]
        return statuses

    def messages(self, channel: str) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = self._ask(op="messages", channel=channel)["messages"]
        return messages

    def call_counts(self) -> dict[str, int]:
        counts: dict[str, int] = self._ask(op="call_counts")["counts"]
        return counts

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            stop_group(process)
        if process.stdout is not None:
            process.stdout.close()
