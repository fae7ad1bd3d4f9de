"""The operators' API on the admin function: Ory tokens, scopes, validation, audit."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from shared.admin.ops_api import ROUTES
from shared.db.models import Channel, ChannelAdminAction, Run
from shared.events.catalog import TICK
from shared.events.envelope import Event, to_http
from tests.support.run_steps import order, start
from tests.support.slack_requests import CHANNEL, block_action, interaction_body

READ = {"scp": ["coffeebuddy:read"]}
ADMIN = {"scp": ["coffeebuddy:admin"]}
OPENAPI = Path(__file__).resolve().parents[2] / "shared" / "admin" / "openapi.json"


@pytest.fixture
def api(runtime, admin_api_app, oidc_issuer):
    client = admin_api_app.test_client()

    def call(
        method: str,
        path: str,
        token: str | None = None,
        body: object = None,
        raw: bytes | None = None,
    ):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        return client.open(path, method=method, headers=headers, data=data)

    return call


def audit(runtime) -> list[ChannelAdminAction]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(ChannelAdminAction)).all())


def test_read_scope_lists_and_reads_channels(api, oidc_issuer, channel_row):
    token = oidc_issuer.mint(READ)
    listed = api("GET", "/admin/channels", token)
    assert listed.status_code == 200
    assert listed.json["channels"][0]["id"] == CHANNEL
    one = api("GET", f"/admin/channels/{CHANNEL}", token)
    assert one.json["reminder_offset_minutes"] == 5 and one.json["data_retention_days"] == 90
    assert api("GET", "/admin/channels/CNOPE", token).status_code == 404


def test_admin_scope_changes_settings_with_audit(api, oidc_issuer, channel_row, runtime):
    token = oidc_issuer.mint({**ADMIN, "sub": "alice@ops"})
    response = api(
        "PATCH",
        f"/admin/channels/{CHANNEL}",
        token,
        {"reminder_offset_minutes": 15, "enabled": False},
    )
    assert response.status_code == 200
    assert response.json["after"]["reminder_offset_minutes"] == 15
    assert sorted(response.json["actions"]) == ["disable", "update_config"]
    rows = audit(runtime)
    assert {r.action_type for r in rows} == {"disable", "update_config"}
    assert {r.actor_id for r in rows} == {"ops:alice@ops"}


def test_invalid_values_are_422_and_change_nothing(api, oidc_issuer, channel_row, runtime):
    token = oidc_issuer.mint(ADMIN)
    for body in ({"reminder_offset_minutes": 0}, {"fairness_window_runs": "lots"}, {"nope": 1}, {}):
        response = api("PATCH", f"/admin/channels/{CHANNEL}", token, body)
        assert response.status_code == 422, body
        assert response.json["errors"]
    assert api("PATCH", f"/admin/channels/{CHANNEL}", token, raw=b"[1, 2").status_code == 400
    assert audit(runtime) == []


def test_reset_needs_confirmation_and_deletes_data(
    api, oidc_issuer, runtime, slack, slack_api, events
):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    token = oidc_issuer.mint(ADMIN)
    refused = api("POST", f"/admin/channels/{CHANNEL}/reset", token, {"confirm": "CWRONG"})
    assert refused.status_code == 422
    done = api("POST", f"/admin/channels/{CHANNEL}/reset", token, {"confirm": CHANNEL})
    assert done.status_code == 200 and done.json["deleted"]["runs"] == 1
    with Session(runtime.engine) as session:
        assert session.exec(select(Run)).all() == []
    assert [r.action_type for r in audit(runtime)] == ["data_reset"]
    events.run()  # the channel is told after the answer
    assert any("An operator reset" in m.get("text", "") for m in slack_api.messages(CHANNEL))


def test_audit_endpoint_and_limit_validation(api, oidc_issuer, channel_row):
    api("PATCH", f"/admin/channels/{CHANNEL}", oidc_issuer.mint(ADMIN), {"last_call_enabled": True})
    token = oidc_issuer.mint(READ)
    entries = api("GET", f"/admin/channels/{CHANNEL}/audit?limit=5", token).json["entries"]
    assert entries[0]["action_type"] == "update_config"
    assert api("GET", f"/admin/channels/{CHANNEL}/audit?limit=0", token).status_code == 422


def _alg_none(claims: dict) -> str:
    def b64(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


@pytest.mark.parametrize(
    "make_token",
    [
        lambda issuer: None,
        lambda issuer: "not-a-jwt",
        lambda issuer: issuer.mint(ADMIN, expires_in=-60),
        lambda issuer: issuer.mint({**ADMIN, "iss": "https://evil.example"}),
        lambda issuer: issuer.mint({**ADMIN, "aud": "someone-else"}),
        lambda issuer: issuer.mint(ADMIN, key="other"),
        lambda issuer: _alg_none(
            {
                "iss": issuer.url,
                "aud": "coffeebuddy",
                "sub": "x",
                "scp": ["coffeebuddy:admin"],
                "exp": 4102444800,
            }
        ),
    ],
    ids=[
        "missing",
        "malformed",
        "expired",
        "wrong-issuer",
        "wrong-audience",
        "wrong-key",
        "alg-none",
    ],
)
def test_bad_tokens_are_401_and_change_nothing(api, oidc_issuer, channel_row, runtime, make_token):
    response = api(
        "PATCH", f"/admin/channels/{CHANNEL}", make_token(oidc_issuer), {"enabled": False}
    )
    assert response.status_code == 401
    assert "Bearer" in response.headers["WWW-Authenticate"]
    assert audit(runtime) == []
    with Session(runtime.engine) as session:
        assert session.get(Channel, CHANNEL).enabled is True


def test_read_scope_cannot_write(api, oidc_issuer, channel_row, runtime):
    response = api(
        "PATCH", f"/admin/channels/{CHANNEL}", oidc_issuer.mint(READ), {"enabled": False}
    )
    assert response.status_code == 403 and response.json["error"] == "insufficient_scope"
    assert audit(runtime) == []


def test_unknown_route_and_wrong_method(api, oidc_issuer):
    assert api("GET", "/admin/nothing", oidc_issuer.mint(READ)).status_code == 404
    wrong = api("DELETE", f"/admin/channels/{CHANNEL}", oidc_issuer.mint(ADMIN))
    assert wrong.status_code == 405 and "PATCH" in wrong.headers["Allow"]


def test_openapi_document_matches_the_routes(api):
    served = api("GET", "/admin/openapi.json").json
    assert served == json.loads(OPENAPI.read_text())
    documented = {
        (method.upper(), path)
        for path, item in served["paths"].items()
        for method in item
        if method in ("get", "post", "patch", "put", "delete")
    }
    assert documented == {(route.method, route.path) for route in ROUTES}
    for route in ROUTES:
        operation = served["paths"][route.path][route.method.lower()]
        assert operation["security"] == [{"ory": [route.scope]}]


def test_openapi_documents_every_error_status_with_the_one_problem_shape(api):
    served = api("GET", "/admin/openapi.json").json
    responses = served["components"]["responses"]
    for route in ROUTES:
        operation = served["paths"][route.path][route.method.lower()]
        errors = {status for status in operation["responses"] if not status.startswith("2")}
        assert {"401", "403", "405", "413", "431", "500", "503"} <= errors, route
        if route.method in ("PATCH", "POST"):
            assert {"400", "404", "422"} <= errors, route
        for status in errors:
            name = operation["responses"][status]["$ref"].rsplit("/", 1)[1]
            schema = responses[name]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}, (route, status)
    assert served["components"]["schemas"]["Problem"]["required"] == ["error", "message"]


def test_daily_tick_purges_old_runs(runtime, admin_app, slack, events):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    slack.interactions.post(interaction_body(block_action("run_cancel", str(run.id))))
    fresh = start(slack, runtime)
    runtime.clock.advance(timedelta(days=91))
    headers, body = to_http(Event(type=TICK, subject="", data={}, source="/pingsource/daily"))
    assert admin_app.test_client().post("/", data=body, headers=headers).status_code == 200
    with Session(runtime.engine) as session:
        assert [r.id for r in session.exec(select(Run)).all()] == [fresh.id]


def test_long_subjects_sharing_a_prefix_are_audited_as_different_people(
    api, oidc_issuer, channel_row, runtime
):
    prefix = "system:serviceaccount:coffeebuddy-operations:" + "x" * 40
    first, second = prefix + "-alice", prefix + "-bob"
    for subject, minutes in ((first, 7), (second, 8)):
        token = oidc_issuer.mint({**ADMIN, "sub": subject}, key="ec")
        changed = api(
            "PATCH", f"/admin/channels/{CHANNEL}", token, {"reminder_offset_minutes": minutes}
        )
        assert changed.status_code == 200
        runtime.clock.advance(timedelta(minutes=1))

    assert {row.actor_id for row in audit(runtime)} == {f"ops:{first}", f"ops:{second}"}
    listed = api("GET", f"/admin/channels/{CHANNEL}/audit", oidc_issuer.mint(READ, key="ec"))
    assert [entry["actor"] for entry in listed.json["entries"]] == [
        f"ops:{second}",
        f"ops:{first}",
    ]


def test_a_255_character_subject_is_audited_whole(api, oidc_issuer, channel_row, runtime):
    subject = "s" * 255
    token = oidc_issuer.mint({**ADMIN, "sub": subject}, key="ec")

    assert api("PATCH", f"/admin/channels/{CHANNEL}", token, {"enabled": False}).status_code == 200
    assert {row.actor_id for row in audit(runtime)} == {f"ops:{subject}"}
