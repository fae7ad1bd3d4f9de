"""A local stand-in for the Slack Web API, reached through `WebClient(base_url=server.url)`."""

from __future__ import annotations

import copy
import hmac
import logging
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import Any

from local.background_server import BackgroundServer
from local.slack_api.admission import Admission
from local.slack_api.directory import DirectoryUser
from local.slack_api.incidents import EVERY_METHOD
from local.slack_api.methods import Workspace
from local.slack_api.payloads import JsonObject, error, resolve_channel, str_arg
from local.slack_api.realism import Realism
from local.slack_api.recording import RecordedCall, planned_failure
from local.slack_api.response_urls import PostedResponse, ResponseUrls
from local.slack_api.transport import (
    RESPONSE_PREFIX,
    ApiHttpServer,
    ApiRequest,
    ApiResponse,
    ResponseUrlPost,
)
from shared.clock import Clock, SystemClock

logger = logging.getLogger(__name__)


class SlackApiServer(BackgroundServer):
    """Serves `/api/<method>` and `/response/<token>` on a daemon thread; every public
    method is thread-safe.

    `realism` (None: fast mode) adds latency and rate limits. Rate limits, incidents and
    response_url lifetimes run on `monotonic`, latency is spent in `sleep`: tests pass fakes
    of both so nothing waits for real. `clock` is the workspace's wall clock (`users.info`).
    """

    def __init__(
        self,
        token: str,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        clock: Clock | None = None,
        realism: Realism | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token = token
        super().__init__(host, port)
        self._lock = threading.Lock()
        self._workspace = Workspace(clock or SystemClock())
        self._admission = Admission(realism, monotonic)
        self._response_urls = ResponseUrls()
        self._calls: list[RecordedCall] = []
        self._sleep = sleep
        self._monotonic = monotonic

    # -- lifecycle --------------------------------------------------------------------------

    name = "slack-api-server"

    def _make_server(self, address: tuple[str, int]) -> ThreadingHTTPServer:
        return ApiHttpServer(address, self)

    @property
    def url(self) -> str:
        """The Web API base URL for slack-sdk (`base_url`), with its trailing slash."""
        return self.base_url + "/api/"

    # -- setup ------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        tz: str = "UTC",
        is_admin: bool = False,
        is_owner: bool = False,
        real_name: str | None = None,
        *,
        deleted: bool = False,
    ) -> None:
        user = DirectoryUser(
            id=user_id,
            name=name,
            real_name=real_name if real_name is not None else name,
            tz=tz,
            is_admin=is_admin,
            is_owner=is_owner,
            deleted=deleted,
        )
        with self._lock:
            self._workspace.directory.add(user)

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Make the next `times` authenticated calls to `method` fail as described."""
        failure = planned_failure(status, retry_after, error)
        with self._lock:
            if self._workspace.method(method) is None:
                raise ValueError(f"unknown Slack method {method!r}")
            self._admission.fail_next(method, failure, times)

    def schedule_fault(
        self,
        method: str | None,
        *,
        status: int,
        seconds: float,
        retry_after: int = 1,
        error: str | None = None,
    ) -> None:
        """For `seconds` from now, or from the end of the last fault scheduled for the same
        method, authenticated calls to `method` (None or "*": every method) fail as described."""
        failure = planned_failure(status, retry_after, error)
        target = EVERY_METHOD if method is None else method
        with self._lock:
            if target != EVERY_METHOD and self._workspace.method(target) is None:
                raise ValueError(f"unknown Slack method {method!r}")
            self._admission.schedule(target, failure, seconds)

    def set_realism(self, realism: Realism | None) -> None:
        """Switch latency and rate limits (None: fast mode); the buckets start full."""
        with self._lock:
            self._admission.set_realism(realism)

    @property
    def realism(self) -> Realism | None:
        with self._lock:
            return self._admission.realism

    def new_response_url(self, *, channel: str, user: str) -> str:
        """A fresh response_url for a slash command or message action in `channel` by `user`."""
        prefix = self.base_url + RESPONSE_PREFIX
        with self._lock:
            return self._response_urls.issue(
                prefix, channel=channel, user=user, now=self._monotonic()
            )

    def reset(self) -> None:
        """Back to how the server was built, with the users it has now: forget calls, messages,
        views, planned failures, faults and response_urls, and go back to the realism it was
        built with (the buckets start full)."""
        with self._lock:
            self._calls.clear()
            self._admission.reset()
            self._response_urls = ResponseUrls()
            self._workspace.reset()

    # -- inspection -------------------------------------------------------------------------

    @property
    def calls(self) -> list[RecordedCall]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        with self._lock:
            return [call for call in self._calls if call.method == method]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        with self._lock:
            return self._workspace.chat.messages(channel)

    def ephemerals(
        self, channel: str | None = None, user: str | None = None
    ) -> list[dict[str, Any]]:
        with self._lock:
            return self._workspace.chat.ephemerals(channel, user)

    def replace_view(self, view_id: str, view: dict[str, Any]) -> bool:
        """What Slack does with a submission answered ``response_action: update``: the open
        modal becomes ``view``, keeping its id. False if no such view is open."""
        with self._lock:
            answer = self._workspace.views.update({"view_id": view_id, "view": view})
        return bool(answer.get("ok"))

    def views(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return self._workspace.views.views()

    def responses(
        self, url: str | None = None, *, channel: str | None = None, user: str | None = None
    ) -> list[PostedResponse]:
        """What was posted to response_urls, oldest first, optionally only to one of them."""
        with self._lock:
            return self._response_urls.posted(url, channel=channel, user=user)

    # -- transport callbacks ----------------------------------------------------------------

    def handle(self, request: ApiRequest) -> ApiResponse:
        args = dict(request.args)
        form_token = args.pop("token", None)  # never kept in the call log
        presented = _bearer(request.authorization) or form_token
        self._wait_latency()
        with self._lock:
            response = self._respond(request, args, presented)
            body = response.body
            self._calls.append(
                RecordedCall(
                    method=request.method,
                    args=copy.deepcopy(args),
                    ok=bool(body.get("ok")),
                    error=body.get("error"),
                    status=response.status,
                )
            )
        logger.debug(
            "slack api call",
            extra={"method": request.method, "status": response.status, "error": body.get("error")},
        )
        return response

    def _respond(self, request: ApiRequest, args: JsonObject, token: object) -> ApiResponse:
        method = self._workspace.method(request.method)
        if method is None:
            body = error("unknown_method")
            body["req_method"] = request.method
            return ApiResponse(404, body)
        if not isinstance(token, str) or not token:
            return ApiResponse(200, error("not_authed"))
        if not hmac.compare_digest(token.encode(), self._token.encode()):
            return ApiResponse(200, error("invalid_auth"))
        if request.problem is not None:
            return ApiResponse(200, error(request.problem))
        channel = str_arg(args, "channel")
        refusal = self._admission.refusal(
            request.method, resolve_channel(channel) if channel else None
        )
        return refusal or ApiResponse(200, method(args))

    def handle_response_url(self, post: ResponseUrlPost) -> ApiResponse:
        self._wait_latency()
        with self._lock:
            return self._response_urls.post(post.token, post.body, self._monotonic())

    def _wait_latency(self) -> None:
        """Spent outside the lock, so concurrent calls overlap their latency like real HTTP."""
        with self._lock:
            delay = self._admission.latency()
        if delay > 0:
            self._sleep(delay)


def _bearer(authorization: str | None) -> str | None:
    if authorization is None:
        return None
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()
