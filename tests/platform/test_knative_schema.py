"""Every manifest parses and matches the schema of its kind, as deployed (base and overlays)."""

from __future__ import annotations

import copy

import pytest

from tests.platform.manifests import (
    BUNDLES,
    KNATIVE,
    OVERLAYS,
    bundle,
    load_documents,
    render,
    services,
)
from tests.platform.schemas import schema_problems


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlays_render_with_kustomize(overlay: str) -> None:
    rendered = render(KNATIVE / "overlays" / overlay)
    assert {r["metadata"]["name"] for r in rendered if r["kind"] == "Service"} == set(
        services(bundle("base"))
    )


@pytest.mark.parametrize("name", BUNDLES)
def test_every_resource_matches_its_schema(name: str) -> None:
    problems = {
        f"{r['kind']}/{r['metadata']['name']}": schema_problems(r)
        for r in bundle(name)
        if schema_problems(r)
    }
    assert problems == {}


def test_kafka_topics_match_their_schema() -> None:
    topics = load_documents(KNATIVE / "topics" / "topics.yaml")
    assert topics
    assert {t["metadata"]["name"]: schema_problems(t) for t in topics} == {
        t["metadata"]["name"]: [] for t in topics
    }


def test_a_misspelt_field_is_caught() -> None:
    service = copy.deepcopy(services(bundle("base"))["slash"])
    spec = service["spec"]["template"]["spec"]
    spec["containers"][0]["readinesProbe"] = spec["containers"][0].pop("readinessProbe")
    assert any("readinesProbe" in p for p in schema_problems(service))


def test_a_wrong_type_is_caught() -> None:
    service = copy.deepcopy(services(bundle("base"))["slash"])
    service["spec"]["template"]["spec"]["containerConcurrency"] = "ten"
    assert schema_problems(service)


def test_an_unknown_api_version_is_caught() -> None:
    service = copy.deepcopy(services(bundle("base"))["slash"])
    service["apiVersion"] = "serving.knative.dev/v1alpha1"
    assert schema_problems(service)


def test_every_resource_lands_in_the_coffeebuddy_namespace() -> None:
    for name in BUNDLES:
        outside = [
            f"{r['kind']}/{r['metadata']['name']}"
            for r in bundle(name)
            if r["kind"] != "Namespace"
            and r["metadata"].get("namespace") != "coffeebuddy"
            and r["kind"] != "KafkaTopic"
        ]
        assert outside == [], name
