"""The deployment manifests, loaded the way they are applied.

A bundle is every resource one `kubectl apply -k` would create. The base is loaded by
following its kustomization (it has no patches); the overlays are rendered by kustomize
itself (`kubectl kustomize`), so a broken patch fails here as it would in a deploy.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.platform.code_facts import ROOT

KNATIVE = ROOT / "knative"
BASE = KNATIVE / "base"
OVERLAYS = ("dev", "prod-vault")
SECRET_TEMPLATE = BASE / "secret.template.yaml"
VAULT_SECRETS_DIR = "/vault/secrets"

Resource = dict[str, Any]


Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_documents(path: Path) -> list[Resource]:
    return [doc for doc in yaml.load_all(path.read_text(encoding="utf-8"), Loader) if doc]


def _load_kustomization(folder: Path) -> list[Resource]:
    kustomization = load_documents(folder / "kustomization.yaml")[0]
    assert set(kustomization) <= {"apiVersion", "kind", "namespace", "labels", "resources"}, (
        f"{folder}: the plain loader only follows resources; render it with kustomize"
    )
    resources: list[Resource] = []
    for entry in kustomization["resources"]:
        target = folder / entry
        resources += _load_kustomization(target) if target.is_dir() else load_documents(target)
    if "namespace" in kustomization:
        for resource in resources:
            if resource["kind"] != "Namespace":
                resource["metadata"]["namespace"] = kustomization["namespace"]
    return resources


def kubectl() -> str | None:
    return shutil.which("kubectl")


# What the cross-checks run on: the base always, the overlays where kustomize can render
# them (test_knative_schema.py says so with a skip otherwise).
BUNDLES = ("base", *OVERLAYS) if kubectl() else ("base",)


def render(folder: Path) -> list[Resource]:
    """kustomize's output for a folder."""
    binary = kubectl()
    if binary is None:
        pytest.skip("kubectl (with its built-in kustomize) is not installed")
    result = subprocess.run(
        [binary, "kustomize", str(folder)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"kustomize {folder.name} failed: {result.stderr}"
    return [doc for doc in yaml.load_all(result.stdout, Loader) if doc]


@cache
def _bundle(name: str) -> tuple[Resource, ...]:
    if name == "base":
        return tuple(_load_kustomization(BASE))
    return tuple(render(KNATIVE / "overlays" / name))


def bundle(name: str) -> list[Resource]:
    """Every resource of the base or an overlay. Shared between tests: copy before changing."""
    return list(_bundle(name))


def of_kind(resources: list[Resource], kind: str, api_group: str = "") -> list[Resource]:
    return [
        r
        for r in resources
        if r["kind"] == kind and r["apiVersion"].startswith(api_group.rstrip("/"))
    ]


def services(resources: list[Resource]) -> dict[str, Resource]:
    return {s["metadata"]["name"]: s for s in of_kind(resources, "Service", "serving.knative.dev")}


def named(resources: list[Resource], kind: str, name: str) -> Resource | None:
    for resource in resources:
        if resource["kind"] == kind and resource["metadata"]["name"] == name:
            return resource
    return None


def container(service: Resource) -> Resource:
    containers = service["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{service['metadata']['name']}: one container expected"
    return containers[0]


def template_annotations(service: Resource) -> dict[str, str]:
    return service["spec"]["template"].get("metadata", {}).get("annotations", {})


def env_values(service: Resource) -> dict[str, str]:
    return {e["name"]: e.get("value", "") for e in container(service).get("env", [])}


def container_port(service: Resource) -> int:
    ports = container(service).get("ports", [])
    assert len(ports) == 1, f"{service['metadata']['name']}: one container port expected"
    return int(ports[0]["containerPort"])


def secret_template() -> Resource:
    return load_documents(SECRET_TEMPLATE)[0]


def configuration(service: Resource, resources: list[Resource]) -> dict[str, str]:
    """The environment the function's process starts with: its env, the ConfigMaps it
    reads with envFrom, and PORT, which Knative sets from the container port."""
    found: dict[str, str] = {}
    for source in container(service).get("envFrom", []):
        assert set(source) == {"configMapRef"}, "settings come from ConfigMaps only"
        name = source["configMapRef"]["name"]
        config = named(resources, "ConfigMap", name)
        assert config is not None, f"ConfigMap {name} is not deployed with the Services"
        found.update(config.get("data", {}))
    found.update(env_values(service))
    found["PORT"] = str(container_port(service))
    return found


def secret_files(service: Resource, secrets_dir: str) -> dict[str, str]:
    """The files the pod will hold in secrets_dir, each with where it comes from.

    A mounted Secret holds the keys documented in base/secret.template.yaml (its values
    are not in git); the Vault agent writes one file per agent-inject-file annotation.
    """
    found: dict[str, str] = {}
    volumes = {v["name"]: v for v in service["spec"]["template"]["spec"].get("volumes", [])}
    for mount in container(service).get("volumeMounts", []):
        if mount["mountPath"].rstrip("/") != secrets_dir.rstrip("/"):
            continue
        secret = volumes[mount["name"]].get("secret", {})
        template = secret_template()
        if secret.get("secretName") == template["metadata"]["name"]:
            found.update(dict.fromkeys(template["stringData"], "Secret volume"))
    annotations = template_annotations(service)
    agent_dir = annotations.get("vault.hashicorp.com/secret-volume-path", VAULT_SECRETS_DIR)
    if annotations.get("vault.hashicorp.com/agent-inject") == "true" and (
        agent_dir.rstrip("/") == secrets_dir.rstrip("/")
    ):
        prefix = "vault.hashicorp.com/agent-inject-secret-"
        for key in annotations:
            if key.startswith(prefix):
                secret_id = key.removeprefix(prefix)
                file = annotations.get(f"vault.hashicorp.com/agent-inject-file-{secret_id}")
                found[file or secret_id] = "Vault agent"
    return found
