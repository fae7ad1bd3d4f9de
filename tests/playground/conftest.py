"""The playground on the app's real Slack endpoints, in this process, on the test services.

The app and the page are one Flask app behind a real HTTP server (the page signs requests
and posts them to it, as in the local run); events go to the close and reminders functions
through the test deliverer, so each test decides when they arrive.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from werkzeug.serving import make_server

PEOPLE = (
    ("U1", "ann", "Europe/London"),
    ("U2", "ben", "America/New_York"),
    ("U3", "cy", "Asia/Tokyo"),
)


@dataclass
class Page:
    client: Any
    playground: Any
    events: Any
    slack_api: Any
    base_url: str

    def post(self, route: str, as_: str, /, **body: Any) -> tuple[int, dict[str, Any]]:
        response = self.client.post(f"/playground/api/{route}", json={"as": as_, **body})
        answer = response.get_json()
        if isinstance(answer, dict) and "panes" in answer:
            # What the page shows once its next poll sees what the events delivered.
            answer["panes"] = self.state(as_)
        else:
            self.events.run()
        return response.status_code, answer

    def state(self, as_: str) -> dict[str, Any]:
        self.events.run()
        response = self.client.get(f"/playground/api/state?as={as_}")
        assert response.status_code == 200
        return response.get_json()["panes"]


@contextmanager
def serve_page(runtime: Any, slack_api: Any, events: Any, clock: Any) -> Iterator[Page]:
    """The app's functions and the page on one real HTTP server; the page signs with
    ``clock`` (the app checks signatures against ``runtime.clock``)."""
    import functions.interactions.main as interactions
    import functions.slash.main as slash
    from local.app import build_app
    from local.playground import mount_playground

    app = build_app(
        runtime, {"/slack/commands": slash.slash, "/slack/interactions": interactions.interactions}
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.port}"
    settings = runtime.settings
    # The page hands out response_urls on its own origin, as the local run allows them.
    runtime.settings = dataclasses.replace(
        settings, response_url_prefixes=(*settings.response_url_prefixes, f"{base_url}/playground/")
    )
    playground = mount_playground(
        app,
        runtime,
        slack_api,
        clock=clock,
        people=PEOPLE,
        base_url=base_url,
        tick=lambda: events.tick(runtime.clock),
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Page(app.test_client(), playground, events, slack_api, base_url)
    finally:
        runtime.settings = settings
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def page(runtime: Any, slack_api: Any, events: Any) -> Iterator[Page]:
    with serve_page(runtime, slack_api, events, runtime.clock) as served:
        yield served


@pytest.fixture
def page_off_the_apps_clock(runtime: Any, slack_api: Any, events: Any) -> Iterator[Page]:
    """A page whose clock is not the one the app verifies signatures against: an app in
    another process, or one whose functions kept the system clock."""
    from shared.clock import ManualClock

    with serve_page(runtime, slack_api, events, ManualClock(runtime.clock.now())) as served:
        yield served


# -- the browser tests' local run and Chromium (one of each per test module) ---------------


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.playground.browsing import local_run_process

    with local_run_process(tmp_path_factory.mktemp("local-run")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from tests.playground.browsing import chromium

    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context
