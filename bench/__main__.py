"""`python -m bench [--quick] [--only NAME] [--no-docs]`.

NAME is one of cold, warm, burst, close, pick, fairness, reminders. Cold, warm, burst and
close each run against the fast and the realistic Slack server (issue 11).

Measures, then writes bench/results/latest.json and docs/BENCHMARKS.md. With --only, the
other benchmarks' last results are kept from latest.json (each carries its own date).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench.burst import run_burst
from bench.close_e2e import run_close_e2e
from bench.cold_start import run_cold_start
from bench.context import bench_context
from bench.fairness_sim import run_fairness_simulation
from bench.machine import CodeVersion, describe_code, describe_machine
from bench.pick_history import run_pick_history
from bench.reminders_e2e import run_reminders_e2e
from bench.report import render_markdown, render_summary
from bench.servers import ROOT, BenchError
from bench.warm_latency import run_warm_latency

RESULTS = ROOT / "bench" / "results" / "latest.json"
DOCS = ROOT / "docs" / "BENCHMARKS.md"
BENCHMARKS = ("cold", "warm", "burst", "close", "pick", "fairness", "reminders")


@dataclass(frozen=True)
class Sizes:
    cold_iterations: int
    warm_cycles: int
    warm_orders_per_cycle: int
    burst_rounds: int
    close_runs: int
    picks: int
    simulation_seeds: int
    reminders: int
    reminders_left_open: int
    reminder_minutes: int


FULL = Sizes(
    cold_iterations=10,
    warm_cycles=200,
    warm_orders_per_cycle=5,
    burst_rounds=10,
    close_runs=50,
    picks=200,
    simulation_seeds=100,
    reminders=500,
    reminders_left_open=40,
    reminder_minutes=30,
)
QUICK = Sizes(
    cold_iterations=3,
    warm_cycles=20,
    warm_orders_per_cycle=3,
    burst_rounds=3,
    close_runs=10,
    picks=30,
    simulation_seeds=20,
    reminders=60,
    reminders_left_open=8,
    reminder_minutes=6,
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer iterations (a smoke run)")
    parser.add_argument("--only", choices=BENCHMARKS, help="run one benchmark")
    parser.add_argument(
        "--no-docs", action="store_true", help="write latest.json only, leave docs alone"
    )
    return parser.parse_args(argv)


def _previous() -> dict[str, Any]:
    try:
        previous: dict[str, Any] = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        return {}
    return previous


def measure(
    selected: tuple[str, ...], sizes: Sizes, quick: bool, code: CodeVersion
) -> dict[str, Any]:
    measured: dict[str, Any] = {}
    with bench_context(quick=quick) as ctx:
        machine = describe_machine(ctx.database.server_version())
        if "cold" in selected:
            print(f"cold start: {sizes.cold_iterations} starts of each target", flush=True)
            measured["cold"] = run_cold_start(ctx, sizes.cold_iterations)
        if "warm" in selected:
            print(
                f"warm latency: {sizes.warm_cycles} cycles of start, "
                f"{sizes.warm_orders_per_cycle} orders, close; fast and realistic Slack",
                flush=True,
            )
            measured["warm"] = run_warm_latency(ctx, sizes.warm_cycles, sizes.warm_orders_per_cycle)
        if "burst" in selected:
            print(f"burst: {sizes.burst_rounds} rounds per Slack mode", flush=True)
            measured["burst"] = run_burst(ctx, sizes.burst_rounds)
        if "close" in selected:
            print(
                f"close through Kafka: {sizes.close_runs} runs of 30 people per Slack mode",
                flush=True,
            )
            measured["close"] = run_close_e2e(ctx, sizes.close_runs)
        if "pick" in selected:
            large = "100k" if quick else "1M"
            print(f"fairness pick: {sizes.picks} picks with 1k and {large} runs of history")
            measured["pick"] = run_pick_history(sizes.picks, quick=quick)
        if "fairness" in selected:
            print(f"fairness simulation: 4 weeks of runs, {sizes.simulation_seeds} seeds")
            measured["fairness"] = run_fairness_simulation(sizes.simulation_seeds)
        if "reminders" in selected:  # last: it loads the functions into this process
            print(
                f"reminders through Kafka: {sizes.reminders} reminders over "
                f"{sizes.reminder_minutes} clock minutes",
                flush=True,
            )
            measured["reminders"] = run_reminders_e2e(
                ctx, sizes.reminders, sizes.reminders_left_open, sizes.reminder_minutes
            )
    for result in measured.values():
        result["quick"] = quick
        result["code"] = code
    return {"machine": machine, "benchmarks": measured}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    selected = (args.only,) if args.only else BENCHMARKS
    started = time.perf_counter()
    code = describe_code(ROOT)
    try:
        fresh = measure(selected, QUICK if args.quick else FULL, args.quick, code)
    except BenchError as error:
        sys.stderr.write(f"bench: {error}\n")
        return 1
    benchmarks = dict(_previous().get("benchmarks", {})) if args.only else {}
    benchmarks.update(fresh["benchmarks"])
    results = {
        "generated_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "duration_s": round(time.perf_counter() - started, 1),
        "machine": fresh["machine"],
        "code": code,
        "benchmarks": benchmarks,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    if not args.no_docs:
        DOCS.write_text(render_markdown(results))
    print(render_summary(results))
    written = [str(RESULTS.relative_to(ROOT))]
    if not args.no_docs:
        written.append(str(DOCS.relative_to(ROOT)))
    print(f"wrote {' and '.join(written)} in {results['duration_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
