"""What a person typed, shown back to them, is text: never a live mention, broadcast or
link, wherever it is echoed (the slash answer, the response_url reply, a click's note)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from sqlmodel import Session

from shared.db.models import UserPreference
from tests.support.hostile_text import TYPED
from tests.support.run_steps import click, order, start
from tests.support.slack_requests import command_body

LIVE = ("<@U0ALICE>", "<!channel>", "<!here>", "<https://evil.example|click>")


def assert_inert(text: str) -> None:
    for markup in LIVE:
        assert markup not in text, text
    assert "<" not in text and ">" not in text, text


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("<@U0ALICE>", "I don't know `&lt;@U0ALICE&gt;`"),  # help's unknown word
        ("*bold* <!channel>", "I don't know `*bold*`"),  # inside the code span: not bold
        ("`x`*bold*", "I don't know `\u02cbx\u02cb*bold*`"),  # a backtick can't end the span
        ("7<!channel>", "`7&lt;!channel&gt;` isn't a time I understand"),
        ("in 5<!here>", "I couldn't read `in 5&lt;!here&gt;` as a delay"),
        ("in 5 <https://evil.example|click>", "`in 5 &lt;https://evil.example|click&gt;`"),
        ("admin `x`<!here>", "I don't know `admin \u02cbx\u02cb&lt;!here&gt;`"),  # admin's word
    ],
)
def test_the_slash_answer_quotes_what_was_typed_escaped(runtime, slack, typed, shown):
    answer = slack.commands.post(command_body(typed)).json["text"]

    assert shown in answer
    assert_inert(answer)


def test_a_slack_escaped_mention_comes_back_escaped_too(runtime, slack):
    """Slack sends a typed `<` as `&lt;`; we read it as `<` and must escape it again."""
    answer = slack.commands.post(command_body("&lt;!channel&gt;")).json["text"]

    assert "I don't know `&lt;!channel&gt;`" in answer
    assert_inert(answer)


def test_a_negative_delay_gets_the_range_not_help(runtime, slack):
    for typed in ("in -5m", "in 0m"):
        answer = slack.commands.post(command_body(typed)).json["text"]
        assert answer.startswith("The pickup must be between 1 minute and 12 hours away.")


def _last_note(slack_api) -> str:
    return slack_api.calls_to("chat.postEphemeral")[-1].args["text"]


def test_already_your_usual_quotes_the_order_escaped(runtime, slack, slack_api):
    run = start(slack, runtime)
    order(slack, run, "U2", "<!channel> <@U0ALICE> tea")
    click(slack, "order_usual", run, user="U2")

    note = _last_note(slack_api)
    assert "already is your usual: &lt;!channel&gt; &lt;@U0ALICE&gt; tea" in note
    assert_inert(note)


def test_the_fallback_text_of_ordered_your_usual_is_escaped(runtime, slack, slack_api):
    with Session(runtime.engine) as session:
        session.add(UserPreference(user_id="U3", last_order_text="<!here> mocha"))
        session.commit()
    run = start(slack, runtime)
    click(slack, "order_usual", run, user="U3")

    note = _last_note(slack_api)
    assert note == ":white_check_mark: Your order *&lt;!here&gt; mocha* is in."


TYPEABLE = TYPED.filter(lambda text: not any("\ud800" <= ch <= "\udfff" for ch in text))


@given(typed=TYPEABLE)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_whatever_is_typed_the_slash_answer_is_inert(runtime, slack, typed):
    slack.deliver_events(False)  # the answer itself; nothing after it
    response = slack.commands.post(command_body(typed))

    assert response.status_code == 200
    if response.data:
        assert_inert(response.json["text"])
