"""The `/coffee` grammar over everything a person can type: each text is read as what it
says or answered with what's wrong, never raised on, and what is shown back is inert."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.limits import PICKUP_NOTE_MAX
from shared.runs.command import (
    MAX_DELAY_MINUTES,
    Admin,
    ClockTime,
    CommandError,
    Delay,
    ForgetMe,
    ShowHelp,
    ShowStats,
    StartRun,
    parse_command,
)
from shared.slack.render.notices import help_text
from shared.text import unescape_slack
from tests.support.hostile_text import SCRIPT_TIME, TYPED

MANY = settings(max_examples=400, deadline=None)
INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def assert_inert(shown: str) -> None:
    """Nothing typed comes back as a mention, link or broadcast, or as an invisible
    character: our own texts hold no < or >, so any there would be the person's."""
    assert "<" not in shown and ">" not in shown, shown
    assert not any(unicodedata.category(ch) in INVISIBLE - {"Cc"} for ch in shown), shown
    assert not any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in shown), shown


def words(text: str, n: int) -> str:
    return " ".join(unescape_slack(text).split()[:n])


@given(text=TYPED)
@MANY
def test_any_text_is_read_as_it_says_or_explained(text: str):
    result = parse_command(text)

    if isinstance(result, CommandError):
        assert result.message
        assert_inert(result.message)
    elif isinstance(result, ShowHelp):
        assert_inert(help_text(result.unknown_word))
    elif isinstance(result, Admin | ShowStats | ForgetMe):
        assert words(text, 1).lower() in ("admin", "stats", "forget-me")
    else:
        assert isinstance(result, StartRun)
        pickup = result.pickup
        if isinstance(pickup, ClockTime):
            assert pickup.written.isascii()  # never another script's digits, read as ours
            assert pickup.written == words(text, len(pickup.written.split()))
            assert 0 <= pickup.hour <= 23 and 0 <= pickup.minute <= 59
            assert f"{pickup.minute:02d}" in pickup.written or pickup.minute == 0
        elif isinstance(pickup, Delay):
            assert pickup.written.isascii()
            assert pickup.written == words(text, len(pickup.written.split()))
            assert 1 <= pickup.minutes <= MAX_DELAY_MINUTES
        if result.note is not None:
            assert result.note.encode("utf-8")  # storable: no lone surrogate
            assert len(result.note) <= PICKUP_NOTE_MAX
            assert result.note in unescape_slack(text)
            assert not any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in result.note)
            assert any(
                unicodedata.category(ch)[0] in "LNPS" or unicodedata.category(ch) in ("Co", "Cn")
                for ch in result.note
            )


@given(time=SCRIPT_TIME)
@MANY
def test_a_time_in_another_scripts_digits_is_explained_not_read(time: str):
    result = parse_command(f"{time} note")

    if time.isascii():
        assert result == StartRun(pickup=ClockTime(10, 30, "10:30"), note="note")
    else:
        assert isinstance(result, CommandError)
        assert "digits 0 to 9" in result.message


@pytest.mark.parametrize(
    "text",
    [
        "\u0661\u0660:\u0663\u0660",  # Arabic-Indic 10:30
        "\uff11\uff10:\uff13\uff10",  # fullwidth 10:30
        "\u0967\u0966:\u0969\u0966",  # Devanagari 10:30
        "in \u0662\u0660m",  # in 20m, Arabic-Indic
        "\u00b2:30",  # superscript two: str.isdigit() says yes, int() raises
        "\u2460\u24ea:30",  # circled digits: the same
        "1\u00b2:30",
    ],
)
def test_digits_other_than_0_to_9_get_a_field_error(text: str):
    result = parse_command(text)

    assert isinstance(result, CommandError)
    assert "digits 0 to 9" in result.message


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("10:30\u200b", "[U+200B]"),  # zero-width space after the time
        ("\u200f10:30", "[U+200F]"),  # a right-to-left mark before it
        ("\u202e03:01", "[U+202E]"),  # an override: shows as 10:30, says 03:01
        ("1\u00ad0:30", "[U+00AD]"),  # a soft hyphen
    ],
)
def test_a_time_with_an_invisible_character_is_refused_and_the_character_named(text, named):
    result = parse_command(text)

    assert isinstance(result, CommandError)
    assert "isn't a time I understand" in result.message and named in result.message


@pytest.mark.parametrize(
    ("text", "pickup", "note"),
    [
        ("2:15\u202fpm", ClockTime(14, 15, "2:15 pm"), None),  # macOS's "2:15 PM" pasted
        ("in\u00a020m\u00a0corner cafe", Delay(20, "in 20m"), "corner cafe"),
        ("10:30\u3000Blue Bottle", ClockTime(10, 30, "10:30"), "Blue Bottle"),
        (
            "10:30 cafe\u0301 \u05e7\u05e4\u05d4",
            ClockTime(10, 30, "10:30"),
            "cafe\u0301 \u05e7\u05e4\u05d4",
        ),
        (
            "10:30 \U0001f469\u200d\U0001f4bb team",
            ClockTime(10, 30, "10:30"),
            "\U0001f469\u200d\U0001f4bb team",
        ),
    ],
)
def test_spaces_of_any_kind_separate_words_and_notes_keep_what_was_typed(text, pickup, note):
    result = parse_command(text)

    assert isinstance(result, StartRun) and result.pickup == pickup
    assert result.note == note


@pytest.mark.parametrize("note", ["\u200b", "\u200f\u200e", "\ufeff", "\u0301", "\u00a0\u200b"])
def test_a_note_with_nothing_visible_is_no_note(note: str):
    assert parse_command(f"10:30 {note}") == StartRun(pickup=ClockTime(10, 30, "10:30"), note=None)


@pytest.mark.parametrize("note", ["one\u2028two", "one\u2029two", "half \ud800 a pair"])
def test_a_note_that_breaks_the_line_or_cant_be_stored_is_refused(note: str):
    result = parse_command(f"10:30 {note}")

    assert isinstance(result, CommandError) and "one line" in result.message


def test_units_are_english_letters_only():
    """Python's IGNORECASE would read U+017F (long s) as s: "in 2 hour\u017f" is not 2 hours."""
    assert isinstance(parse_command("in 2 hour\u017f"), CommandError)
    assert parse_command("in 2 HOURS") == StartRun(pickup=Delay(120, "in 2 HOURS"), note=None)


@given(text=st.text(st.characters(exclude_categories=()), max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_code_point_after_a_keyword_or_time_never_raises(text: str):
    for prefix in ("", "10:30 ", "in 5m ", "help ", "admin ", "in ", "1"):
        parse_command(prefix + text)
