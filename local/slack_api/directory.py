"""The workspace's people, as `users.info` describes them."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from local.slack_api.payloads import JsonObject
from shared.clock import Clock


@dataclass(frozen=True)
class DirectoryUser:
    id: str
    name: str
    real_name: str
    tz: str
    is_admin: bool
    is_owner: bool
    deleted: bool


class UserDirectory:
    """Not thread-safe on its own; the server serialises access."""

    def __init__(self, team_id: str, clock: Clock) -> None:
        self._team_id = team_id
        self._clock = clock
        self._users: dict[str, DirectoryUser] = {}

    def add(self, user: DirectoryUser) -> None:
        ZoneInfo(user.tz)  # fail at setup time, not inside a request, on a bad zone name
        self._users[user.id] = user

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._users

    def describe(self, user_id: str) -> JsonObject | None:
        user = self._users.get(user_id)
        if user is None:
            return None
        # Offsets follow the clock so DST changes show up the way Slack reports them.
        local = self._clock.now().astimezone(ZoneInfo(user.tz))
        offset = local.utcoffset()
        return {
            "id": user.id,
            "team_id": self._team_id,
            "name": user.name,
            "real_name": user.real_name,
            "deleted": user.deleted,
            "tz": user.tz,
            "tz_label": local.tzname() or user.tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_admin": user.is_admin,
            "is_owner": user.is_owner,
            "is_primary_owner": False,
            "is_bot": False,
            "is_app_user": False,
            "profile": {
                "real_name": user.real_name,
                "display_name": user.name,
                "team": self._team_id,
            },
        }
