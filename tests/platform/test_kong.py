"""Kong's declarative config: valid decK, every route on an existing Service that Kong is
meant to reach, and nothing on the way that could break Slack's signature."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from shared.web.flask_adapter import MAX_BODY_BYTES
from tests.platform import code_facts
from tests.platform.code_facts import ROOT, service_name, targets
from tests.platform.kong_schema import DeclarativeConfig, RequestSizeLimiting
from tests.platform.manifests import KNATIVE, bundle, load_documents, services

KONG = KNATIVE / "kong" / "kong.yaml"
UNITS = {"bytes": 1, "kilobytes": 1 << 10, "megabytes": 1 << 20}
MANIFEST = load_documents(ROOT / "slack" / "manifest.yaml")[0]
# Where Slack sends each kind of request (the app manifest), and the function serving it.
SLACK_URLS = {
    "slash_command": MANIFEST["features"]["slash_commands"][0]["url"],
    "interaction": MANIFEST["settings"]["interactivity"]["request_url"],
}
SLACK_PATHS = {
    service_name(t): urlsplit(SLACK_URLS[kind]).path
    for t in targets()
    if (kind := code_facts.slack_kind(t))
}


def config() -> DeclarativeConfig:
    return DeclarativeConfig.model_validate(load_documents(KONG)[0])


def upstream(url: str) -> tuple[str, str]:
    """(Knative Service, namespace) behind a Kong service URL."""
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.port == 80, "Knative's cluster-local address"
    host = parts.hostname or ""
    name, namespace, rest = host.split(".", 2)
    assert rest == "svc.cluster.local", host
    return name, namespace


def route_matches(route_path: str, path: str) -> bool:
    if route_path.startswith("~"):
        return re.match(route_path[1:], path) is not None
    return path.startswith(route_path)


def test_the_config_is_valid_deck_format() -> None:
    assert config().info.select_tags == ["coffeebuddy"]


def test_a_body_rewriting_plugin_is_refused() -> None:
    data = load_documents(KONG)[0]
    data["services"][0]["plugins"].append({"name": "request-transformer", "config": {}})
    with pytest.raises(ValueError, match="request-transformer"):
        DeclarativeConfig.model_validate(data)


def test_routes_lead_to_existing_services_in_the_namespace() -> None:
    deployed = services(bundle("base"))
    for service in config().services:
        name, namespace = upstream(service.url)
        assert name in deployed, service.name
        assert deployed[name]["metadata"]["namespace"] == namespace


def test_kong_reaches_exactly_the_functions_meant_for_callers_outside() -> None:
    """Slack-facing targets and the ops API; never an event-fed function."""
    routed = {upstream(s.url)[0] for s in config().services}
    outside = {service_name(t) for t in targets() if not code_facts.is_event_fed(t)}
    assert routed == outside


def test_both_slack_urls_have_a_function() -> None:
    assert sorted(SLACK_PATHS.values()) == sorted(urlsplit(u).path for u in SLACK_URLS.values())


@pytest.mark.parametrize(("function", "path"), SLACK_PATHS.items())
def test_slack_urls_reach_their_functions(function: str, path: str) -> None:
    matching = [
        upstream(s.url)[0]
        for s in config().services
        for r in s.routes
        if "POST" in r.methods and any(route_matches(p, path) for p in r.paths)
    ]
    assert matching == [function]


def test_no_route_shortens_a_path_into_health_or_metrics() -> None:
    """strip_path off and anchored paths: /slack/commands/metrics stays a Slack path."""
    for service in config().services:
        for route in service.routes:
            assert route.strip_path is False, route.name
            assert route.preserve_host is False, "Knative routes on its own host name"
            assert route.protocols == ["https"]
            for probe in ("/metrics", "/health/ready", "/health/live"):
                assert not any(route_matches(p, probe) for p in route.paths), route.name


def test_every_service_limits_size_and_rate() -> None:
    for service in config().services:
        names = {plugin.name for plugin in service.plugins}
        assert {"request-size-limiting", "rate-limiting"} <= names, service.name


@pytest.mark.parametrize("function", SLACK_PATHS)
def test_slack_routes_accept_what_the_function_accepts(function: str) -> None:
    """Kong's size limit is the functions' own 413 limit, not a smaller surprise."""
    (service,) = [s for s in config().services if upstream(s.url)[0] == function]
    (limit,) = [p for p in service.plugins if isinstance(p, RequestSizeLimiting)]
    assert limit.config.allowed_payload_size * UNITS[limit.config.size_unit] == MAX_BODY_BYTES


@pytest.mark.parametrize("function", SLACK_PATHS)
def test_kong_gives_up_when_slack_has(function: str) -> None:
    """Slack waits 3 s for an answer; Kong waiting longer only holds connections."""
    (service,) = [s for s in config().services if upstream(s.url)[0] == function]
    assert service.read_timeout <= 3000


def test_no_added_header_impersonates_slack() -> None:
    for service in config().services:
        for plugin in service.plugins:
            header = getattr(plugin.config, "header_name", "")
            assert not header.lower().startswith("x-slack-"), service.name
