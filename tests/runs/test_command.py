from __future__ import annotations

import pytest

from shared.runs.command import (
    Admin,
    ClockTime,
    CommandError,
    Delay,
    ShowHelp,
    StartRun,
    parse_command,
)


@pytest.mark.parametrize(
    ("text", "pickup", "note"),
    [
        ("", None, None),
        ("   ", None, None),
        ("10:30", ClockTime(10, 30, "10:30"), None),
        ("10:30 Blue Bottle on 3rd", ClockTime(10, 30, "10:30"), "Blue Bottle on 3rd"),
        ("2:15pm", ClockTime(14, 15, "2:15pm"), None),
        ("2:15 PM corner cafe", ClockTime(14, 15, "2:15 PM"), "corner cafe"),
        ("12:05am", ClockTime(0, 5, "12:05am"), None),
        ("12pm", ClockTime(12, 0, "12pm"), None),
        ("3pm", ClockTime(15, 0, "3pm"), None),
        ("in 20m", Delay(20, "in 20m"), None),
        ("in 20 min the usual", Delay(20, "in 20 min"), "the usual"),
        ("in 1h", Delay(60, "in 1h"), None),
        ("in 2 hours", Delay(120, "in 2 hours"), None),
    ],
)
def test_start_run_grammar(text, pickup, note):
    assert parse_command(text) == StartRun(pickup=pickup, note=note)


def test_slack_escapes_are_undone_in_notes():
    assert parse_command("in 20m Tea &amp; cake &lt;3").note == "Tea & cake <3"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("25:00", "isn't a time"),
        ("10:61", "isn't a time"),
        ("13pm", "hour is 1 to 12"),
        ("10", "ambiguous"),
        ("7x", "isn't a time I understand"),
        ("in 0m", "between 1 minute and 12 hours"),
        ("in 13h", "between 1 minute and 12 hours"),
        ("in -5m", "between 1 minute and 12 hours"),
        ("in -1 hour", "between 1 minute and 12 hours"),
        ("in \u22125m", "between 1 minute and 12 hours"),  # a typographic minus
        ("in 99999m", "between 1 minute and 12 hours"),
        ("in 1" + "0" * 3000 + "m", "between 1 minute and 12 hours"),
        ("in 20 fortnights", "as a delay"),
    ],
)
def test_bad_time_explains_and_shows_usage(text, fragment):
    result = parse_command(text)
    assert isinstance(result, CommandError)
    assert fragment in result.message
    assert "/coffee in 20m" in result.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("10:30 " + "n" * 201, "200 or fewer"), ("10:30 tab\there", "control characters")],
)
def test_bad_note_says_what_is_wrong(text, fragment):
    result = parse_command(text)
    assert isinstance(result, CommandError)
    assert fragment in result.message


def test_keywords():
    assert parse_command("help") == ShowHelp()
    assert parse_command("HELP me") == ShowHelp()
    assert parse_command("admin reminders 10") == Admin(args=("reminders", "10"))


def test_any_other_word_gets_help_naming_it():
    assert parse_command("latte please") == ShowHelp(unknown_word="latte")


def test_a_negative_delay_gets_the_same_answer_as_a_zero_one():
    assert parse_command("in -5m") == parse_command("in 0m")
