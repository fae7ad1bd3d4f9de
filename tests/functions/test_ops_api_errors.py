"""Every refusal of the ops API is a 4xx (or 5xx) in its one JSON shape, never Flask's HTML or
the Slack endpoints' ``{"ok": false}``; inputs that used to raise are 400s and 422s."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from shared.admin import ops_api
from shared.admin.ops_api import serve_ops_api
from shared.admin.ops_errors import MAX_HEADER_BYTES, MAX_HEADER_FIELD_BYTES, MAX_HEADER_FIELDS
from shared.web.flask_adapter import MAX_BODY_BYTES
from shared.web.http import HttpRequest
from tests.support.slack_requests import CHANNEL

OPENAPI = json.loads(
    (Path(__file__).resolve().parents[2] / "shared" / "admin" / "openapi.json").read_text()
)
ADMIN = {"scp": ["coffeebuddy:admin"]}


@pytest.fixture
def client(runtime, admin_api_app):
    return admin_api_app.test_client()


@pytest.fixture
def admin_token(oidc_issuer) -> str:
    return oidc_issuer.mint(ADMIN, key="ec")


def problem(response: Any, status: int, operation: tuple[str, str] | None = None) -> dict:
    """The response is `status` with a Problem body, documented for `operation`."""
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "application/json", response.data[:300]
    body = response.get_json()
    assert isinstance(body["error"], str) and isinstance(body["message"], str)
    assert set(body) <= {"error", "message", "errors"}
    if operation is not None:
        method, path = operation
        assert str(status) in OPENAPI["paths"][path][method.lower()]["responses"]
    return body


PATCH = ("PATCH", "/admin/channels/{channel_id}")
RESET = ("POST", "/admin/channels/{channel_id}/reset")
AUDIT = ("GET", "/admin/channels/{channel_id}/audit")
LIST = ("GET", "/admin/channels")


# -- 6. inputs that raised ----------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["²", "٣", "①", "9" * 5000, "-1", "1e2", " 5", "", "201"])
def test_audit_limits_int_does_not_read_are_422(client, oidc_issuer, channel_row, limit):
    token = oidc_issuer.mint(key="ec")
    response = client.get(
        f"/admin/channels/{CHANNEL}/audit",
        query_string={"limit": limit},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert problem(response, 422, AUDIT)["errors"] == {
        "limit": "limit must be a whole number from 1 to 200."
    }


@pytest.mark.parametrize("value", ["²", "١٢", "9" * 5000, "٣٠"])
def test_patch_values_int_does_not_read_are_422(client, admin_token, channel_row, value):
    response = client.patch(
        f"/admin/channels/{CHANNEL}",
        json={"reminder_offset_minutes": value},
        headers={"Authorization": f"Bearer {admin_token}"},
    )

    assert "reminder_offset_minutes" in problem(response, 422, PATCH)["errors"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"reminder_offset_minutes": ' + b"9" * 5000 + b"}",
        b'{"fairness_window_runs": -' + b"9" * 5000 + b"}",
        b'{"x": 1e99999}',
    ],
    ids=["huge", "huge-negative", "inf"],
)
def test_patch_bodies_with_huge_numbers_are_422(client, admin_token, channel_row, raw):
    response = client.patch(
        f"/admin/channels/{CHANNEL}", data=raw, headers={"Authorization": f"Bearer {admin_token}"}
    )

    assert problem(response, 422, PATCH)["errors"]


@pytest.mark.parametrize(
    "raw",
    [b"[" * 8000, b'{"a":' * 2000 + b"1" + b"}" * 2000, b"\xff\xfe{}", b'"text"', b"[1, 2"],
    ids=["nested-list", "nested-object", "not-utf8", "string", "truncated"],
)
@pytest.mark.parametrize("operation", [PATCH, RESET], ids=["patch", "reset"])
def test_bodies_that_are_no_json_object_are_400(client, admin_token, channel_row, raw, operation):
    method, path = operation
    response = client.open(
        path.replace("{channel_id}", CHANNEL),
        method=method,
        data=raw,
        headers={"Authorization": f"Bearer {admin_token}"},
    )

    problem(response, 400, operation)


# -- 7. errors decided before the API's own code, in its shape ---------------------------------


@pytest.mark.parametrize("path", ["/robots.txt", "/favicon.ico"])
def test_paths_the_framework_answers_itself_get_json_404(client, path):
    assert problem(client.get(path), 404)["error"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/nothing",
        "/admin/channels/",
        "//admin/channels",
        "/admin//channels",
        "/admin/channels/lowercase",
        f"/admin/channels/{'C' * 33}",
        "/admin/channels/C1/audit/",
        "/admin/channels/C\u00e91",
        "/",
    ],
)
def test_unknown_paths_get_json_404(client, oidc_issuer, path):
    response = client.get(path, headers={"Authorization": f"Bearer {oidc_issuer.mint()}"})

    assert problem(response, 404)["error"] == "not_found"


@pytest.mark.parametrize("method", ["DELETE", "PUT", "OPTIONS", "TRACE", "POST"])
def test_wrong_methods_get_json_405_with_allow(client, method):
    response = client.open(f"/admin/channels/{CHANNEL}", method=method)

    assert problem(response, 405, PATCH)["error"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "PATCH"}


def test_a_body_over_a_mebibyte_gets_the_api_s_413_not_slack_s(client, admin_token):
    response = client.patch(
        f"/admin/channels/{CHANNEL}",
        data=b" " * (MAX_BODY_BYTES + 1),
        headers={"Authorization": f"Bearer {admin_token}"},
    )

    assert problem(response, 413, PATCH)["error"] == "payload_too_large"


def test_a_chunked_body_over_a_mebibyte_gets_413(admin_api_app, runtime, admin_token):
    """No Content-Length to check first: the body is cut off as it is read."""
    environ = EnvironBuilder(
        method="PATCH",
        path=f"/admin/channels/{CHANNEL}",
        data=b" " * (MAX_BODY_BYTES + 1),
        headers={"Authorization": f"Bearer {admin_token}", "Transfer-Encoding": "chunked"},
    ).get_environ()
    del environ["CONTENT_LENGTH"]
    environ["wsgi.input_terminated"] = True

    body, status, headers = run_wsgi_app(admin_api_app, environ, buffered=True)

    assert status.startswith("413") and headers["Content-Type"] == "application/json"
    assert json.loads(b"".join(body))["error"] == "payload_too_large"


def test_a_json_body_over_16_kib_gets_413(client, admin_token, channel_row):
    body = json.dumps({"enabled": True, "pad": "x" * 16384}).encode()
    response = client.patch(
        f"/admin/channels/{CHANNEL}", data=body, headers={"Authorization": f"Bearer {admin_token}"}
    )

    problem(response, 413, PATCH)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Padding": "x" * MAX_HEADER_FIELD_BYTES},
        {f"X-Part-{n}": "x" * 4000 for n in range(MAX_HEADER_BYTES // 4000 + 1)},
        {f"X-Many-{n}": "1" for n in range(MAX_HEADER_FIELDS + 1)},
    ],
    ids=["one-field", "all-fields", "too-many"],
)
def test_oversized_headers_get_json_431_before_anything_else(client, headers):
    response = client.get("/admin/channels", headers=headers)

    assert problem(response, 431, LIST)["error"] == "header_fields_too_large"


def test_a_token_longer_than_8_kib_is_401_in_json(client):
    response = client.get("/admin/channels", headers={"Authorization": "Bearer " + "e" * 9000})

    assert problem(response, 401, LIST)["error"] == "invalid_token"


def test_an_unconfigured_issuer_is_503_in_json(runtime):
    response = serve_ops_api(runtime, None, HttpRequest("GET", "/admin/channels", {}, b""))

    assert response.status == 503
    assert json.loads(response.body)["error"] == "temporarily_unavailable"


def test_a_bug_in_a_handler_is_a_json_500_and_logged(
    client, oidc_issuer, channel_row, monkeypatch, caplog
):
    def broken(**_: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(ops_api, "recent_actions", broken)
    response = client.get(
        f"/admin/channels/{CHANNEL}/audit",
        headers={"Authorization": f"Bearer {oidc_issuer.mint(key='ec')}"},
    )

    assert problem(response, 500, AUDIT)["error"] == "internal_error"
    assert "ops API request failed" in caplog.text


def test_not_found_channels_and_refusals_share_the_shape(client, oidc_issuer, admin_token):
    read = oidc_issuer.mint(key="ec")
    problem(client.get("/admin/channels/CNOPE", headers={"Authorization": f"Bearer {read}"}), 404)
    problem(client.get("/admin/channels"), 401, LIST)
    refused = client.patch(
        f"/admin/channels/{CHANNEL}",
        json={"enabled": False},
        headers={"Authorization": f"Bearer {read}"},
    )
    assert problem(refused, 403, PATCH)["error"] == "insufficient_scope"
    missing = client.patch(
        f"/admin/channels/{CHANNEL}", json={}, headers={"Authorization": f"Bearer {admin_token}"}
    )
    assert problem(missing, 422, PATCH)["errors"] == {
        "body": "Give at least one setting to change."
    }
