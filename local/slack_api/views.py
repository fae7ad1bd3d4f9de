"""`views.*` methods: modals and Home tabs, with Slack's one-shot trigger ids and view hashes."""

from __future__ import annotations

import copy

from local.slack_api.payloads import BotIdentity, JsonObject, error, missing, ok, str_arg
from local.slack_api.surfaces import view_problems

FIRST_HASH_SECONDS = 1_700_000_000


class ViewMethods:
    """Not thread-safe on its own; the server serialises access."""

    def __init__(self, identity: BotIdentity) -> None:
        self._identity = identity
        self._views: dict[str, JsonObject] = {}
        self._used_triggers: set[str] = set()
        self._home_by_user: dict[str, str] = {}
        self._issued = 0

    # -- methods ----------------------------------------------------------------------------

    def open(self, args: JsonObject) -> JsonObject:
        return self._open_from_trigger(args)

    def push(self, args: JsonObject) -> JsonObject:
        return self._open_from_trigger(args)

    def update(self, args: JsonObject) -> JsonObject:
        view_id, external_id = str_arg(args, "view_id"), str_arg(args, "external_id")
        if view_id is None and external_id is None:
            return missing("view_id")
        current = self._views.get(view_id) if view_id else self._by_external_id(external_id)
        if current is None:
            return error("not_found")
        problem = self._check(args, allowed_types=(current["type"],))
        if problem is not None:
            return problem
        if self._hash_conflicts(args, current):
            return error("hash_conflict")
        view = dict(args["view"])
        if not view.get("external_id") and current["external_id"]:
            view["external_id"] = current["external_id"]
        if self._external_id_taken(view, current["id"]):
            return error("duplicate_external_id")
        return ok(view=self._store(view, view_id=current["id"]))

    def publish(self, args: JsonObject) -> JsonObject:
        user_id = str_arg(args, "user_id")
        if user_id is None:
            return missing("user_id")
        problem = self._check(args, allowed_types=("home",))
        if problem is not None:
            return problem
        home_id = self._home_by_user.get(user_id)
        if home_id is not None and self._hash_conflicts(args, self._views[home_id]):
            return error("hash_conflict")
        stored = self._store(args["view"], view_id=home_id)
        self._home_by_user[user_id] = stored["id"]
        return ok(view=stored)

    # -- inspection -------------------------------------------------------------------------

    def views(self) -> dict[str, JsonObject]:
        return copy.deepcopy(self._views)

    # -- internals --------------------------------------------------------------------------

    def _open_from_trigger(self, args: JsonObject) -> JsonObject:
        trigger_id = str_arg(args, "trigger_id") or str_arg(args, "interactivity_pointer")
        if trigger_id is None:
            return missing("trigger_id")
        if trigger_id in self._used_triggers:
            return error("exchanged_trigger_id")
        problem = self._check(args, allowed_types=("modal",))
        if problem is not None:
            return problem
        if self._external_id_taken(args["view"], None):
            return error("duplicate_external_id")
        self._used_triggers.add(trigger_id)
        return ok(view=self._store(args["view"], view_id=None))

    def _check(self, args: JsonObject, *, allowed_types: tuple[str, ...]) -> JsonObject | None:
        if args.get("view") is None:
            return missing("view")
        problems = view_problems(args["view"], allowed_types=allowed_types)
        if problems:
            return error("invalid_arguments", *problems)
        return None

    def _store(self, view: JsonObject, *, view_id: str | None) -> JsonObject:
        self._issued += 1
        if view_id is None:
            view_id = f"V0LOCAL{self._issued:05d}"
        stored: JsonObject = {
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            **copy.deepcopy(view),
            "id": view_id,
            "team_id": self._identity.team_id,
            "app_id": self._identity.app_id,
            "bot_id": self._identity.bot_id,
            "app_installed_team_id": self._identity.team_id,
            "state": {"values": {}},
            "hash": f"{FIRST_HASH_SECONDS + self._issued}.{self._issued:08x}",
            "root_view_id": view_id,
            "previous_view_id": None,
        }
        self._views[view_id] = stored
        return copy.deepcopy(stored)

    def _by_external_id(self, external_id: str | None) -> JsonObject | None:
        for view in self._views.values():
            if external_id and view.get("external_id") == external_id:
                return view
        return None

    def _external_id_taken(self, view: JsonObject, owner_id: str | None) -> bool:
        existing = self._by_external_id(view.get("external_id") or None)
        return existing is not None and existing["id"] != owner_id

    @staticmethod
    def _hash_conflicts(args: JsonObject, current: JsonObject) -> bool:
        expected = str_arg(args, "hash")
        return expected is not None and expected != current["hash"]
