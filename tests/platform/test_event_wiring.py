"""Brokers, Triggers and PingSources deliver each event-fed function exactly the CloudEvent
types it handles, from the topics the outbox really writes them to."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from shared.events.catalog import RUN_CREATED, SCHEMAS, TICK, topic_for
from shared.events.envelope import from_http_request
from shared.web.endpoints import WARM_UP_PATH
from tests.platform import code_facts
from tests.platform.code_facts import service_name, targets
from tests.platform.manifests import (
    BUNDLES,
    KNATIVE,
    Resource,
    bundle,
    configuration,
    load_documents,
    named,
    of_kind,
    services,
)

EXTERNAL_TOPIC = "kafka.eventing.knative.dev/external.topic"
EVENT_FED = [t for t in targets() if code_facts.is_event_fed(t)]


def _subscriber(resource: Resource) -> str:
    ref = resource["spec"]["subscriber" if resource["kind"] == "Trigger" else "sink"]["ref"]
    assert (ref["apiVersion"], ref["kind"]) == ("serving.knative.dev/v1", "Service")
    return str(ref["name"])


def _is_warm_up(trigger: Resource) -> bool:
    return trigger["spec"]["subscriber"].get("uri") == WARM_UP_PATH


def warm_ups(resources: list[Resource]) -> list[tuple[str, str]]:
    """(Service, CloudEvent type) for every Trigger that only wakes a function."""
    return [
        (_subscriber(t), t["spec"]["filter"]["attributes"]["type"])
        for t in of_kind(resources, "Trigger", "eventing.knative.dev")
        if _is_warm_up(t)
    ]


def deliveries(resources: list[Resource]) -> list[tuple[str, str, str]]:
    """(Service, CloudEvent type, delivered by) for every Trigger and PingSource that
    delivers an event for the function to handle (warm-ups aside)."""
    found = []
    for trigger in of_kind(resources, "Trigger", "eventing.knative.dev"):
        if _is_warm_up(trigger):
            continue
        event_type = trigger["spec"]["filter"]["attributes"]["type"]
        found.append((_subscriber(trigger), event_type, f"Trigger {trigger['metadata']['name']}"))
    for ping in of_kind(resources, "PingSource", "sources.knative.dev"):
        found.append((_subscriber(ping), TICK, f"PingSource {ping['metadata']['name']}"))
    return found


@pytest.mark.parametrize("bundle_name", BUNDLES)
def test_functions_receive_only_the_types_they_handle(bundle_name: str) -> None:
    handled = {service_name(t): code_facts.event_types(t) for t in targets()}
    wrong = [d for d in deliveries(bundle(bundle_name)) if d[1] not in handled.get(d[0], ())]
    assert wrong == []


@pytest.mark.parametrize("bundle_name", BUNDLES)
def test_every_type_a_function_handles_is_delivered_to_it(bundle_name: str) -> None:
    delivered = {
        (service, event_type) for service, event_type, _ in deliveries(bundle(bundle_name))
    }
    missing = [
        (target, event_type)
        for target in EVENT_FED
        for event_type in code_facts.event_types(target)
        if (service_name(target), event_type) not in delivered
    ]
    assert missing == []


@pytest.mark.parametrize("bundle_name", BUNDLES)
def test_triggers_carry_only_types_the_code_really_produces(bundle_name: str) -> None:
    produced = code_facts.event_types_produced()
    triggered = {d[1] for d in deliveries(bundle(bundle_name)) if d[2].startswith("Trigger")}
    triggered |= {event_type for _, event_type in warm_ups(bundle(bundle_name))}
    assert triggered - produced == set()


@pytest.mark.parametrize("bundle_name", BUNDLES)
def test_a_trigger_either_delivers_to_the_event_handler_or_only_wakes(bundle_name: str) -> None:
    for trigger in of_kind(bundle(bundle_name), "Trigger", "eventing.knative.dev"):
        assert trigger["spec"]["subscriber"].get("uri") in (None, WARM_UP_PATH)


def test_a_new_run_wakes_the_function_its_order_clicks_go_to() -> None:
    """The first "Add my order" must open its modal inside the 3 s of its trigger_id."""
    slack_facing = {service_name(t): code_facts.slack_kind(t) for t in targets()}
    woken = warm_ups(bundle("base"))
    assert woken == [("interactions", RUN_CREATED)]
    assert all(slack_facing.get(service) == "interaction" for service, _ in woken)


def test_a_missed_warm_up_is_not_retried_for_long() -> None:
    """A warm-up that fails only costs a cold start: one retry, not the Broker's six."""
    for trigger in of_kind(bundle("base"), "Trigger", "eventing.knative.dev"):
        if _is_warm_up(trigger):
            delivery = trigger["spec"]["delivery"]
            assert delivery["retry"] <= 1


def test_event_fed_functions_accept_something() -> None:
    assert EVENT_FED
    for target in EVENT_FED:
        assert code_facts.event_types(target), target


def test_no_type_is_delivered_twice_to_one_function() -> None:
    pairs = Counter((service, event_type) for service, event_type, _ in deliveries(bundle("base")))
    assert [pair for pair, count in pairs.items() if count > 1] == []


@pytest.mark.parametrize("bundle_name", BUNDLES)
def test_each_trigger_reads_the_topic_its_type_is_published_on(bundle_name: str) -> None:
    resources = bundle(bundle_name)
    for trigger in of_kind(resources, "Trigger", "eventing.knative.dev"):
        attributes = trigger["spec"]["filter"]["attributes"]
        assert set(attributes) == {"type"}, "filter on the CloudEvent type alone"
        assert attributes["type"] in SCHEMAS
        broker = named(resources, "Broker", trigger["spec"]["broker"])
        assert broker is not None, trigger["metadata"]["name"]
        annotations = broker["metadata"]["annotations"]
        assert annotations["eventing.knative.dev/broker.class"] == "Kafka"
        assert annotations[EXTERNAL_TOPIC] == topic_for(attributes["type"])


@pytest.mark.parametrize("bundle_name", BUNDLES)
def test_brokers_and_the_dead_letter_sink_use_the_functions_kafka(bundle_name: str) -> None:
    resources = bundle(bundle_name)
    brokers_setting = {
        configuration(s, resources)["KAFKA_BROKERS"] for s in services(resources).values()
    }
    assert len(brokers_setting) == 1
    kafka = brokers_setting.pop()
    for broker in of_kind(resources, "Broker", "eventing.knative.dev"):
        config = named(resources, "ConfigMap", broker["spec"]["config"]["name"])
        assert config is not None
        assert config["data"]["bootstrap.servers"] == kafka
        sink_ref = broker["spec"]["delivery"]["deadLetterSink"]["ref"]
        sink = named(resources, sink_ref["kind"], sink_ref["name"])
        assert sink is not None, "dead events need somewhere to go"
        assert ",".join(sink["spec"]["bootstrapServers"]) == kafka


def test_every_topic_the_code_uses_has_a_kafka_topic() -> None:
    topics = {t["spec"]["topicName"] for t in load_documents(KNATIVE / "topics" / "topics.yaml")}
    needed = {topic for topic, _ in SCHEMAS.values()}
    needed |= {s["spec"]["topic"] for s in of_kind(bundle("base"), "KafkaSink")}
    assert needed <= topics


def test_the_reminders_tick_comes_every_minute() -> None:
    (ping,) = [
        p
        for p in of_kind(bundle("base"), "PingSource")
        if p["spec"]["sink"]["ref"]["name"] == "reminders"
    ]
    assert ping["spec"]["schedule"] == "* * * * *"


@pytest.mark.parametrize(
    "ping", of_kind(bundle("base"), "PingSource"), ids=lambda p: p["metadata"]["name"]
)
def test_a_ping_is_an_event_the_function_can_read(ping: Resource) -> None:
    """What the PingSource sends (binary mode, its data and content type) parses as JSON."""
    spec = ping["spec"]
    headers = {
        "ce-specversion": "1.0",
        "ce-type": TICK,
        "ce-source": f"/apis/v1/namespaces/coffeebuddy/pingsources/{ping['metadata']['name']}",
        "ce-id": "probe",
        "content-type": spec["contentType"],
    }
    event = from_http_request(headers, spec["data"].encode())
    assert event.type == TICK
    assert event.data == json.loads(spec["data"])


def test_the_tests_retry_events_as_the_brokers_delivery_spec_says() -> None:
    """tests/support's deliverer plays the Broker: same retry count and first backoff."""
    from tests.support.events import BROKER_BACKOFF_SECONDS, BROKER_RETRIES

    for broker in of_kind(bundle("base"), "Broker", "eventing.knative.dev"):
        delivery = broker["spec"]["delivery"]
        assert delivery["retry"] == BROKER_RETRIES
        assert delivery["backoffPolicy"] == "exponential"
        assert delivery["backoffDelay"] == f"PT{BROKER_BACKOFF_SECONDS}S"
