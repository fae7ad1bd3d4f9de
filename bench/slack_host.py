"""`python -m bench.slack_host TOKEN`: the local Slack Web API server in its own process.

It runs apart from the load generator so the two don't share a GIL (which would bend
the client's timings). The parent talks to it with one JSON object per line on stdin and
gets one JSON object per line on stdout; the first line out is `{"url": ...}`. End of
stdin stops the server.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from shared.local.slack_api import SlackApiServer


def answer(server: SlackApiServer, command: dict[str, Any]) -> dict[str, Any]:
    op = command.get("op")
    if op == "add_user":
        server.add_user(command["id"], command["name"], tz=command.get("tz", "UTC"))
        return {"ok": True}
    if op == "messages":
        return {"ok": True, "messages": server.messages(command["channel"])}
    if op == "call_counts":
        counts: dict[str, int] = {}
        for call in server.calls:
            counts[call.method] = counts.get(call.method, 0) + 1
        return {"ok": True, "counts": counts}
    return {"ok": False, "error": f"unknown op {op!r}"}


def main(token: str) -> int:
    with SlackApiServer(token=token) as server:
        sys.stdout.write(json.dumps({"url": server.url}) + "\n")
        sys.stdout.flush()
        for line in sys.stdin:
            if not line.strip():
                continue
            sys.stdout.write(json.dumps(answer(server, json.loads(line))) + "\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
