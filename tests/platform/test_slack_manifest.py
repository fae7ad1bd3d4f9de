"""The Slack app manifest: /coffee and interactivity through Kong, and exactly the bot
scopes the Web API methods in the code need."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.platform import code_facts
from tests.platform.code_facts import ROOT
from tests.platform.manifests import load_documents

MANIFEST = load_documents(ROOT / "slack" / "manifest.yaml")[0]

# The bot scope each Web API method needs (https://api.slack.com/methods). views.* work
# with the trigger_id or view id Slack handed us and need none. A method the code starts
# calling must be added here, which makes this test name the scope to add.
SCOPES = {
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "chat.delete": {"chat:write"},
    "views.open": set(),
    "views.update": set(),
    "views.push": set(),
    "views.publish": set(),
    "users.info": {"users:read"},
    "users.list": {"users:read"},
    "conversations.info": {"channels:read", "groups:read"},
    "conversations.members": {"channels:read", "groups:read"},
    "conversations.open": {"im:write"},
    "reactions.add": {"reactions:write"},
}


def needed_scopes() -> set[str]:
    called = code_facts.slack_methods_called()
    unknown = sorted(set(called) - set(SCOPES))
    assert unknown == [], f"add the scopes of {unknown} to SCOPES"
    scopes = set().union(*(SCOPES[method] for method in called))
    if MANIFEST["features"].get("slash_commands"):
        scopes.add("commands")
    return scopes


def test_the_code_calls_the_web_api() -> None:
    assert {"chat.postMessage", "views.open", "users.info"} <= set(
        code_facts.slack_methods_called()
    )


def test_bot_scopes_are_exactly_what_the_code_needs() -> None:
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == sorted(needed_scopes())
    assert "user" not in MANIFEST["oauth_config"]["scopes"]


def test_coffee_command_goes_through_kong() -> None:
    (command,) = MANIFEST["features"]["slash_commands"]
    assert command["command"] == "/coffee"
    assert command["usage_hint"]
    assert command["should_escape"] is False  # the code unescapes &amp; itself
    url = urlsplit(command["url"])
    assert (url.scheme, url.netloc, url.path) == ("https", "${KONG_HOST}", "/slack/commands")


def test_interactivity_goes_through_kong() -> None:
    interactivity = MANIFEST["settings"]["interactivity"]
    assert interactivity["is_enabled"] is True
    url = urlsplit(interactivity["request_url"])
    assert (url.scheme, url.netloc, url.path) == ("https", "${KONG_HOST}", "/slack/interactions")


def test_the_manifest_is_a_version_1_app_with_a_bot() -> None:
    assert MANIFEST["_metadata"]["major_version"] == 1
    assert MANIFEST["display_information"]["name"]
    assert MANIFEST["features"]["bot_user"]["display_name"]
    assert MANIFEST["settings"]["socket_mode_enabled"] is False


def test_direct_messages_have_somewhere_to_arrive() -> None:
    """Runner and initiator DMs are chat.postMessage to a user id: the app's Messages tab."""
    assert MANIFEST["features"]["app_home"]["messages_tab_enabled"] is True
