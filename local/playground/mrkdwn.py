"""Slack mrkdwn as safe HTML: everything is escaped first, then the few marks are drawn.

Special tokens (``<@U…>``, ``<#C…>``, ``<!date^…>``, links) and code spans are taken out
before escaping and put back, already rendered, afterwards; the placeholders use private-use
characters that are stripped from the input, so typed text can never forge one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from local.playground.emoji import emojify
from local.playground.slack_dates import format_slack_date

_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_PRE = re.compile(r"```(.+?)```", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
_TOKEN = re.compile(r"<([^<>\n]+)>")
_MARKS = (
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])"), "strong"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])"), "em"),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])"), "del"),
)
_SAFE_LINK = re.compile(r"(https?://|mailto:)", re.IGNORECASE)
_BROADCASTS = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


@dataclass(frozen=True)
class RenderContext:
    """Who is reading, and the names mentions and channel links stand for."""

    people: Mapping[str, str]
    channels: Mapping[str, str]
    viewer: str
    tz: ZoneInfo
    now: datetime


def unescape_slack(text: str) -> str:
    """Slack's three escapes, undone in the order that keeps ``&amp;lt;`` literal."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def plain_html(text: str, *, emoji: bool = True) -> str:
    """A plain_text object: no marks, but Slack still draws emoji shortcodes."""
    escaped = html.escape(text)
    return emojify(escaped) if emoji else escaped


def mrkdwn_html(text: str, ctx: RenderContext) -> str:
    pieces: list[str] = []

    def keep(rendered: str) -> str:
        pieces.append(rendered)
        return f"{_OPEN}{len(pieces) - 1}{_CLOSE}"

    work = text.replace(_OPEN, "\ufffd").replace(_CLOSE, "\ufffd")
    work = _PRE.sub(lambda m: keep(f"<pre>{_escape(m.group(1))}</pre>"), work)
    work = _CODE.sub(lambda m: keep(f"<code>{_escape(m.group(1))}</code>"), work)
    work = _TOKEN.sub(lambda m: keep(_token(m.group(1), ctx)), work)
    work = emojify(_escape(work))
    for pattern, tag in _MARKS:
        work = pattern.sub(_wrap(tag), work)
    work = work.replace("\n", "<br>")
    return _PLACEHOLDER.sub(lambda m: pieces[int(m.group(1))], work)


def _escape(text: str) -> str:
    return html.escape(unescape_slack(text))


def _wrap(tag: str) -> Callable[[re.Match[str]], str]:
    return lambda m: f"<{tag}>{m.group(1)}</{tag}>"


def _token(body: str, ctx: RenderContext) -> str:
    target, _, label = body.partition("|")
    if target[:2] in ("@U", "@W"):
        user = target[1:]
        name = label or ctx.people.get(user, user)
        mine = " pg-mention-me" if user == ctx.viewer else ""
        return f'<span class="pg-mention{mine}">@{_escape(name)}</span>'
    if target.startswith("#C"):
        name = label or ctx.channels.get(target[1:], target[1:])
        return f'<span class="pg-mention">#{_escape(name)}</span>'
    if target.startswith("!date^"):
        return _date(target, label, ctx)
    if target.startswith("!subteam^"):
        return f'<span class="pg-mention">{_escape(label or "@group")}</span>'
    if target.startswith("!") and target[1:] in _BROADCASTS:
        return f'<span class="pg-mention">{_BROADCASTS[target[1:]]}</span>'
    if _SAFE_LINK.match(target):
        href = html.escape(unescape_slack(target), quote=True)
        text = _escape(label or target)
        return f'<a href="{href}" target="_blank" rel="noopener noreferrer">{text}</a>'
    return _escape(f"<{body}>")


def _date(target: str, fallback: str, ctx: RenderContext) -> str:
    parts = target.split("^")
    shown = None
    if len(parts) >= 3 and parts[1].isdigit():
        shown = format_slack_date(int(parts[1]), parts[2], tz=ctx.tz, now=ctx.now)
    if shown is None:
        return _escape(fallback or target)
    when = datetime.fromtimestamp(int(parts[1]), ctx.tz)
    return (
        f'<time datetime="{when.isoformat()}" title="{html.escape(fallback, quote=True)}">'
        f"{html.escape(shown)}</time>"
    )
