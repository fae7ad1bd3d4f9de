"""Cold start: process start to the first signed `/coffee` answered with HTTP 200.

Four functions-framework targets are started as fresh subprocesses, interleaved so they
share the machine's noise: a bare hello target, the same minimal `/coffee` in Slack Bolt,
CoffeeBuddy's slash function (real Postgres, local Slack API, Kafka on Tansu), and the
persist-in-request floor (bench/targets/floor). Each start polls its port with the signed
request until it answers.
"""

from __future__ import annotations

import http.client
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from bench.context import BenchContext
from bench.http_client import post
from bench.kafka import Broker
from bench.servers import BOLT, FLOOR, HELLO, ROOT, SLASH, BenchError, FunctionProcess, Target
from bench.servers import child_environment as child_env
from bench.slack_traffic import Signed, coffee_command

# Issue #2's targets: CoffeeBuddy no slower than Bolt, within 1.5x the bare hello target.
BOLT_RATIO = 1.0
HELLO_RATIO = 1.5
POLL_INTERVAL = 0.002
START_TIMEOUT = 60.0
CHANNEL_PREFIX = "CCOLD"
RETRYABLE = (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected)

# What `functions-framework --source S` imports before it can serve: its CLI, gunicorn,
# then the source file itself.
# os._exit skips interpreter teardown, which a serving process never reaches either.
IMPORT_SNIPPET = """
import importlib.util, os
import functions_framework._cli, functions_framework._http.gunicorn
spec = importlib.util.spec_from_file_location("main", {source!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
os._exit(0)
"""


@dataclass(frozen=True)
class ColdSample:
    seconds: float
    first_request_seconds: float


class ImportShare(TypedDict):
    package: str
    ms: float


def start_and_answer(process: FunctionProcess, signed: Signed) -> tuple[ColdSample, bytes]:
    """Start the process and poll it with the signed request until one is answered."""
    body, headers = signed
    started = time.perf_counter()
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
                if time.perf_counter() - started > START_TIMEOUT:
                    raise BenchError(f"{process.target.label} did not answer in time") from None
                time.sleep(POLL_INTERVAL)
        total = time.perf_counter() - started
    finally:
        process.stop()
    if reply.status != 200:
        raise BenchError(f"{process.target.label} answered {reply.status}: {reply.body[:200]!r}")
    return ColdSample(seconds=total, first_request_seconds=reply.seconds), reply.body


def _reference_request(_: int) -> Signed:
    return coffee_command("", user="UCOLDREF", channel=f"{CHANNEL_PREFIX}REF")


def _coffeebuddy_request(ctx: BenchContext) -> Callable[[int], Signed]:
    def make(iteration: int) -> Signed:
        # A new person and a new channel each time: the first request does the full work
        # of a real first /coffee (users.info, user, channel and run rows, chat.postMessage).
        user = f"UCOLD{iteration:03d}"
        ctx.slack.add_user(user, user.lower(), tz="Europe/London")
        return coffee_command("in 20m", user=user, channel=f"{CHANNEL_PREFIX}{iteration:03d}")

    return make


def _floor_request(iteration: int) -> Signed:
    # The same command as CoffeeBuddy's, in a channel of its own.
    return coffee_command("in 20m", user="UCOLDREF", channel=f"CFLOOR{iteration:03d}")


def _import_snippet(target: Target) -> str:
    return IMPORT_SNIPPET.format(source=str(target.source))


def _python(args: list[str], env: dict[str, str]) -> str:
    """Run the bench's Python with the function's settings; its stderr, or a BenchError."""
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=child_env(env), capture_output=True, text=True
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.splitlines()[-10:])
        raise BenchError(f"import measurement failed ({result.returncode}):\n{tail}")
    return result.stderr


def import_process_seconds(
    target: Target, env: dict[str, str], repeats: int, *, bytecode: bool = True
) -> float:
    """Median wall time of a Python process that only does the target's imports.

    With `bytecode=False` the process finds no cached .pyc files (an empty
    PYTHONPYCACHEPREFIX, nothing written), as in an image built without compiling them.
    """
    samples = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="bench-pycache-") as empty:
            extra = (
                {} if bytecode else {"PYTHONPYCACHEPREFIX": empty, "PYTHONDONTWRITEBYTECODE": "1"}
            )
            started = time.perf_counter()
            _python(["-c", _import_snippet(target)], {**env, **extra})
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def import_profile(target: Target, env: dict[str, str]) -> list[ImportShare]:
    """`python -X importtime` of the target: self time summed per top-level package."""
    stderr = _python(["-X", "importtime", "-c", _import_snippet(target)], env)
    by_package: dict[str, int] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, self_us, _cumulative, name = (
            part.strip() for part in line.replace(":", "|", 1).split("|")
        )
        package = name.split(".")[0]
        by_package[package] = by_package.get(package, 0) + int(self_us)
    ranked = sorted(by_package.items(), key=lambda item: item[1], reverse=True)
    return [ImportShare(package=package, ms=round(us / 1000, 1)) for package, us in ranked]


def run_cold_start(ctx: BenchContext, iterations: int) -> dict[str, Any]:
    env = ctx.function_env()
    ctx.database.create_floor_table()
    kinds: dict[str, tuple[Target, Callable[[int], Signed]]] = {
        "hello": (HELLO, _reference_request),
        "bolt": (BOLT, _reference_request),
        "coffeebuddy": (SLASH, _coffeebuddy_request(ctx)),
        # Not a target to meet: what any design that persists inside the request costs.
        "floor": (FLOOR, _floor_request),
    }
    order = list(kinds)
    samples: dict[str, list[ColdSample]] = {kind: [] for kind in order}
    # CoffeeBuddy runs as deployed: publishing through Kafka (Tansu), so its first answer
    # includes the first publish after the run's commit.
    with Broker(ctx.log_dir / "cold-tansu.log") as broker:
        kafka = {"KAFKA_BROKERS": broker.brokers}
        # Round 0 is a warm-up (disk cache, .pyc files) and is not counted.
        for iteration in range(iterations + 1):
            shift = iteration % len(order)
            for kind in order[shift:] + order[:shift]:
                target, make_request = kinds[kind]
                extra = kafka if kind == "coffeebuddy" else None
                process = ctx.function(target, f"cold-{kind}", extra)
                sample, body = start_and_answer(process, make_request(iteration))
                if kind == "coffeebuddy" and body:
                    raise BenchError(f"/coffee did not start a run: {body[:300]!r}")
                if iteration > 0:
                    samples[kind].append(sample)
                print(
                    f"  cold {kind:<12} #{iteration:<2} {sample.seconds * 1000:7.0f} ms",
                    flush=True,
                )

    repeats = 1 if ctx.quick else 3
    targets: dict[str, Any] = {}
    for kind in order:
        target = kinds[kind][0]
        profile = import_profile(target, env)
        targets[kind] = {
            "label": target.label,
            "command": f"functions-framework --source {target.source.relative_to(ROOT)} "
            f"--target {target.target}",
            "n": len(samples[kind]),
            "median_s": round(statistics.median(s.seconds for s in samples[kind]), 4),
            "min_s": round(min(s.seconds for s in samples[kind]), 4),
            "max_s": round(max(s.seconds for s in samples[kind]), 4),
            "first_request_median_s": round(
                statistics.median(s.first_request_seconds for s in samples[kind]), 4
            ),
            "import_process_median_s": round(import_process_seconds(target, env, repeats), 4),
            "import_process_no_bytecode_median_s": round(
                import_process_seconds(target, env, repeats, bytecode=False), 4
            ),
            "importtime_total_ms": round(sum(share["ms"] for share in profile), 1),
            "imports_by_package": profile,
            "samples_s": [round(s.seconds, 4) for s in samples[kind]],
        }
    hello, bolt, coffee, floor = (
        targets[k]["median_s"] for k in ("hello", "bolt", "coffeebuddy", "floor")
    )
    runs = ctx.database.run_counts(CHANNEL_PREFIX)
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "iterations": iterations,
        "targets": targets,
        "ratio_c_over_b": round(coffee / bolt, 2),
        "ratio_c_over_a": round(coffee / hello, 2),
        "ratio_floor_over_b": round(floor / bolt, 2),
        "ratio_floor_over_a": round(floor / hello, 2),
        "met_not_slower_than_bolt": coffee <= BOLT_RATIO * bolt,
        "met_within_1_5x_hello": coffee <= HELLO_RATIO * hello,
        "floor_not_slower_than_bolt": floor <= BOLT_RATIO * bolt,
        "floor_within_1_5x_hello": floor <= HELLO_RATIO * hello,
        "runs_started": runs.get("open", 0),
        "runs_expected": iterations + 1,
    }
