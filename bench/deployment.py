"""CoffeeBuddy as deployed, for the benchmarks that follow a request into Slack.

The Tansu broker, the functions as functions-framework processes with KAFKA_BROKERS set,
and an `EventRouter` playing the Kafka Broker's Triggers: every event type the close
function's ROUTES take is POSTed to it, concurrently and unordered, retried on 5xx/429
with the Broker's backoff. A `/coffee` only answers (the intake writes one Kafka record);
the run exists once the close function has consumed that record, and its message is in
Slack once the close function has posted it, so `start_run` waits for both.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from bench.context import BenchContext
from bench.database import BenchDatabase
from bench.http_client import Reply, post
from bench.kafka import Broker, EventRouter, Route, accepted_by
from bench.servers import CLOSE, INTERACTIONS, SLASH, BenchError, FunctionProcess, Target
from bench.slack_traffic import Signed, coffee_command
from shared.events.topics import RUN_TOPIC

FUNCTIONS: dict[str, Target] = {"slash": SLASH, "interactions": INTERACTIONS, "close": CLOSE}
DISPATCH_WORKERS = 16  # events in flight at once, as a Broker's dispatcher has
RUN_POSTED_TIMEOUT = 30.0
POLL_SECONDS = 0.003


def empty(body: bytes) -> bool:
    """A command or a click went well: Slack gets an empty 200."""
    return not body


def order_saved(body: bytes) -> bool:
    """An order submission went well: the modal turns into its "Order saved" view."""
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    return isinstance(answer, dict) and answer.get("response_action") == "update"


def answered_well(reply: Reply, accept: Callable[[bytes], bool]) -> bool:
    return reply.status == 200 and accept(reply.body)


def send(
    process: FunctionProcess, signed: Signed, what: str, accept: Callable[[bytes], bool] = empty
) -> Reply:
    """Post and insist on the answer CoffeeBuddy gives when all went well."""
    body, headers = signed
    reply = post(process.port, body, headers)
    if not answered_well(reply, accept):
        raise BenchError(f"{what} answered {reply.status}: {reply.body[:300]!r}")
    return reply


def posted_run(
    database: BenchDatabase, channel: str, timeout: float = RUN_POSTED_TIMEOUT
) -> tuple[str, str]:
    """(run id, message ts) once the channel's open run has its message in Slack."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = database.open_run(channel)
        if run is not None and run[1] is not None:
            return run[0], run[1]
        time.sleep(POLL_SECONDS)
    raise BenchError(f"no open, posted run in {channel} {timeout:.0f} s after /coffee")


@dataclass
class Deployment:
    ctx: BenchContext
    broker: Broker
    processes: dict[str, FunctionProcess]
    router: EventRouter
    join_seconds: float

    @property
    def kafka_env(self) -> dict[str, str]:
        return {"KAFKA_BROKERS": self.broker.brokers}

    @property
    def slash(self) -> FunctionProcess:
        return self.processes["slash"]

    @property
    def interactions(self) -> FunctionProcess:
        return self.processes["interactions"]

    def start_run(self, text: str, *, user: str, channel: str) -> tuple[str, str, Reply]:
        """`/coffee TEXT`, answered, then the run started and posted by the close function."""
        reply = send(self.slash, coffee_command(text, user=user, channel=channel), "/coffee")
        run_id, ts = posted_run(self.ctx.database, channel)
        return run_id, ts, reply


@contextmanager
def deployed(
    ctx: BenchContext, name: str, functions: tuple[str, ...] = ("slash", "interactions", "close")
) -> Iterator[Deployment]:
    """The broker, `functions` (close always among them) and the router, all started."""
    if "close" not in functions:
        raise BenchError("the event path needs the close function")
    with Broker(ctx.log_dir / f"{name}-tansu.log") as broker, ExitStack() as stack:
        env = {"KAFKA_BROKERS": broker.brokers}
        processes = {
            fn: stack.enter_context(ctx.function(FUNCTIONS[fn], f"{name}-{fn}", env))
            for fn in functions
        }
        for process in processes.values():
            process.wait_until_live()
        route = Route(processes["close"].port, accepted_by("close"))
        router = stack.enter_context(
            EventRouter(
                broker,
                group_id=f"coffeebuddy-{name}",
                topics=[RUN_TOPIC],
                routes=[route],
                workers=DISPATCH_WORKERS,
            )
        )
        join_seconds = router.wait_ready()
        yield Deployment(ctx, broker, processes, router, join_seconds)
