"""`/coffee stats`, short lines that read well on a phone."""

from __future__ import annotations

from shared.runs.stats import ChannelStats
from shared.slack.render.people import mention

MAX_PEOPLE = 25


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def stats_text(stats: ChannelStats, channel_id: str) -> str:
    weeks = stats.days // 7
    head = f"*Coffee in <#{channel_id}>, last {weeks} weeks*"
    if not stats.runs:
        return f"{head}\nNo coffee runs closed here yet."
    lines = [
        head,
        f"{_n(stats.runs, 'run', 'runs')} · {_n(stats.cups, 'cup', 'cups')}",
        "",
        "_Runs done · cups others fetched for them_",
    ]
    lines += [
        f"• {mention(p.user_id)}: ran {p.runs_done} · got {p.cups_received}"
        for p in stats.people[:MAX_PEOPLE]
    ]
    if len(stats.people) > MAX_PEOPLE:
        lines.append(f"…and {len(stats.people) - MAX_PEOPLE} more")
    return "\n".join(lines)
