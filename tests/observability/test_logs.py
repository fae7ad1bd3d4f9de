"""JSON logs: one object per line, and a Slack request's correlation id follows its events."""

from __future__ import annotations

import io
import json
import logging

from shared.observability.logging import JsonFormatter, correlation
from tests.support.run_steps import click, order, start


def test_formatter_writes_one_json_object_with_the_fields_operators_need():
    record = logging.LogRecord(
        "coffeebuddy.test", logging.INFO, __file__, 1, "run started", None, None
    )
    record.run_id = "r-1"
    with correlation("corr-42"):
        line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["event"] == "run started"
    assert entry["level"] == "info"
    assert entry["correlation_id"] == "corr-42"
    assert entry["run_id"] == "r-1"
    assert entry["time"].endswith("+00:00")


def test_correlation_id_is_fresh_per_request_unless_given():
    with correlation() as first, correlation() as second:
        assert first != second and len(first) == 32
    with correlation("  given  ") as given:
        assert given == "given"


def test_slack_request_correlation_id_reaches_the_close_function_logs(runtime, slack, events):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        run = start(slack, runtime)
        order(slack, run, "U2", "tea")
        click(slack, "run_close", run)
        events.run()
    finally:
        root.removeHandler(handler)
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    [closing] = [e for e in entries if e["event"] == "run closing"]
    [closed] = [e for e in entries if e["event"] == "run closed"]
    assert closing["correlation_id"] and closed["correlation_id"] == closing["correlation_id"]
    started = [e for e in entries if e["event"] == "run started"]
    assert started[0]["correlation_id"] != closing["correlation_id"]


def test_request_and_event_ids_ride_along_on_every_line():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "handled", None, None)
    with correlation("corr-1", request_id="knative-req-7", event_id="evt-9"):
        entry = json.loads(JsonFormatter().format(record))
    assert (entry["request_id"], entry["event_id"]) == ("knative-req-7", "evt-9")
    assert "request_id" not in json.loads(JsonFormatter().format(record))
