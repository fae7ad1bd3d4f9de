"""`/coffee` on a cold process: answered before the Runtime exists, finished right after.

The slash function's intake runs on a fresh `LazyRuntime` whose build hands over the test's
runtime (real Postgres, the local Slack API server), so the first requests meet what a
process that has not built its Runtime yet does.
"""

from __future__ import annotations

import json
import threading

import pytest
from sqlmodel import Session, select

from shared.db.models import Run
from shared.lazy_runtime import LazyRuntime
from shared.web.http import HttpRequest
from tests.conftest import SIGNING_SECRET
from tests.support.slack_requests import CHANNEL, command_body, sign


class _Slash:
    """`functions.slash.main`, imported once the test environment is set (it reads it)."""

    @staticmethod
    def serve(lazy, request):
        import functions.slash.main as function

        return function.serve(lazy, request)


slash = _Slash()


@pytest.fixture
def cold(runtime):
    """A process that has not built its Runtime; `lazy.release` may be cleared to hold it."""
    builds = []
    release = threading.Event()
    release.set()

    def build(_secrets):
        assert release.wait(30)
        builds.append(runtime)
        return runtime

    lazy = LazyRuntime(build, clock=runtime.clock)
    lazy.builds = builds  # type: ignore[attr-defined]
    lazy.release = release  # type: ignore[attr-defined]
    yield lazy
    release.set()
    assert lazy.wait_for_deferred(30), "deferred work still running"


def post(lazy, runtime, text, *, slack_api, user="U1", secret=SIGNING_SECRET, headers=None):
    body = command_body(text, user=user, response_url=slack_api.response_url(CHANNEL, user))
    signed = {
        k.lower(): v for k, v in sign(secret, body, int(runtime.clock.now().timestamp())).items()
    }
    signed.update(headers or {})
    return slash.serve(lazy, HttpRequest(method="POST", path="/", headers=signed, body=body))


def runs(runtime) -> list[Run]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(Run)).all())


def test_first_coffee_is_answered_at_once_then_saved_and_posted(cold, runtime, slack_api):
    cold.release.clear()  # the Runtime's build is slow: the answer must not wait for it
    response = post(cold, runtime, "in 20m Blue Bottle", slack_api=slack_api)

    assert (response.status, response.body) == (200, b"")
    assert cold.built() is None and runs(runtime) == []
    cold.release.set()
    assert cold.wait_for_deferred(30)
    [run] = runs(runtime)
    assert (run.status, run.pickup_note) == ("open", "Blue Bottle")
    [posted] = slack_api.messages(CHANNEL)
    assert run.message_ts == posted["ts"]
    assert slack_api.calls_to("response_url") == []  # nothing to say: the run message says it
    assert cold.builds == [runtime]


def test_help_and_syntax_errors_need_no_runtime_and_start_warming_it(cold, runtime, slack_api):
    gate = cold.builds
    response = post(cold, runtime, "at noon-ish", slack_api=slack_api)

    reply = json.loads(response.body)
    assert reply["response_type"] == "ephemeral" and "/coffee" in reply["text"]
    assert runs(runtime) == [] and slack_api.calls == []
    assert cold.wait_for_deferred(30)
    assert gate == [runtime] and cold.built() is runtime  # warmed up in the background


def test_a_refusal_that_needs_state_reaches_the_person_through_response_url(
    cold, runtime, slack_api
):
    # A warm process first opens a run in the channel.
    warm = LazyRuntime(lambda _: runtime, clock=runtime.clock)
    warm.get()
    assert post(warm, runtime, "in 20m", slack_api=slack_api).status == 200

    response = post(cold, runtime, "in 30m", user="U2", slack_api=slack_api)

    assert (response.status, response.body) == (200, b"")
    assert cold.wait_for_deferred(30)
    assert len(runs(runtime)) == 1
    [reply] = slack_api.ephemerals(CHANNEL, "U2")
    assert reply["text"].startswith("There's already an open coffee run here")


def test_once_built_the_answer_carries_the_result(cold, runtime, slack_api):
    assert post(cold, runtime, "in 20m", slack_api=slack_api).body == b""
    assert cold.wait_for_deferred(30)

    response = post(cold, runtime, "in 30m", user="U2", slack_api=slack_api)

    reply = json.loads(response.body)
    assert reply["text"].startswith("There's already an open coffee run here")
    assert slack_api.calls_to("response_url") == []


def test_a_failure_after_the_answer_says_sorry_with_the_reference(
    cold, runtime, slack_api, monkeypatch
):
    import shared.handlers.slash_command as handler

    def broken(**_):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(handler, "start_run", broken)
    response = post(
        cold, runtime, "in 20m", slack_api=slack_api, headers={"x-correlation-id": "ref-42"}
    )

    assert response.status == 200 and response.headers["X-Correlation-Id"] == "ref-42"
    assert cold.wait_for_deferred(30)
    [reply] = slack_api.ephemerals(CHANNEL, "U1")
    assert reply["text"].startswith("Sorry, something went wrong") and "ref-42" in reply["text"]
    assert runs(runtime) == []


def test_a_bad_signature_is_refused_without_building_anything(cold, runtime, slack_api):
    response = post(cold, runtime, "in 20m", slack_api=slack_api, secret="not-the-secret")

    assert response.status == 401
    assert cold.wait_for_deferred(5)
    assert cold.built() is None and runs(runtime) == [] and slack_api.calls == []


def test_a_slack_retry_of_a_deferred_command_starts_one_run(cold, runtime, slack_api):
    body = command_body("in 20m", response_url=slack_api.response_url(CHANNEL, "U1"))
    stamp = int(runtime.clock.now().timestamp())
    for retry in (None, "1"):
        headers = {k.lower(): v for k, v in sign(SIGNING_SECRET, body, stamp).items()}
        if retry:
            headers["x-slack-retry-num"] = retry
        request = HttpRequest(method="POST", path="/", headers=headers, body=body)
        assert slash.serve(cold, request).status == 200
    assert cold.wait_for_deferred(30)
    assert len(runs(runtime)) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def get(lazy, path):
    return slash.serve(lazy, HttpRequest(method="GET", path=path, headers={}, body=b""))


def test_ready_at_once_when_cold_then_checks_the_database(cold, runtime, monkeypatch):
    # Knative routes the first request only once the pod is ready: a cold process must not
    # build its Runtime (the heavy imports) to say so.
    response = get(cold, "/health/ready")
    assert response.status == 200 and cold.built() is None
    assert json.loads(response.body)["database"] == "not checked until first use"

    cold.get()
    assert json.loads(get(cold, "/health/ready").body)["database"] == "ok"
    import shared.web.endpoints as endpoints

    monkeypatch.setattr(endpoints, "database_is_reachable", lambda engine: False)
    assert get(cold, "/health/ready").status == 503


def test_live_and_metrics_need_no_runtime(cold):
    live, metrics = get(cold, "/health/live"), get(cold, "/metrics")
    assert live.status == 200 and b"coffeebuddy_requests_total" in metrics.body
    assert cold.built() is None


def test_admin_on_a_cold_process_says_so_when_the_modal_came_too_late(cold, runtime, slack_api):
    slack_api.add_user("UADMIN", "ada", tz="UTC", is_admin=True)
    slack_api.fail_next("views.open", status=200, error="expired_trigger_id")

    response = post(cold, runtime, "admin", user="UADMIN", slack_api=slack_api)

    assert (response.status, response.body) == (200, b"")
    assert cold.wait_for_deferred(30)
    [reply] = slack_api.ephemerals(CHANNEL, "UADMIN")
    assert reply["text"] == "I couldn't open the settings in time. Please try again."
