"""One Knative Service per function, running that function, probed and scraped where the
code answers, scaled within what a pod can serve."""

from __future__ import annotations

import re

import pytest

from shared.web.http import HttpRequest
from shared.web.platform import WARM_UP_PATH, serve_platform
from tests.platform import code_facts
from tests.platform.code_facts import ROOT, service_name, targets
from tests.platform.manifests import (
    BUNDLES,
    bundle,
    container,
    container_port,
    env_values,
    named,
    services,
    template_annotations,
)

BASE = services(bundle("base"))
ALL = [(b, name, service) for b in BUNDLES for name, service in services(bundle(b)).items()]
IDS = [f"{b}-{name}" for b, name, _ in ALL]


def _get(path: str) -> int:
    response = serve_platform(HttpRequest("GET", path, {}, b""))
    return 0 if response is None else response.status


def test_every_function_target_has_a_service_and_every_service_a_target() -> None:
    assert sorted(BASE) == sorted(service_name(target) for target in targets())


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_service_runs_the_target_its_name_promises(
    bundle_name: str, name: str, service: dict
) -> None:
    env = env_values(service)
    target = env["FUNCTION_TARGET"]
    assert service_name(target) == name
    assert env["FUNCTION_SOURCE"] == f"functions/{targets()[target]}/main.py"
    source = ROOT / env["FUNCTION_SOURCE"]
    assert target in code_facts.http_targets(source)


def test_all_functions_share_one_image() -> None:
    for name in BUNDLES:
        images = {container(s)["image"] for s in services(bundle(name)).values()}
        assert len(images) == 1, name


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_scales_to_zero_within_bounds(bundle_name: str, name: str, service: dict) -> None:
    annotations = template_annotations(service)
    assert annotations["autoscaling.knative.dev/min-scale"] == "0"
    assert 1 <= int(annotations["autoscaling.knative.dev/max-scale"]) <= 10
    target = int(annotations["autoscaling.knative.dev/target"])
    concurrency = service["spec"]["template"]["spec"]["containerConcurrency"]
    assert 1 <= target <= concurrency


@pytest.mark.parametrize("target", [t for t in targets() if code_facts.is_slack_facing(t)])
def test_slack_facing_functions_keep_a_pod_after_use(target: str) -> None:
    """Slack allows 3 s, a cold start takes ~2 s: a burst after /coffee must find a pod."""
    name = service_name(target)
    annotations = template_annotations(BASE[name])
    delay = annotations.get("autoscaling.knative.dev/scale-down-delay", "")
    match = re.fullmatch(r"(\d+)(s|m|h)", delay)
    assert match, f"{name}: scale-down-delay missing or not a duration: {delay!r}"
    seconds = int(match[1]) * {"s": 1, "m": 60, "h": 3600}[match[2]]
    assert 5 * 60 <= seconds <= 3600  # Knative refuses more than an hour


def test_every_target_answers_health_and_metrics_before_its_own_work() -> None:
    for target in targets():
        serving = {"serve_slack_flask", "serve_event_flask", "serve_platform"}
        assert serving & code_facts.target_calls(target)


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_probes_hit_the_health_endpoints_on_the_serving_port(
    bundle_name: str, name: str, service: dict
) -> None:
    main = container(service)
    port = container_port(service)
    assert port == 8080
    assert main["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": port}
    assert main["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": port}
    # Knative probes readiness aggressively during a cold start only when no period is set.
    assert "periodSeconds" not in main["readinessProbe"]


def test_every_function_answers_a_warm_up_call_without_doing_anything() -> None:
    """The path the warm-up Trigger wakes a function on (triggers.yaml)."""
    assert _get(WARM_UP_PATH) == 204


def test_the_probed_and_scraped_paths_are_answered_by_every_function() -> None:
    for path in ("/health/live", "/health/ready", "/metrics"):
        assert _get(path) == 200, path

    assert _get("/slack/commands") == 0  # anything else is the function's own


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_prometheus_scrapes_metrics_on_the_serving_port(
    bundle_name: str, name: str, service: dict
) -> None:
    annotations = template_annotations(service)
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/port"] == str(container_port(service))
    assert annotations["prometheus.io/path"] == "/metrics"


def _quantity(value: str) -> float:
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "": 1}
    number, unit = re.fullmatch(r"([\d.]+)(m|Ki|Mi|Gi|)", str(value)).groups()  # type: ignore[union-attr]
    return float(number) * units[unit]


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_resources_are_requested_and_limited(bundle_name: str, name: str, service: dict) -> None:
    resources = container(service)["resources"]
    for kind in ("cpu", "memory"):
        assert _quantity(resources["requests"][kind]) <= _quantity(resources["limits"][kind])


def test_every_service_is_cluster_local_so_kong_is_the_only_way_in() -> None:
    for name in BUNDLES:
        for function, service in services(bundle(name)).items():
            labels = service["metadata"].get("labels", {})
            assert labels.get("networking.knative.dev/visibility") == "cluster-local", (
                f"{name}: {function}"
            )


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_a_pod_takes_no_more_requests_than_it_has_threads_and_connections(
    bundle_name: str, name: str, service: dict
) -> None:
    from shared.db.engine import get_engine

    engine = get_engine("postgresql+psycopg://probe@db.invalid:5432/probe")
    connections = engine.pool.size() + engine.pool._max_overflow  # type: ignore[attr-defined]
    concurrency = service["spec"]["template"]["spec"]["containerConcurrency"]
    env = env_values(service)
    assert env["WORKERS"] == "1"  # metrics live in one process's registry
    assert int(env["THREADS"]) == concurrency
    assert concurrency <= connections


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_runs_as_non_root_under_its_own_account(bundle_name: str, name: str, service: dict) -> None:
    security = container(service)["securityContext"]
    assert security["runAsNonRoot"] is True
    assert security["allowPrivilegeEscalation"] is False
    account = service["spec"]["template"]["spec"]["serviceAccountName"]
    assert named(bundle(bundle_name), "ServiceAccount", account) is not None
    # Knative refuses writable mounts of Secrets and ConfigMaps.
    mounts = container(service).get("volumeMounts", [])
    assert all(mount.get("readOnly") is True for mount in mounts)
