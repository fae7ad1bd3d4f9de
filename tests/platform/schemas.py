"""Schemas for the manifests: cloudcoil's pydantic models of the Knative CRDs, plus small
vendored models (extra fields forbidden) for the few kinds cloudcoil does not ship:
core Kubernetes objects, Knative's KafkaSink and Strimzi's KafkaTopic.
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr
from pydantic.alias_generators import to_camel

with warnings.catch_warnings():
    # cloudcoil's generated Channel model shadows Resource attributes; harmless here.
    warnings.simplefilter("ignore", UserWarning)
    from cloudcoil.models.knative_eventing.eventing import v1 as eventing
    from cloudcoil.models.knative_eventing.sources import v1 as sources
    from cloudcoil.models.knative_serving.serving import v1 as serving


class Strict(BaseModel):
    """Unknown fields refused; Kubernetes' camelCase names as aliases of snake_case fields."""

    model_config = ConfigDict(extra="forbid", alias_generator=to_camel)


class Metadata(Strict):
    name: StrictStr
    namespace: StrictStr | None = None
    labels: dict[str, StrictStr] = Field(default_factory=dict)
    annotations: dict[str, StrictStr] = Field(default_factory=dict)


class Namespace(Strict):
    api_version: Literal["v1"]
    kind: Literal["Namespace"]
    metadata: Metadata


class ServiceAccount(Strict):
    api_version: Literal["v1"]
    kind: Literal["ServiceAccount"]
    metadata: Metadata


class ConfigMap(Strict):
    api_version: Literal["v1"]
    kind: Literal["ConfigMap"]
    metadata: Metadata
    # Kubernetes refuses a ConfigMap whose values are not strings (an unquoted 5 or true).
    data: dict[str, StrictStr]


class KafkaSinkSpec(Strict):
    topic: StrictStr
    bootstrap_servers: list[StrictStr] = Field(min_length=1)
    content_mode: Literal["binary", "structured"] = "binary"
    num_partitions: StrictInt | None = None
    replication_factor: StrictInt | None = None


class KafkaSink(Strict):
    api_version: Literal["eventing.knative.dev/v1alpha1"]
    kind: Literal["KafkaSink"]
    metadata: Metadata
    spec: KafkaSinkSpec


class KafkaTopicSpec(Strict):
    topic_name: StrictStr
    partitions: StrictInt = Field(ge=1)
    replicas: StrictInt = Field(ge=1, le=32767)
    config: dict[str, StrictStr | StrictInt | bool] = Field(default_factory=dict)


class KafkaTopic(Strict):
    api_version: Literal["kafka.strimzi.io/v1beta2"]
    kind: Literal["KafkaTopic"]
    metadata: Metadata
    spec: KafkaTopicSpec


CLOUDCOIL: dict[tuple[str, str], type[BaseModel]] = {
    ("serving.knative.dev/v1", "Service"): serving.Service,
    ("eventing.knative.dev/v1", "Broker"): eventing.Broker,
    ("eventing.knative.dev/v1", "Trigger"): eventing.Trigger,
    ("sources.knative.dev/v1", "PingSource"): sources.PingSource,
}
VENDORED: dict[tuple[str, str], type[BaseModel]] = {
    ("v1", "Namespace"): Namespace,
    ("v1", "ServiceAccount"): ServiceAccount,
    ("v1", "ConfigMap"): ConfigMap,
    ("eventing.knative.dev/v1alpha1", "KafkaSink"): KafkaSink,
    ("kafka.strimzi.io/v1beta2", "KafkaTopic"): KafkaTopic,
}


def dropped_fields(data: Any, dumped: Any, path: str = "") -> list[str]:
    """Paths present in the manifest but gone after a round trip: fields the schema lacks."""
    if isinstance(data, dict):
        if not isinstance(dumped, dict):
            return [path or "/"]
        found = []
        for key, value in data.items():
            if key not in dumped:
                found.append(f"{path}/{key}")
            else:
                found += dropped_fields(value, dumped[key], f"{path}/{key}")
        return found
    if isinstance(data, list):
        if not isinstance(dumped, list) or len(dumped) != len(data):
            return [path]
        return [
            p
            for i, (a, b) in enumerate(zip(data, dumped, strict=True))
            for p in dropped_fields(a, b, f"{path}/{i}")
        ]
    return []


def schema_problems(resource: dict[str, Any]) -> list[str]:
    """Why a resource does not match its kind's schema ([] when it does)."""
    key = (resource.get("apiVersion", ""), resource.get("kind", ""))
    model = CLOUDCOIL.get(key) or VENDORED.get(key)
    if model is None:
        return [f"no schema for {key[1]} {key[0]}: an unexpected kind or API version"]
    try:
        validated = model.model_validate(resource)
    except (ValueError, TypeError) as error:
        return [str(error)]
    if model in CLOUDCOIL.values():
        # cloudcoil's models ignore unknown fields: a round trip shows a misspelt one,
        # and any value the schema had to coerce.
        dumped = validated.model_dump(by_alias=True, exclude_unset=True, mode="json")
        if dumped != resource:
            unknown = dropped_fields(resource, dumped)
            return [f"not in the schema: {unknown}" if unknown else "values were coerced"]
    return []
