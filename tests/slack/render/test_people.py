"""A person forget-me replaced is never named by their pseudonym, in any message."""

from __future__ import annotations

import dataclasses

from shared.privacy.pseudonym import is_forgotten, new_pseudonym
from shared.slack.render.blocks import as_dicts
from shared.slack.render.people import mention
from shared.slack.render.run_message import run_message
from shared.slack.render.summary import arrival_message, channel_summary, order_list
from shared.statuses import RunStatus
from tests.support.blocks import shown
from tests.support.snapshots import a_run

GONE = new_pseudonym()


def test_a_pseudonym_is_recognised_and_a_slack_id_is_not():
    assert is_forgotten(GONE)
    assert not is_forgotten("U0123ABCDEF") and not is_forgotten("anon-short")
    assert mention("U1") == "<@U1>" and mention(GONE) == "someone who left"
    assert mention(None) == "someone"


def test_the_run_message_does_not_name_a_forgotten_initiator():
    run = a_run("U2", initiator_id=GONE)
    text, blocks = run_message(run)
    drawn = shown(as_dicts(blocks)) + text
    assert "started by someone who left" in drawn and "anon-" not in drawn


def test_the_order_list_and_summary_do_not_name_a_forgotten_person():
    run = a_run("U2", GONE, status=RunStatus.CLOSED, runner_id="U2")
    listing = shown(as_dicts(order_list(run)))
    assert "• someone who left: latte" in listing and "• <@U2>: latte" in listing
    text, blocks = channel_summary(run, None)
    assert "anon-" not in shown(as_dicts(blocks)) + text
    arrival = arrival_message(dataclasses.replace(run, runner_id="U3"))
    assert arrival.endswith("back with the coffee! <@U2>")  # nobody is called who left
