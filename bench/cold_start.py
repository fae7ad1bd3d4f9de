"""Cold start: process start to the first signed `/coffee` answered, and to the run message.

Five functions-framework targets are started as fresh subprocesses, interleaved so they
share the machine's noise: a bare hello target (a), the same minimal `/coffee` in Slack
Bolt, ack only (b), CoffeeBuddy's slash function (c), the psycopg persist-in-request floor
(d, bench/targets/floor: it posts the run message itself before answering) and the Kafka
intake floor (e, bench/targets/kafka_floor: verify, one acks=all produce, answer). Each
start polls its port with the signed request until it answers.

CoffeeBuddy's run message comes after its answer, from the close function: the event path
(Tansu, the close function warm, a Trigger-like router; bench/deployment.py) runs for the
whole benchmark, and the clock for "run message stored" stops when the Slack server stores
the run's chat.postMessage (its own monotonic timestamp). The series runs once against the
fast and once against the realistic Slack server.
"""

from __future__ import annotations

import http.client
import statistics
import time
from dataclasses import dataclass
from typing import Any

from bench.context import BenchContext
from bench.deployment import deployed
from bench.http_client import post
from bench.imports import import_process_seconds, import_profile
from bench.servers import (
    BOLT,
    FLOOR,
    HELLO,
    KAFKA_FLOOR,
    ROOT,
    SLACK_MODES,
    SLASH,
    BenchError,
    FunctionProcess,
    Target,
)
from bench.slack_traffic import Signed, coffee_command

# Issue 11's targets.
ANSWER_OVER_BOLT = 0.8
ANSWER_OVER_HELLO = 1.3
MESSAGE_OVER_BOLT = 2.0
POLL_INTERVAL = 0.002
START_TIMEOUT = 60.0
MESSAGE_TIMEOUT = 30.0
CHANNEL_PREFIX = "CCOLD"
FLOOR_TOPIC = "bench.floor.commands"
RETRYABLE = (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected)
KINDS = ("hello", "bolt", "coffeebuddy", "floor", "kafka_floor")
TARGETS: dict[str, Target] = {
    "hello": HELLO,
    "bolt": BOLT,
    "coffeebuddy": SLASH,
    "floor": FLOOR,
    "kafka_floor": KAFKA_FLOOR,
}
# Whose run message is posted (by itself or by the event path) and timed.
POSTS_RUN_MESSAGE = frozenset({"coffeebuddy", "floor"})


@dataclass(frozen=True)
class ColdSample:
    seconds: float  # process start → answered
    first_request_seconds: float
    message_seconds: float | None  # process start → run message stored at Slack


@dataclass(frozen=True)
class Started:
    at: float  # time.monotonic() at Popen
    seconds: float
    first_request_seconds: float
    body: bytes


def start_and_answer(process: FunctionProcess, signed: Signed) -> Started:
    """Start the process and poll it with the signed request until one is answered."""
    body, headers = signed
    started = time.monotonic()
    process.start()
    try:
        while True:
            try:
                reply = post(process.port, body, headers, timeout=START_TIMEOUT)
                break
            except RETRYABLE:
                if process.exit_code() is not None:
                    raise BenchError(
                        f"{process.target.label} exited:\n{process.log_tail()}"
                    ) from None
                if time.monotonic() - started > START_TIMEOUT:
                    raise BenchError(f"{process.target.label} did not answer in time") from None
                time.sleep(POLL_INTERVAL)
        total = time.monotonic() - started
    finally:
        process.stop()
    if reply.status != 200:
        raise BenchError(f"{process.target.label} answered {reply.status}: {reply.body[:200]!r}")
    return Started(started, total, reply.seconds, reply.body)


def _channel(kind: str, mode: str, iteration: int) -> str:
    return f"{CHANNEL_PREFIX}{mode[:1].upper()}{kind[:2].upper()}{iteration:03d}"


def _request(ctx: BenchContext, kind: str, mode: str, iteration: int) -> Signed:
    # A new person and a new channel each time: CoffeeBuddy's close function does the full
    # work of a real first /coffee (users.info, user, channel and run rows, the post).
    user = f"UCOLD{mode[:1].upper()}{iteration:03d}"
    if kind == "coffeebuddy":
        ctx.slack.add_user(user, user.lower(), tz="Europe/London")
    return coffee_command("in 20m", user=user, channel=_channel(kind, mode, iteration))


def _one_start(
    ctx: BenchContext, kind: str, mode: str, iteration: int, env: dict[str, str]
) -> ColdSample:
    channel = _channel(kind, mode, iteration)
    signed = _request(ctx, kind, mode, iteration)
    mark = ctx.slack.mark()
    process = ctx.function(TARGETS[kind], f"cold-{kind}", env)
    started = start_and_answer(process, signed)
    if kind == "coffeebuddy" and started.body:
        raise BenchError(f"/coffee did not hand on: {started.body[:300]!r}")
    message = None
    if kind in POSTS_RUN_MESSAGE:
        (post_,) = ctx.slack.wait_posts(mark, [[channel]], timeout=MESSAGE_TIMEOUT)
        if post_ is None:
            raise BenchError(f"{kind}: no run message in {channel} within {MESSAGE_TIMEOUT} s")
        message = post_["at"] - started.at
    return ColdSample(started.seconds, started.first_request_seconds, message)


def _series(
    ctx: BenchContext, mode: str, iterations: int, env: dict[str, str]
) -> dict[str, list[ColdSample]]:
    samples: dict[str, list[ColdSample]] = {kind: [] for kind in KINDS}
    # Round 0 is a warm-up (disk cache, the close function's first run) and is not counted.
    for iteration in range(iterations + 1):
        shift = iteration % len(KINDS)
        for kind in KINDS[shift:] + KINDS[:shift]:
            sample = _one_start(ctx, kind, mode, iteration, env)
            if iteration > 0:
                samples[kind].append(sample)
            message = (
                ""
                if sample.message_seconds is None
                else (f", run message {sample.message_seconds * 1000:5.0f} ms")
            )
            print(
                f"  cold ({mode}) {kind:<12} #{iteration:<2} {sample.seconds * 1000:5.0f} ms"
                f"{message}",
                flush=True,
            )
    return samples


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 4)


def _target_result(samples: list[ColdSample]) -> dict[str, Any]:
    seconds = [s.seconds for s in samples]
    result: dict[str, Any] = {
        "n": len(samples),
        "median_s": _median(seconds),
        "min_s": round(min(seconds), 4),
        "max_s": round(max(seconds), 4),
        "first_request_median_s": _median([s.first_request_seconds for s in samples]),
        "samples_s": [round(s, 4) for s in seconds],
    }
    messages = [s.message_seconds for s in samples if s.message_seconds is not None]
    if messages:
        result["run_message_median_s"] = _median(messages)
        result["run_message_max_s"] = round(max(messages), 4)
        result["run_message_samples_s"] = [round(s, 4) for s in messages]
    return result


def _mode_result(samples: dict[str, list[ColdSample]]) -> dict[str, Any]:
    targets = {kind: _target_result(samples[kind]) for kind in KINDS}
    hello, bolt, coffee = (targets[k]["median_s"] for k in ("hello", "bolt", "coffeebuddy"))
    message = targets["coffeebuddy"]["run_message_median_s"]
    ratios = {
        "answer_over_bolt": round(coffee / bolt, 2),
        "answer_over_hello": round(coffee / hello, 2),
        "message_over_bolt": round(message / bolt, 2),
        "floor_over_bolt": round(targets["floor"]["median_s"] / bolt, 2),
        "floor_over_hello": round(targets["floor"]["median_s"] / hello, 2),
        "floor_message_over_bolt": round(targets["floor"]["run_message_median_s"] / bolt, 2),
        "kafka_floor_over_bolt": round(targets["kafka_floor"]["median_s"] / bolt, 2),
        "kafka_floor_over_hello": round(targets["kafka_floor"]["median_s"] / hello, 2),
        "bolt_over_hello": round(bolt / hello, 2),
    }
    return {
        "targets": targets,
        "ratios": ratios,
        "met": {
            "answer_over_bolt": coffee <= ANSWER_OVER_BOLT * bolt,
            "answer_over_hello": coffee <= ANSWER_OVER_HELLO * hello,
            "message_over_bolt": message <= MESSAGE_OVER_BOLT * bolt,
        },
    }


def _imports(ctx: BenchContext, env: dict[str, str]) -> dict[str, Any]:
    repeats = 1 if ctx.quick else 3
    found: dict[str, Any] = {}
    for kind, target in TARGETS.items():
        profile = import_profile(target, env)
        found[kind] = {
            "label": target.label,
            "command": f"functions-framework --source {target.source.relative_to(ROOT)} "
            f"--target {target.target}",
            "import_process_median_s": round(import_process_seconds(target, env, repeats), 4),
            "import_process_no_bytecode_median_s": round(
                import_process_seconds(target, env, repeats, bytecode=False), 4
            ),
            "importtime_total_ms": round(sum(share["ms"] for share in profile), 1),
            "imports_by_package": profile,
        }
    return found


def run_cold_start(ctx: BenchContext, iterations: int) -> dict[str, Any]:
    ctx.database.create_floor_table()
    modes: dict[str, Any] = {}
    with deployed(ctx, "cold", functions=("close",)) as deployment:
        deployment.broker.create_topics([FLOOR_TOPIC])
        env = {**deployment.kafka_env, "BENCH_FLOOR_TOPIC": FLOOR_TOPIC}
        for mode in SLACK_MODES:
            ctx.slack.set_mode(mode)
            modes[mode] = _mode_result(_series(ctx, mode, iterations, env))
        ctx.slack.set_mode("fast")
        imports = _imports(ctx, {**ctx.function_env(), **env})
    runs = ctx.database.run_counts(CHANNEL_PREFIX)
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "iterations": iterations,
        "targets_wanted": {
            "answer_over_bolt": ANSWER_OVER_BOLT,
            "answer_over_hello": ANSWER_OVER_HELLO,
            "message_over_bolt": MESSAGE_OVER_BOLT,
        },
        "modes": modes,
        "imports": imports,
        "runs_started": runs.get("open", 0),
        "runs_expected": (iterations + 1) * len(SLACK_MODES),
    }
