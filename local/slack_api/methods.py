"""The Web API methods the server understands, and the workspace state behind them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from local.slack_api.chat import ChatMethods
from local.slack_api.directory import UserDirectory
from local.slack_api.payloads import (
    BotIdentity,
    JsonObject,
    dm_channel,
    error,
    missing,
    ok,
    str_arg,
)
from local.slack_api.views import ViewMethods
from shared.clock import Clock

type Method = Callable[[JsonObject], JsonObject]

MAX_CONVERSATION_USERS = 8


class Workspace:
    """Not thread-safe on its own; the server serialises access."""

    def __init__(self, clock: Clock, identity: BotIdentity | None = None) -> None:
        self.identity = identity or BotIdentity()
        self.directory = UserDirectory(self.identity.team_id, clock)
        self.chat = ChatMethods(self.identity)
        self.views = ViewMethods(self.identity)
        self._open_conversations: set[str] = set()

    def reset(self) -> None:
        """Forget everything that happened; the people stay."""
        self.chat = ChatMethods(self.identity)
        self.views = ViewMethods(self.identity)
        self._open_conversations.clear()

    def method(self, name: str) -> Method | None:
        # Looked up per call because reset() swaps the stores the bound methods belong to.
        methods: dict[str, Method] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat.post_message,
            "chat.update": self.chat.update,
            "chat.postEphemeral": self.chat.post_ephemeral,
            "chat.delete": self.chat.delete,
            "conversations.open": self.conversations_open,
            "users.info": self.users_info,
            "views.open": self.views.open,
            "views.update": self.views.update,
            "views.push": self.views.push,
            "views.publish": self.views.publish,
        }
        return methods.get(name)

    def auth_test(self, args: JsonObject) -> JsonObject:
        identity = self.identity
        return ok(
            url=identity.url,
            team=identity.team,
            user=identity.user,
            team_id=identity.team_id,
            user_id=identity.user_id,
            bot_id=identity.bot_id,
            is_enterprise_install=False,
        )

    def users_info(self, args: JsonObject) -> JsonObject:
        user_id = str_arg(args, "user")
        if user_id is None:
            return missing("user")
        user = self.directory.describe(user_id)
        if user is None:
            return error("user_not_found")
        return ok(user=user)

    def conversations_open(self, args: JsonObject) -> JsonObject:
        channel = str_arg(args, "channel")
        raw_users = args.get("users")
        if isinstance(raw_users, list):
            raw_users = ",".join(str(user) for user in raw_users)
        users = [user.strip() for user in str(raw_users or "").split(",") if user.strip()]
        if channel is None and not users:
            return error("users_list_not_supplied")
        if channel is None:
            if len(users) > MAX_CONVERSATION_USERS:
                return error("too_many_users")
            if len(users) == 1:
                channel = dm_channel(users[0])
            else:
                members = ",".join(sorted(set(users))).encode()
                channel = "G" + hashlib.sha256(members).hexdigest()[:10].upper()
        already_open = channel in self._open_conversations
        self._open_conversations.add(channel)
        reply = ok(channel={"id": channel})
        if already_open:
            reply.update(no_op=True, already_open=True)
        return reply
