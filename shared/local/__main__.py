"""`python -m shared.local`: CoffeeBuddy on one port with the embedded defaults.

Without Slack credentials it starts the local Slack Web API server and uses SQLite, so it
runs on a laptop with nothing else installed; with SLACK_BOT_TOKEN and
SLACK_SIGNING_SECRET set it talks to the real Slack workspace instead.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from werkzeug.serving import make_server

from shared.local.slack_api import SlackApiServer

LOCAL_SECRET = "local-signing-secret"  # noqa: S105  (local-only, printed in the README)
LOCAL_TOKEN = "xoxb-local-coffeebuddy"  # noqa: S105  (accepted only by the local Slack server)
SAMPLE_PEOPLE = (
    ("U0ALICE", "alice", "Europe/London"),
    ("U0BOB", "bob", "Europe/Berlin"),
    ("U0CAROL", "carol", "America/New_York"),
)
log = logging.getLogger("coffeebuddy.local")


def _prepare_environment(state_dir: Path) -> SlackApiServer | None:
    state_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{state_dir / 'coffeebuddy.db'}")
    if os.environ.get("SLACK_BOT_TOKEN") and os.environ.get("SLACK_SIGNING_SECRET"):
        return None
    slack = SlackApiServer(token=LOCAL_TOKEN)
    for user_id, name, tz in SAMPLE_PEOPLE:
        slack.add_user(user_id, name, tz=tz)
    slack.start()
    os.environ.update(
        {
            "SLACK_BOT_TOKEN": LOCAL_TOKEN,
            "SLACK_SIGNING_SECRET": LOCAL_SECRET,
            "SLACK_API_URL": slack.url,
        }
    )
    return slack


def main() -> int:
    state_dir = Path(os.environ.get("COFFEEBUDDY_STATE_DIR", ".coffeebuddy"))
    slack = _prepare_environment(state_dir)
    from shared.db.migrate import upgrade
    from shared.web.startup import start_function

    rt = start_function("local")
    upgrade(rt.settings.database_url)

    from shared.local.events import Ticker, wire_bus
    from shared.runtime import IN_PROCESS_BUS

    ticker = None
    if not rt.settings.kafka_brokers:
        wire_bus(rt, IN_PROCESS_BUS)
        IN_PROCESS_BUS.start()
        ticker = Ticker(rt, float(os.environ.get("COFFEEBUDDY_TICK_SECONDS", "60")))
        ticker.start()

    import functions.interactions.main as interactions
    import functions.slash.main as slash
    from shared.local.app import build_app

    app = build_app(
        rt, {"/slack/commands": slash.slash, "/slack/interactions": interactions.interactions}
    )
    host = os.environ.get("HOST", "127.0.0.1")
    server = make_server(host, rt.settings.port, app, threaded=True)
    base = f"http://{host}:{rt.settings.port}"
    log.info(
        "CoffeeBuddy is running",
        extra={
            "slash_command_url": f"{base}/slack/commands",
            "interactivity_url": f"{base}/slack/interactions",
            "health": f"{base}/health/ready",
            "metrics": f"{base}/metrics",
            "slack_api": "local server at " + slack.url if slack else rt.settings.slack_api_url,
            "database": rt.settings.database_url.split(":", 1)[0],
            "events": "kafka" if rt.settings.kafka_brokers else "in-process bus",
        },
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        if ticker:
            ticker.stop()
            IN_PROCESS_BUS.stop()
        if slack:
            slack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
