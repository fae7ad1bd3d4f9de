"""Checks for user-typed text shared by run notes and orders."""

from __future__ import annotations

import html
import unicodedata


def unescape_slack(text: str) -> str:
    """Slack escapes &, < and > in typed text; we store what the person typed."""
    return html.unescape(text) if "&" in text else text


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def escape_mrkdwn(text: str) -> str:
    """Make typed text safe inside mrkdwn: no mentions, links or broadcasts injected."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
