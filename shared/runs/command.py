"""The `/coffee` grammar: pure parsing, no clock, database or Slack.

/coffee                      start a run with no pickup time
/coffee 10:30 [note]         pickup at a clock time today (24 h or 12 h with am/pm)
/coffee 2:15pm [note]
/coffee in 20m [note]        pickup after a delay (m, min, minutes, h, hr, hours)
/coffee help | stats | forget-me | admin ...
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from shared.limits import PICKUP_NOTE_MAX
from shared.text import has_control_characters, has_visible_characters, quote_typed, unescape_slack

MAX_DELAY_MINUTES = 12 * 60

USAGE = (
    "Start a coffee run with `/coffee [pickup time] [note]`, for example "
    "`/coffee`, `/coffee 10:30`, `/coffee 2:15pm Blue Bottle on 3rd` or `/coffee in 20m`."
)

# Times and delays are ASCII: digits 0-9 and English units. re.ASCII also keeps
# IGNORECASE from matching U+017F (long s) as s or U+212A (Kelvin sign) as k.
_CLOCK = re.compile(r"^([0-9]{1,2})(?::([0-9]{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE | re.ASCII)
_DELAY = re.compile(
    r"^in\s+([-\u2212]?)([0-9]+)\s*(m|min|mins|minute|minutes|h|hr|hrs|hour|hours)$",
    re.IGNORECASE | re.ASCII,
)
# A delay attempt: "in", then a number, with a minus sign, in any script's digits (so that
# "in -5m" and "in 5m" in Arabic-Indic digits get a clear answer, not help about "in").
_DELAY_PREFIX = re.compile(r"^in\s+[-\u2212]?\d", re.IGNORECASE)
_MAX_DELAY_DIGITS = 5
DIGITS_HINT = " Write times with the digits 0 to 9, like `10:30` or `in 20m`."
_KEYWORDS = ("help", "admin", "stats", "forget-me")


class ClockTime(NamedTuple):
    """A wall-clock time in the invoking person's timezone, today."""

    hour: int
    minute: int
    written: str


class Delay(NamedTuple):
    minutes: int
    written: str


Pickup = ClockTime | Delay


class StartRun(NamedTuple):
    pickup: Pickup | None
    note: str | None


class ShowHelp(NamedTuple):
    unknown_word: str | None = None


class Admin(NamedTuple):
    args: tuple[str, ...]


class ShowStats(NamedTuple):
    """/coffee stats."""


class ForgetMe(NamedTuple):
    """/coffee forget-me."""


class CommandError(NamedTuple):
    message: str


Command = StartRun | ShowHelp | Admin | ShowStats | ForgetMe


def parse_command(raw_text: str) -> Command | CommandError:
    text = unescape_slack(raw_text).strip()
    if not text:
        return StartRun(pickup=None, note=None)
    first = text.split(maxsplit=1)[0]
    if first.lower() in _KEYWORDS:
        if first.lower() == "help":
            return ShowHelp()
        if first.lower() == "stats":
            return ShowStats()
        if first.lower() == "forget-me":
            return ForgetMe()
        return Admin(args=tuple(text[len(first) :].split()))
    pickup, rest = _take_pickup(text)
    if isinstance(pickup, CommandError):
        return pickup if USAGE in pickup.message else CommandError(f"{pickup.message} {USAGE}")
    if pickup is None:
        return ShowHelp(unknown_word=first[:40])
    note = _parse_note(rest)
    if isinstance(note, CommandError):
        return note
    return StartRun(pickup=pickup, note=note)


def _take_pickup(text: str) -> tuple[Pickup | CommandError | None, str]:
    words = text.split()
    if _DELAY_PREFIX.match(text):
        for width in (3, 2):
            candidate = " ".join(words[:width])
            match = _DELAY.match(candidate)
            if match:
                return _delay(match, candidate), _after(text, width)
        attempt = " ".join(words[:3])
        return CommandError(
            f"I couldn't read `{quote_typed(attempt, 40)}` as a delay.{_hint(attempt)} {USAGE}"
        ), ""
    for width in (2, 1):
        candidate = " ".join(words[:width])
        match = _CLOCK.match(candidate)
        if match and (width == 1 or match.group(3)):
            return _clock(match, candidate), _after(text, width)
    if _looks_like_a_number(words[0]):
        return CommandError(
            f"`{quote_typed(words[0], 20)}` isn't a time I understand.{_hint(words[0])} {USAGE}"
        ), ""
    return None, text


def _looks_like_a_number(word: str) -> bool:
    """Starts with a digit of any script, ignoring invisible characters before it."""
    seen = [ch for ch in word if unicodedata.category(ch) != "Cf"]
    return bool(seen) and seen[0].isdigit()


def _hint(typed: str) -> str:
    """Other scripts' digits (Arabic-Indic, fullwidth, superscript) are refused, not read:
    say why."""
    return DIGITS_HINT if any(ch.isdigit() and not ch.isascii() for ch in typed) else ""


def _after(text: str, words: int) -> str:
    """The text after the first ``words`` words, with its own spacing kept."""
    parts = text.split(maxsplit=words)
    return parts[words] if len(parts) > words else ""


def _delay(match: re.Match[str], written: str) -> Delay | CommandError:
    sign, digits, unit = match.groups()
    amount = int(digits) if len(digits) <= _MAX_DELAY_DIGITS else MAX_DELAY_MINUTES + 1
    minutes = amount * 60 if unit.lower().startswith("h") else amount
    if sign or not 1 <= minutes <= MAX_DELAY_MINUTES:
        return CommandError(
            f"The pickup must be between 1 minute and {MAX_DELAY_MINUTES // 60} hours away."
        )
    return Delay(minutes=minutes, written=written)


def _clock(match: re.Match[str], written: str) -> ClockTime | CommandError:
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").replace(".", "").lower()
    if meridiem and not 1 <= hour <= 12:
        return CommandError(
            f"`{quote_typed(written, 20)}` isn't a time: with am/pm the hour is 1 to 12."
        )
    if meridiem == "pm" and hour != 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return CommandError(
            f"`{quote_typed(written, 20)}` isn't a time: use 00:00 to 23:59, or 1:00am to 12:59pm."
        )
    if not meridiem and match.group(2) is None:
        return CommandError(
            f"`{quote_typed(written, 20)}` is ambiguous: write `{hour}:00`, or add am/pm."
        )
    return ClockTime(hour=hour, minute=minute, written=written)


def _parse_note(rest: str) -> str | CommandError | None:
    note = rest.strip()
    if not has_visible_characters(note):
        return None  # nothing a reader would see: no note
    if len(note) > PICKUP_NOTE_MAX:
        return CommandError(
            f"The note is {len(note)} characters; keep it to {PICKUP_NOTE_MAX} or fewer."
        )
    if has_control_characters(note):
        return CommandError("The note can't contain control characters; keep it on one line.")
    return note
