"""mrkdwn as HTML: escaped first, then Slack's marks and tokens; nothing typed runs."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from local.playground.mrkdwn import RenderContext, mrkdwn_html, plain_html
from local.playground.slack_dates import format_slack_date
from shared.text import escape_mrkdwn

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PICKUP = int(datetime(2026, 11, 25, 9, 30, tzinfo=UTC).timestamp())


def ctx(viewer: str = "U0BOB", tz: str = "Europe/Berlin") -> RenderContext:
    return RenderContext(
        people={"U0ALICE": "alice", "U0BOB": "bob"},
        channels={"C0COFFEE": "coffee"},
        viewer=viewer,
        tz=ZoneInfo(tz),
        now=NOW,
    )


def test_a_note_with_a_script_tag_renders_as_text():
    note = escape_mrkdwn("<script>alert(1)</script> & <b>cake</b>")
    rendered = mrkdwn_html(f":memo: {note}", ctx())
    assert "<script" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;cake&lt;/b&gt;" in rendered


def test_raw_angle_brackets_that_are_no_slack_token_stay_text():
    rendered = mrkdwn_html('<img src=x onerror="alert(1)">', ctx())
    assert "<img" not in rendered
    assert rendered == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


def test_quotes_and_ampersands_are_escaped_for_attributes_and_text():
    rendered = mrkdwn_html('it\'s "5" &amp; more', ctx())
    assert rendered == "it&#x27;s &quot;5&quot; &amp; more"


def test_bold_italic_strike_and_code():
    rendered = mrkdwn_html("*Coffee run* _Why: fair_ ~old~ `in 20m`", ctx())
    assert rendered == (
        "<strong>Coffee run</strong> <em>Why: fair</em> <del>old</del> <code>in 20m</code>"
    )


def test_marks_need_word_boundaries_and_stay_on_one_line():
    assert mrkdwn_html("snake_case_name and 2*3*4", ctx()) == "snake_case_name and 2*3*4"
    assert mrkdwn_html("*not\nbold*", ctx()) == "*not<br>bold*"


def test_code_span_content_is_not_formatted_and_is_escaped():
    assert mrkdwn_html("`*x* <b>`", ctx()) == "<code>*x* &lt;b&gt;</code>"
    assert mrkdwn_html("```a\n<b>```", ctx()) == "<pre>a\n&lt;b&gt;</pre>"


def test_mentions_become_names_and_the_reader_stands_out():
    rendered = mrkdwn_html("<@U0ALICE> and <@U0BOB> and <@U0NOBODY>", ctx())
    assert '<span class="pg-mention">@alice</span>' in rendered
    assert '<span class="pg-mention pg-mention-me">@bob</span>' in rendered
    assert "@U0NOBODY" in rendered


def test_mention_labels_are_escaped():
    rendered = mrkdwn_html("<@U0X|<i>eve</i>>", ctx())
    assert "<i>" not in rendered


def test_channels_broadcasts_and_links():
    rendered = mrkdwn_html("<#C0COFFEE> <!here> <https://example.com/a?b=1&amp;c=2|menu>", ctx())
    assert '<span class="pg-mention">#coffee</span>' in rendered
    assert '<span class="pg-mention">@here</span>' in rendered
    assert '<a href="https://example.com/a?b=1&amp;c=2" target="_blank"' in rendered
    assert ">menu</a>" in rendered


def test_only_web_links_become_anchors():
    rendered = mrkdwn_html("<javascript:alert(1)|click>", ctx())
    assert "<a" not in rendered and "&lt;javascript:alert(1)|click&gt;" in rendered


def test_dates_show_in_the_readers_timezone_with_the_fallback_as_title():
    token = f"<!date^{PICKUP}^{{time}}|09:30 UTC>"
    berlin = mrkdwn_html(token, ctx(tz="Europe/Berlin"))
    new_york = mrkdwn_html(token, ctx(tz="America/New_York"))
    assert ">10:30</time>" in berlin and 'title="09:30 UTC"' in berlin
    assert ">04:30</time>" in new_york


def test_unknown_date_fields_or_bad_timestamps_show_the_fallback_text():
    assert mrkdwn_html(f"<!date^{PICKUP}^{{weird}}|half past &amp; nine>", ctx()) == (
        "half past &amp; nine"
    )
    assert mrkdwn_html("<!date^soon^{time}|soon>", ctx()) == "soon"


@pytest.mark.parametrize(
    ("template", "shown"),
    [
        ("{date_num} {time_secs}", "2026-11-25 10:30:00"),
        ("{date}", "November 25th, 2026"),
        ("{date_short}", "Nov 25, 2026"),
        ("{date_long}", "Wednesday, November 25th, 2026"),
        ("{date_pretty} at {time}", "today at 10:30"),
        ("{ago}", "in 30 minutes"),
    ],
)
def test_slack_date_fields(template: str, shown: str):
    assert format_slack_date(PICKUP, template, tz=ZoneInfo("Europe/Berlin"), now=NOW) == shown


def test_placeholders_cannot_be_forged_by_typed_text():
    rendered = mrkdwn_html("\ue0000\ue001 <@U0ALICE>", ctx())
    assert rendered.count("@alice") == 1
    assert "\ue000" not in rendered


def test_emoji_shortcodes_and_newlines():
    assert (
        mrkdwn_html(":coffee: hi\n:unknown_thing:", ctx()) == "\u2615\ufe0f hi<br>:unknown_thing:"
    )


def test_plain_text_is_escaped_and_emoji_can_be_off():
    assert plain_html("<b>:coffee:</b>") == "&lt;b&gt;\u2615\ufe0f&lt;/b&gt;"
    assert plain_html(":coffee:", emoji=False) == ":coffee:"
