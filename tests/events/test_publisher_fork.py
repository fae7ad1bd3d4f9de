"""functions-framework forks gunicorn's worker after importing the function: a Kafka producer
the parent made must not be used, nor destroyed, in the child (its threads don't survive a
fork); the child makes its own on its first publish."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import os, sys, warnings
    warnings.simplefilter("ignore")
    from shared.events.publisher import ResilientKafkaPublisher
    from shared.events.envelope import Event
    import shared.events.publisher as publisher
    publisher.FLUSH_TIMEOUT_SECONDS = 0.3  # a dead producer times out, a live one acks in ms
    event = Event(type="coffeebuddy.run.closed", subject="r", data={})
    p = ResilientKafkaPublisher(sys.argv[1], "fork-test")
    p.publish(event)                      # the parent's producer exists, with its threads
    parents = p._producer
    pid = os.fork()
    if pid == 0:
        # Set aside, never destroyed here (that waits on threads the child hasn't got)...
        if p._producer is not None or publisher._FROM_PARENT != [parents]:
            os._exit(4)
        try:
            p.publish(event)              # ...and the child makes its own at once
        except Exception:
            os._exit(3)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(os.waitstatus_to_exitcode(status))
    p.publish(event)                      # the parent's producer still works
    sys.exit(0 if p._producer is parents else 5)
    """
)


@pytest.mark.kafka
def test_a_child_publishes_with_its_own_producer_and_leaves_the_parents_alone(tansu):
    result = subprocess.run(
        [sys.executable, "-c", CHILD, tansu.brokers],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-500:]
