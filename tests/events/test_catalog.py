from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.events import catalog
from shared.events.catalog import checked
from shared.events.envelope import (
    EnvelopeError,
    Event,
    from_http_request,
    from_kafka,
    to_http,
    to_kafka,
)
from tests.events.catalog_tables import catalog_tables

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_docs_describe_every_event_schema_exactly():
    assert catalog_tables() in DOC.read_text(), (
        "docs/events.md is out of date: paste `python -m tests.events.catalog_tables`"
    )


def test_topics_are_the_two_named_ones():
    assert {topic for topic, _ in catalog.SCHEMAS.values()} == {
        "coffeebuddy.run.events",
        "coffeebuddy.reminder.events",
    }


def closed_event(**data) -> Event:
    payload = {"run_id": "r-1", "channel_id": "C1", "closed_by": "U1"} | data
    return Event(type=catalog.RUN_CLOSED, subject="r-1", data=payload, correlation_id="corr-1")


def test_kafka_binary_mode_round_trip_keeps_id_correlation_and_key():
    event = closed_event()
    key, value, headers = to_kafka(event)
    names = {name for name, _ in headers}
    assert {"ce_id", "ce_type", "ce_source", "ce_specversion", "ce_correlationid"} <= names
    assert key == b"r-1"
    assert from_kafka(key, value, headers) == event


def test_http_binary_mode_round_trip():
    event = closed_event()
    headers, body = to_http(event)
    assert headers["ce-type"] == catalog.RUN_CLOSED
    assert from_http_request(headers, body) == event


def test_schema_check_names_the_bad_fields():
    with pytest.raises(catalog.SchemaError, match="closed_by"):
        checked(closed_event(closed_by=None))
    with pytest.raises(catalog.SchemaError, match="surprise"):
        checked(closed_event(surprise=1))
    with pytest.raises(catalog.SchemaError, match="unknown event type"):
        catalog.check_data("coffeebuddy.nope", {})


def test_not_a_cloudevent_is_an_envelope_error():
    with pytest.raises(EnvelopeError):
        from_kafka(b"k", b"{}", [("content-type", b"application/json")])
    with pytest.raises(EnvelopeError):
        from_http_request({"content-type": "application/json"}, b"not json")


def test_event_times_are_utc_aware():
    event = closed_event()
    assert event.time.tzinfo is not None
    headers, body = to_http(
        Event(type=catalog.TICK, subject="", data={}, time=datetime(2026, 1, 1, tzinfo=UTC))
    )
    assert from_http_request(headers, body).time == datetime(2026, 1, 1, tzinfo=UTC)
