"""`python -m local`: CoffeeBuddy on one port with the embedded defaults.

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

from local.slack_api import SlackApiServer
from shared.runtime import Runtime

LOCAL_SECRET = "local-signing-secret"  # noqa: S105  (local-only, printed in the README)
LOCAL_TOKEN = "xoxb-local-coffeebuddy"  # noqa: S105  (accepted only by the local Slack server)
SAMPLE_PEOPLE = (
    ("U0ALICE", "alice", "Europe/London"),  # a workspace admin: she can try /coffee admin
    ("U0BOB", "bob", "Europe/Berlin"),
    ("U0CAROL", "carol", "America/New_York"),
)
LOCAL_DB = "coffeebuddy.db"
RESTARTED = "Canceled when the local run restarted."
log = logging.getLogger("coffeebuddy.local")


def _prepare_environment(state_dir: Path) -> SlackApiServer | None:
    state_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{state_dir / LOCAL_DB}")
    if os.environ.get("SLACK_BOT_TOKEN") and os.environ.get("SLACK_SIGNING_SECRET"):
        return None
    slack = SlackApiServer(token=LOCAL_TOKEN)
    for user_id, name, tz in SAMPLE_PEOPLE:
        slack.add_user(user_id, name, tz=tz, is_admin=user_id == "U0ALICE")
    slack.start()
    page = f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8080')}"
    os.environ.update(
        {
            "SLACK_BOT_TOKEN": LOCAL_TOKEN,
            "SLACK_SIGNING_SECRET": LOCAL_SECRET,
            "SLACK_API_URL": slack.url,
            # The playground hands out response_urls on its own page.
            "SLACK_RESPONSE_URL_PREFIXES": f"{page}/playground/",
        }
    )
    return slack


def _forget_lost_messages(rt: Runtime) -> None:
    """The local Slack server keeps messages in memory: after a restart, runs still open in
    SQLite point at messages that no longer exist, so they are canceled, not left stuck."""
    from sqlmodel import col, select

    from shared.db.engine import transaction
    from shared.db.models import Run
    from shared.statuses import RunStatus

    with transaction(rt.engine) as session:
        stale = session.exec(
            select(Run).where(col(Run.status).in_((RunStatus.OPEN, RunStatus.CLOSING)))
        ).all()
        for run in stale:
            run.cancel(by="coffeebuddy", now=rt.clock.now(), note=RESTARTED)
            session.add(run)
    if stale:
        log.info("canceled runs left open by the last local run", extra={"count": len(stale)})


def _say_where(base: str, *, playground: bool) -> None:
    """One plain line among the JSON logs, once the port is listening: what to open."""
    host, _, port = base.removeprefix("http://").rpartition(":")
    if host in ("0.0.0.0", "::", "[::]", ""):  # noqa: S104  (read here, not bound)
        base = f"http://127.0.0.1:{port}"  # listening everywhere: this machine works
    if playground:
        line = f"CoffeeBuddy is running: open {base}/"
    else:
        line = (
            f"CoffeeBuddy is running on {base} for your Slack workspace: its requests go to "
            "/slack/commands and /slack/interactions (through your tunnel)"
        )
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    state_dir = Path(os.environ.get("COFFEEBUDDY_STATE_DIR", ".coffeebuddy"))
    slack = _prepare_environment(state_dir)
    from shared.db.migrate import upgrade
    from shared.web.startup import start_function

    rt = start_function("local")
    upgrade(rt.settings.database_url)
    if slack is not None and rt.settings.database_url.endswith(f"/{state_dir / LOCAL_DB}"):
        _forget_lost_messages(rt)  # only in our own SQLite file, never a database given to us
    if rt.settings.prometheus_metrics_port:
        from prometheus_client import start_http_server

        from shared.observability.metrics import load_metrics

        load_metrics()

        try:
            start_http_server(rt.settings.prometheus_metrics_port, addr="127.0.0.1")
        except OSError:
            log.warning(
                "metrics exporter port busy; /metrics on the main port still works",
                extra={"port": rt.settings.prometheus_metrics_port},
            )

    from local.events import InProcessBus, Ticker, wire_bus
    from shared.intake.runtime import get_intake_runtime

    ticker = None
    bus = InProcessBus()
    if not rt.settings.kafka_brokers:
        # Hand every function's runtime this process's bus (no broker to publish to).
        rt.publisher = get_intake_runtime().publisher = bus
        wire_bus(rt, bus)
        bus.start()
        ticker = Ticker(rt, float(os.environ.get("COFFEEBUDDY_TICK_SECONDS", "60")))
        ticker.start()

    import functions.interactions.main as interactions
    import functions.slash.main as slash
    from local.app import build_app

    app = build_app(
        rt, {"/slack/commands": slash.slash, "/slack/interactions": interactions.interactions}
    )
    host = os.environ.get("HOST", "127.0.0.1")
    server = make_server(host, rt.settings.port, app, threaded=True)
    base = f"http://{host}:{rt.settings.port}"
    if slack is not None:
        from local.playground import OffsetClock, mount_playground
        from shared.intake.runtime import get_intake_runtime

        # System time that the playground can move forward, for every function.
        rt.clock = get_intake_runtime().clock = clock = OffsetClock()
        mount_playground(app, rt, slack, clock=clock, people=SAMPLE_PEOPLE, base_url=base)
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
    _say_where(base, playground=slack is not None)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        if ticker:
            ticker.stop()
            bus.stop()
        if slack:
            slack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
