"""Checks for user-typed text shared by run notes and orders, and showing it back safely."""

from __future__ import annotations

import html
import unicodedata

# What a line of text can't hold: control characters, the line and paragraph separators
# (U+2028, U+2029, which Slack breaks lines at), and lone surrogates (which JSON can carry
# as "\ud800" but no database, and no UTF-8, can store).
_OFF_THE_LINE = frozenset({"Cc", "Zl", "Zp", "Cs"})
# Shown back by code point rather than printed: they are invisible, or change how the text
# around them is drawn (direction marks and overrides), or break the line.
_NAMED = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_UNSEEN = _NAMED | {"Zs", "Mn", "Mc", "Me"}


def unescape_slack(text: str) -> str:
    """Slack escapes &, < and > in typed text; we store what the person typed."""
    return html.unescape(text) if "&" in text else text


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in _OFF_THE_LINE for ch in text)


def has_visible_characters(text: str) -> bool:
    """A letter, number, punctuation mark or symbol: something a reader sees. Private-use
    characters count, and so do code points this Python's Unicode tables don't know yet
    (an emoji newer than them). Spaces, zero-width and direction marks, and combining marks
    with nothing to sit on don't."""
    return any(unicodedata.category(ch) not in _UNSEEN for ch in text)


def escape_mrkdwn(text: str) -> str:
    """Make typed text safe inside mrkdwn: no mentions, links or broadcasts injected."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote_typed(text: str, limit: int) -> str:
    """What someone typed, to show back inside a `code span`: cut to ``limit`` characters,
    escaped (no live mention, link or broadcast), a backtick (which would end the span)
    drawn as its look-alike U+02CB, and each invisible or line-breaking character named
    (``[U+200B]``), so the person can see why it wasn't understood."""
    shown = escape_mrkdwn(text[:limit]).replace("`", "\u02cb")
    return "".join(
        f"[U+{ord(ch):04X}]" if unicodedata.category(ch) in _NAMED else ch for ch in shown
    )
