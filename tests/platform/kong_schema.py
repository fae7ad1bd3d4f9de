"""The part of Kong's decK format (3.0) that knative/kong/kong.yaml uses, vendored as
pydantic models with unknown fields forbidden, so a misspelt key fails here rather than in
`deck gateway sync`. Field names and enums follow Kong 3.x's entity and plugin schemas."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestSizeLimitingConfig(Strict):
    allowed_payload_size: StrictInt = Field(128, ge=0)
    size_unit: Literal["megabytes", "kilobytes", "bytes"] = "megabytes"
    require_content_length: StrictBool = False


class RateLimitingConfig(Strict):
    second: StrictInt | None = Field(None, ge=0)
    minute: StrictInt | None = Field(None, ge=0)
    hour: StrictInt | None = Field(None, ge=0)
    day: StrictInt | None = Field(None, ge=0)
    month: StrictInt | None = Field(None, ge=0)
    year: StrictInt | None = Field(None, ge=0)
    limit_by: Literal[
        "consumer", "credential", "ip", "service", "header", "path", "consumer-group"
    ] = "consumer"
    policy: Literal["local", "cluster", "redis"] = "local"
    fault_tolerant: StrictBool = True
    hide_client_headers: StrictBool = False
    error_code: StrictInt = 429
    error_message: StrictStr = "API rate limit exceeded"


class CorrelationIdConfig(Strict):
    header_name: StrictStr = "Kong-Request-ID"
    generator: Literal["uuid", "uuid#counter", "tracker"] = "uuid#counter"
    echo_downstream: StrictBool = False


class RequestSizeLimiting(Strict):
    name: Literal["request-size-limiting"]
    enabled: StrictBool = True
    config: RequestSizeLimitingConfig


class RateLimiting(Strict):
    name: Literal["rate-limiting"]
    enabled: StrictBool = True
    config: RateLimitingConfig


class CorrelationId(Strict):
    name: Literal["correlation-id"]
    enabled: StrictBool = True
    config: CorrelationIdConfig


# Only plugins that neither rewrite the body nor remove a request header: Slack's
# signature covers the raw body and X-Slack-Request-Timestamp, the ops API needs the
# Authorization header. A plugin outside this list fails validation.
Plugin = Annotated[RequestSizeLimiting | RateLimiting | CorrelationId, Field(discriminator="name")]


class Route(Strict):
    name: StrictStr
    paths: list[StrictStr] = Field(min_length=1)
    methods: list[Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]]
    protocols: list[Literal["http", "https"]] = ["http", "https"]
    strip_path: StrictBool = True
    preserve_host: StrictBool = False
    https_redirect_status_code: Literal[426, 301, 302, 307, 308] = 426
    plugins: list[Plugin] = []


class Service(Strict):
    name: StrictStr
    url: StrictStr
    connect_timeout: StrictInt = Field(60000, ge=1)
    read_timeout: StrictInt = Field(60000, ge=1)
    write_timeout: StrictInt = Field(60000, ge=1)
    retries: StrictInt = Field(5, ge=0, le=32767)
    routes: list[Route] = Field(min_length=1)
    plugins: list[Plugin] = []


class Info(Strict):
    select_tags: list[StrictStr] = Field(min_length=1)


class DeclarativeConfig(Strict):
    format_version: Literal["3.0"] = Field(alias="_format_version")
    info: Info = Field(alias="_info")
    services: list[Service] = Field(min_length=1)
