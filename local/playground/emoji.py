"""The few emoji shortcodes CoffeeBuddy uses, and some common ones, as characters.

Characters that also exist as text symbols carry U+FE0F so browsers draw the colour emoji.
"""

from __future__ import annotations

import re

SHORTCODES = {
    "alarm_clock": "\u23f0",
    "bar_chart": "\U0001f4ca",
    "bell": "\U0001f514",
    "coffee": "\u2615\ufe0f",
    "hourglass": "\u231b\ufe0f",
    "hourglass_flowing_sand": "\u23f3",
    "loudspeaker": "\U0001f4e2",
    "lock": "\U0001f512",
    "memo": "\U0001f4dd",
    "no_entry_sign": "\U0001f6ab",
    "ok_hand": "\U0001f44c",
    "runner": "\U0001f3c3",
    "tada": "\U0001f389",
    "thumbsup": "\U0001f44d",
    "+1": "\U0001f44d",
    "warning": "\u26a0\ufe0f",
    "wastebasket": "\U0001f5d1\ufe0f",
    "wave": "\U0001f44b",
    "white_check_mark": "\u2705",
    "x": "\u274c",
}
_SHORTCODE = re.compile(r":([a-z0-9_+-]+):")


def emojify(text: str) -> str:
    """Known ``:shortcodes:`` become their characters; unknown ones stay as typed."""
    return _SHORTCODE.sub(lambda m: SHORTCODES.get(m.group(1), m.group(0)), text)
