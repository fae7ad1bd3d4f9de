"""`python -m bench.slack_host TOKEN`: the local Slack Web API server in its own process.

It runs apart from the load generator so the two don't share a GIL (which would bend
the client's timings). The parent talks to it with one JSON object per line on stdin and
gets one JSON object per line on stdout; the first line out is `{"url": ...}`. End of
stdin stops the server.

Every successful `chat.postMessage` is also stamped with `time.monotonic()` the moment the
server has stored it (CLOCK_MONOTONIC is system-wide on Linux, so the parent can subtract
its own monotonic readings): `mark` and `wait_posts` let a benchmark time "the summary and
the DM are recorded" on the server itself, not when a poll happens to see them. Every call
of a message-writing method (`chat.postMessage`, `chat.update`), refused or not, is also
kept as a write (monotonic `at`, channel, ts, text, HTTP status): `write_mark`, `writes`
(optionally one channel's) and `wait_text` (the first successful write to a channel whose
text contains a fragment, e.g. "30 people") time redraws and count them.

It starts in the fast mode. `{"op": "realistic", ...}` switches on Slack's latency and rate
limits (the fields of `Realism`, all optional: `latency_median`, `latency_p99` in seconds,
`rate_limits`, `burst`, `seed`), `{"op": "fast"}` switches them off again, and
`{"op": "schedule_fault", "method": "chat.update", "status": 429, "seconds": 6}` (optional
`retry_after`, `error`; `method` null or "*" for every method) schedules a fault window.
`call_statuses` counts calls per method and HTTP status, so 429s show apart from the rest;
`new_response_url` / `responses` hand out and read back response_urls. A malformed command
gets `{"ok": false, "error": ...}`.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import threading
import time
from typing import Any

from local.slack_api import Realism, SlackApiServer
from local.slack_api.transport import ApiRequest, ApiResponse

TIMED_METHODS = frozenset({"chat.postMessage"})
WRITE_METHODS = frozenset({"chat.postMessage", "chat.update"})


class TimedSlackApiServer(SlackApiServer):
    """The project's server, plus a monotonic timestamp for every message it stores."""

    def __init__(self, token: str) -> None:
        super().__init__(token=token)
        self.posts: list[dict[str, Any]] = []
        self.writes: list[dict[str, Any]] = []
        self._posted = threading.Condition()

    def handle(self, request: ApiRequest) -> ApiResponse:
        response = super().handle(request)
        if request.method in WRITE_METHODS:
            self._record_write(request, response)
        if request.method in TIMED_METHODS and response.body.get("ok"):
            post = {
                "at": time.monotonic(),
                "method": request.method,
                "channel": str(request.args.get("channel", "")),
                "text": str(request.args.get("text", ""))[:200],
            }
            with self._posted:
                self.posts.append(post)
                self._posted.notify_all()
        return response

    def _record_write(self, request: ApiRequest, response: ApiResponse) -> None:
        write = {
            "at": time.monotonic(),
            "method": request.method,
            "channel": str(request.args.get("channel", "")),
            "ts": str(request.args.get("ts") or response.body.get("ts") or ""),
            "text": str(request.args.get("text", ""))[:200],
            "status": response.status,
            "ok": bool(response.body.get("ok")),
        }
        with self._posted:
            self.writes.append(write)
            self._posted.notify_all()

    def mark(self) -> int:
        with self._posted:
            return len(self.posts)

    def write_mark(self) -> int:
        with self._posted:
            return len(self.writes)

    def writes_since(self, since: int, channel: str | None) -> list[dict[str, Any]]:
        with self._posted:
            return [w for w in self.writes[since:] if channel is None or w["channel"] == channel]

    def wait_text(
        self, since: int, channel: str, fragment: str, timeout: float
    ) -> dict[str, Any] | None:
        """The first successful write after `since` to `channel` whose text has `fragment`."""
        deadline = time.monotonic() + timeout
        with self._posted:
            while True:
                for write in self.writes[since:]:
                    if write["ok"] and write["channel"] == channel and fragment in write["text"]:
                        return write
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._posted.wait(left)

    def posts_since(self, since: int) -> list[dict[str, Any]]:
        with self._posted:
            return list(self.posts[since:])

    def wait_posts(
        self, since: int, groups: list[list[str]], timeout: float
    ) -> list[dict[str, Any] | None]:
        """For each group of channels, the first post after index `since` to any of them.

        Waits until every group has one or `timeout` passes; unmet groups come back None.
        """
        wanted = [frozenset(group) for group in groups]
        deadline = time.monotonic() + timeout
        with self._posted:
            while True:
                found: list[dict[str, Any] | None] = [None] * len(wanted)
                for post in self.posts[since:]:
                    for slot, channels in enumerate(wanted):
                        if found[slot] is None and post["channel"] in channels:
                            found[slot] = post
                left = deadline - time.monotonic()
                if all(post is not None for post in found) or left <= 0:
                    return found
                self._posted.wait(left)


def answer(server: TimedSlackApiServer, command: dict[str, Any]) -> dict[str, Any]:
    op = command.get("op")
    if op == "add_user":
        server.add_user(command["id"], command["name"], tz=command.get("tz", "UTC"))
        return {"ok": True}
    if op == "add_users":
        for user in command["users"]:
            server.add_user(user["id"], user["name"], tz=user.get("tz", "UTC"))
        return {"ok": True}
    if op == "messages":
        return {"ok": True, "messages": server.messages(command["channel"])}
    if op == "call_counts":
        counts: dict[str, int] = {}
        for call in server.calls:
            counts[call.method] = counts.get(call.method, 0) + 1
        return {"ok": True, "counts": counts}
    if op == "mark":
        return {"ok": True, "mark": server.mark()}
    if op == "wait_posts":
        found = server.wait_posts(
            int(command["since"]), command["groups"], float(command.get("timeout", 10.0))
        )
        return {"ok": True, "posts": found}
    if op == "posts_since":
        return {"ok": True, "posts": server.posts_since(int(command["since"]))}
    return answer_writes(server, command)


def answer_writes(server: TimedSlackApiServer, command: dict[str, Any]) -> dict[str, Any]:
    op = command.get("op")
    if op == "write_mark":
        return {"ok": True, "mark": server.write_mark()}
    if op == "writes":
        writes = server.writes_since(int(command["since"]), command.get("channel"))
        return {"ok": True, "writes": writes}
    if op == "wait_text":
        found = server.wait_text(
            int(command["since"]),
            str(command["channel"]),
            str(command["fragment"]),
            float(command.get("timeout", 10.0)),
        )
        return {"ok": True, "write": found}
    return answer_realism(server, command)


def answer_realism(server: SlackApiServer, command: dict[str, Any]) -> dict[str, Any]:
    op = command.get("op")
    if op == "realistic":
        realism = Realism(**{name: value for name, value in command.items() if name != "op"})
        server.set_realism(realism)
        return {"ok": True, "realism": dataclasses.asdict(realism)}
    if op == "fast":
        server.set_realism(None)
        return {"ok": True, "realism": None}
    if op == "schedule_fault":
        server.schedule_fault(
            command.get("method"),
            status=int(command["status"]),
            seconds=float(command["seconds"]),
            retry_after=int(command.get("retry_after", 1)),
            error=command.get("error"),
        )
        return {"ok": True}
    if op == "call_statuses":
        statuses: dict[str, dict[str, int]] = {}
        for call in server.calls:
            per_status = statuses.setdefault(call.method, {})
            per_status[str(call.status)] = per_status.get(str(call.status), 0) + 1
        return {"ok": True, "statuses": statuses}
    if op == "new_response_url":
        url = server.new_response_url(channel=command["channel"], user=command["user"])
        return {"ok": True, "url": url}
    if op == "responses":
        posted = server.responses(
            command.get("url"), channel=command.get("channel"), user=command.get("user")
        )
        return {"ok": True, "responses": [dataclasses.asdict(post) for post in posted]}
    return {"ok": False, "error": f"unknown op {op!r}"}


def answer_line(server: TimedSlackApiServer, line: str) -> dict[str, Any]:
    """The reply to one line; a malformed command is an error reply, not the host's end."""
    try:
        command = json.loads(line)
        if not isinstance(command, dict):
            raise ValueError("a command is a JSON object")
        return answer(server, command)
    except (KeyError, TypeError, ValueError) as problem:
        return {"ok": False, "error": f"{type(problem).__name__}: {problem}"}


def main(token: str) -> int:
    with TimedSlackApiServer(token=token) as server:
        sys.stdout.write(json.dumps({"url": server.url}) + "\n")
        sys.stdout.flush()
        for line in sys.stdin:
            if not line.strip():
                continue
            sys.stdout.write(json.dumps(answer_line(server, line)) + "\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
