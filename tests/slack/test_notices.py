"""The help text: every command and every button a person can meet, named once."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.runs.snapshot import OrderLine, RunSnapshot
from shared.slack.render.notices import HELP, help_text
from shared.slack.render.run_message import run_message
from shared.slack.render.summary import channel_summary, runner_dm
from shared.statuses import RunStatus
from tests.support.snapshots import a_run

COMMANDS = [
    "/coffee 10:30",
    "/coffee in 20m",
    "/coffee help",
    "/coffee stats",
    "/coffee forget-me",
    "/coffee admin",
    "/coffee admin audit",
    "/coffee admin reset",
]


_ASSIGNED = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
ORDERS = (OrderLine("U1", "latte"), OrderLine("U2", "tea"))


def _run(status: RunStatus) -> RunSnapshot:
    return a_run(status=status, runner_id="U2", runner_assigned_at=_ASSIGNED, orders=ORDERS)


def _button_labels(blocks: list) -> set[str]:
    found = set()
    for block in blocks:
        data = block.to_dict() if hasattr(block, "to_dict") else block
        for element in data.get("elements", []):
            if element.get("type") == "button":
                found.add(element["text"]["text"])
    return found


def test_help_lists_every_command():
    for command in COMMANDS:
        assert f"`{command}" in HELP, command


def test_help_names_every_button_on_the_run_the_summary_and_the_runners_dm():
    buttons = _button_labels(run_message(_run(RunStatus.OPEN))[1])
    buttons |= _button_labels(runner_dm(_run(RunStatus.CLOSED), _ASSIGNED)[1])
    buttons |= _button_labels(channel_summary(_run(RunStatus.CLOSED), None)[1])

    assert {"My usual", "Can't go", "Arrived", "Close run"} <= buttons  # the renderers' own
    for label in [*buttons, "Undo"]:
        assert f"*{label}*" in HELP, label


def test_help_stays_short():
    assert len(HELP.splitlines()) <= 8
    assert max(len(line) for line in HELP.splitlines()) <= 240


def test_an_unknown_word_is_named_in_help():
    assert help_text("latte") == f"I don't know `latte`.\n{HELP}"
