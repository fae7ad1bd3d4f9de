"""`/coffee` through the real functions-framework target, real Postgres and the Slack API server."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from shared.db.models import Channel, Run, User
from shared.events import catalog
from tests.support.slack_requests import (
    CHANNEL,
    block_action,
    command_body,
    interaction_body,
    sign,
)


def runs(rt) -> list[Run]:
    with Session(rt.engine) as session:
        return list(session.exec(select(Run)).all())


def test_coffee_with_time_and_note_persists_run_and_posts_message(runtime, slack, slack_api):
    response = slack.commands.post(command_body("10:30 Blue Bottle on 3rd"))

    assert response.status_code == 200
    [run] = runs(runtime)
    assert run.status == "open"
    assert run.pickup_note == "Blue Bottle on 3rd"
    # U1 is in Europe/London: 10:30 local on 2026-11-25 is 10:30 UTC (no DST in November).
    assert run.pickup_at.isoformat() == "2026-11-25T10:30:00+00:00"
    [post] = slack_api.calls_to("chat.postMessage")
    assert post.args["channel"] == CHANNEL
    assert run.message_ts == slack_api.messages(CHANNEL)[0]["ts"]
    rendered = str(post.args["blocks"])
    assert "Blue Bottle on 3rd" in rendered and "0 people" in rendered


def test_pickup_time_uses_the_invoking_users_timezone(runtime, slack):
    slack.commands.post(command_body("10:30", user="U2"))  # New York, UTC-5
    [run] = runs(runtime)
    assert run.pickup_at.isoformat() == "2026-11-25T15:30:00+00:00"


def test_timezone_is_looked_up_once_and_cached(runtime, slack, slack_api):
    slack.commands.post(command_body("in 20m"))
    [run] = runs(runtime)
    slack.interactions.post(interaction_body(block_action("run_cancel", str(run.id))))
    slack.commands.post(command_body("11:00"))
    assert len(slack_api.calls_to("users.info")) == 1
    with Session(runtime.engine) as session:
        assert session.get(User, "U1").tz == "Europe/London"


def test_relative_pickup_time(runtime, slack):
    slack.commands.post(command_body("in 20m"))
    [run] = runs(runtime)
    assert run.pickup_at == runtime.clock.now() + timedelta(minutes=20)


def test_bare_coffee_starts_a_run_without_pickup_time(runtime, slack):
    response = slack.commands.post(command_body(""))
    assert response.status_code == 200
    [run] = runs(runtime)
    assert run.pickup_at is None and run.pickup_note is None


def replies(slack_api, user: str = "U1") -> list[str]:
    """What reached the person through their command's response_url."""
    return [r.text or "" for r in slack_api.responses(user=user)]


def test_past_time_is_refused_and_nothing_is_saved(runtime, slack, slack_api):
    response = slack.commands.post(command_body("8:15"))
    assert response.status_code == 200 and response.data == b""
    [reply] = replies(slack_api)
    assert "already passed" in reply
    assert runs(runtime) == []
    assert slack_api.calls_to("chat.postMessage") == []


def test_bad_syntax_gets_usage_and_nothing_is_saved(runtime, slack):
    response = slack.commands.post(command_body("25:99 somewhere"))
    assert "isn't a time" in response.json["text"]
    assert "/coffee in 20m" in response.json["text"]
    assert runs(runtime) == []


def test_oversize_note_is_refused(runtime, slack):
    response = slack.commands.post(command_body("in 20m " + "x" * 201))
    assert "200 or fewer" in response.json["text"]
    assert runs(runtime) == []


def test_second_open_run_in_channel_is_refused(runtime, slack, slack_api):
    slack.commands.post(command_body("in 20m"))
    slack.commands.post(command_body("in 30m", user="U2"))
    [reply] = replies(slack_api, "U2")
    assert "already an open coffee run" in reply
    assert len(runs(runtime)) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_slack_retry_of_a_handled_command_creates_no_second_run(runtime, slack, slack_api):
    body = command_body("in 20m", trigger_id="trig.same")
    slack.commands.post(body)
    retry = slack.commands.post(
        body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert retry.status_code == 200
    assert len(runs(runtime)) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_help_and_unknown_words_get_help(runtime, slack):
    assert "/coffee [pickup time] [note]" in slack.commands.post(command_body("help")).json["text"]
    unknown = slack.commands.post(command_body("frobnicate")).json["text"]
    assert "I don't know `frobnicate`" in unknown
    assert runs(runtime) == []


def test_disabled_channel_gets_clear_message_and_nothing_is_recorded(runtime, slack, slack_api):
    with Session(runtime.engine) as session:
        session.add(Channel(id=CHANNEL, enabled=False))
        session.commit()
    slack.commands.post(command_body("in 20m"))
    [reply] = replies(slack_api)
    assert "turned off in this channel" in reply
    assert runs(runtime) == []
    assert slack_api.calls_to("chat.postMessage") == []


def test_bad_signature_is_401_and_writes_nothing(runtime, slack, slack_api):
    body = command_body("in 20m")
    headers = sign("wrong-secret", body, int(runtime.clock.now().timestamp()))
    response = slack.commands.client.post("/", data=body, headers=headers)
    assert response.status_code == 401
    missing = slack.commands.client.post("/", data=body)
    assert missing.status_code == 401
    assert runs(runtime) == []
    assert slack_api.calls == []


def test_stale_timestamp_is_401(runtime, slack):
    body = command_body("in 20m")
    stale = int((runtime.clock.now() - timedelta(minutes=6)).timestamp())
    response = slack.commands.client.post(
        "/", data=body, headers=sign("test-signing-secret-4f1c2b", body, stale)
    )
    assert response.status_code == 401
    assert runs(runtime) == []


def test_tampered_body_is_401(runtime, slack):
    body = command_body("in 20m")
    headers = sign("test-signing-secret-4f1c2b", body, int(runtime.clock.now().timestamp()))
    response = slack.commands.client.post(
        "/", data=body.replace(b"in+20m", b"in+30m"), headers=headers
    )
    assert response.status_code == 401


def test_malformed_form_is_400_with_reason(runtime, slack):
    response = slack.commands.post(b"text=hello")
    assert response.status_code == 400
    assert "missing" in response.json["error"]
    assert runs(runtime) == []


def test_not_in_channel_marks_run_failed_and_frees_the_channel(runtime, slack, slack_api):
    slack_api.fail_next("chat.postMessage", status=200, error="not_in_channel")
    response = slack.commands.post(command_body("in 20m"))
    assert response.status_code == 200 and response.data == b""
    [reply] = slack_api.responses(user="U1")  # through the command's response_url
    assert "/invite @CoffeeBuddy" in reply.text
    [run] = runs(runtime)
    assert run.status == "failed" and "not_in_channel" in run.failure_reason
    again = slack.commands.post(command_body("in 20m"))
    assert again.data == b""
    assert len([r for r in runs(runtime) if r.status == "open"]) == 1


def test_health_endpoints(runtime, slack):
    assert slack.commands.client.get("/health/live").status_code == 200
    ready = slack.commands.client.get("/health/ready")
    assert ready.status_code == 200 and ready.json["status"] == "ok"  # nothing to wait for
    metrics = slack.commands.client.get("/metrics").data.decode()
    assert "coffeebuddy_requests_total" in metrics


def test_the_intake_answers_without_slack_or_the_database(runtime, slack, slack_api, events):
    slack.deliver_events(False)
    response = slack.commands.post(command_body("10:30 Blue Bottle"))
    assert response.status_code == 200 and response.data == b""
    assert slack_api.calls == []  # no users.info, no chat.postMessage before the answer
    assert runs(runtime) == []  # the command is the durable write, not the run
    [handed_on] = events.publisher.of_type(catalog.COMMAND_RECEIVED)
    assert handed_on.data["text"] == "10:30 Blue Bottle"
    assert handed_on.data["user_id"] == "U1" and handed_on.data["response_url"]
    events.run()
    [run] = runs(runtime)
    assert run.pickup_note == "Blue Bottle" and run.message_ts


def test_a_broker_that_refuses_the_command_gets_an_apology_and_nothing_starts(
    runtime, slack, slack_api
):
    runtime.publisher.down = True
    response = slack.commands.post(command_body("in 20m"))
    assert "couldn't take that just now" in response.json["text"]
    runtime.publisher.down = False
    assert runs(runtime) == [] and slack_api.calls == []


def test_a_command_that_arrives_too_late_is_not_acted_on(runtime, slack, slack_api, events):
    slack.deliver_events(False)
    slack.commands.post(command_body("in 20m"))
    runtime.clock.advance(timedelta(minutes=11))  # an outage between the intake and close
    events.run()
    assert runs(runtime) == []
    [reply] = replies(slack_api)
    assert "couldn't get to your `/coffee` in time" in reply


def test_a_replayed_command_is_the_same_event_and_one_run(runtime, slack, slack_api, events):
    body = command_body("in 20m", trigger_id="trig.twice")
    slack.deliver_events(False)
    slack.commands.post(body)
    slack.commands.post(body)
    first, second = events.publisher.of_type(catalog.COMMAND_RECEIVED)
    assert first.id == second.id
    events.run()
    assert len(runs(runtime)) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 1
