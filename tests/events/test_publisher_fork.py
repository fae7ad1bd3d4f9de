"""functions-framework forks gunicorn's worker after importing the function: the Kafka
producer made at import must work in the child at once (its threads don't survive a fork)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import os, sys, time, warnings
    warnings.simplefilter("ignore")
    from shared.events.publisher import ResilientKafkaPublisher
    from shared.events.envelope import Event
    import shared.events.publisher as publisher
    publisher.FLUSH_TIMEOUT_SECONDS = 0.3  # far below the ~0.5 s a fresh producer needs
    p = ResilientKafkaPublisher(sys.argv[1], "fork-test")
    time.sleep(1.0)                      # the parent's producer is ready...
    pid = os.fork()
    if pid == 0:
        time.sleep(1.0)                  # ...and so should the child's be, made at fork
        try:
            p.publish(Event(type="coffeebuddy.run.closed", subject="r", data={}))
        except Exception:
            os._exit(3)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))
    """
)


@pytest.mark.kafka
def test_producer_made_before_fork_publishes_in_the_child(tansu):
    result = subprocess.run(
        [sys.executable, "-c", CHILD, tansu.brokers],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-500:]
