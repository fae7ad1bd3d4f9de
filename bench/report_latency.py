"""The warm-latency and burst parts of docs/BENCHMARKS.md."""

from __future__ import annotations

from typing import Any

from bench.report_format import quick as _quick
from bench.report_format import yes as _yes

WARM_WHAT = {
    "start": "`/coffee in 20m` starting a run (slash function)",
    "cancel": "cancel click on that run (interactions function)",
    "order": "order submission, 50 people on one run, re-submitting (interactions)",
}


def warm_rows(warm: dict[str, Any]) -> list[str]:
    rows = []
    for kind, summary in warm["kinds"].items():
        rows.append(
            f"| Warm: {kind} | {WARM_WHAT[kind]} | {summary['n']} | {summary['p50_ms']:.1f} ms | "
            f"{summary['p99_ms']:.1f} ms | {summary['max_ms']:.1f} ms | "
            f"p99 ≤ {warm['target_p99_ms']:.0f} ms | {_yes(warm['met'][kind])} |"
        )
    return rows


def burst_rows(burst: dict[str, Any]) -> list[str]:
    lat = burst["latency"]
    people, rounds = burst["people"], burst["rounds"]
    return [
        f"| Burst: latency | {people} simultaneous order submissions to one run, "
        f"{rounds} rounds | {lat['n']} | {lat['p50_ms']:.0f} ms | {lat['p99_ms']:.0f} ms | "
        f"{lat['max_ms']:.0f} ms | max ≤ {burst['ack_budget_ms']:.0f} ms (Slack ack budget) | "
        f"{_yes(burst['met_latency'])} |",
        f"| Burst: correctness | per round: {people} active orders from {people} distinct "
        f'people in Postgres, run message says "{people} people" | {rounds} rounds | '
        f"{burst['rounds_correct']}/{rounds} rounds correct | - | - | "
        f"0 lost, 0 duplicate, all counts right | {_yes(burst['met_correctness'])} |",
    ]


def warm_text(warm: dict[str, Any]) -> list[str]:
    kinds, checks = warm["kinds"], warm["checks"]
    worst = max(kinds, key=lambda kind: kinds[kind]["p99_ms"])
    return [
        f"### Warm latency{_quick(warm)} - measured {warm['measured_at']}",
        "",
        "One functions-framework process each for `slash` and `interactions`, on the bench's "
        "Postgres database and the local Slack API server (its own process), warmed with a few "
        "uncounted cycles. Requests go one at a time, each on a new connection, timed from "
        "connect to the last byte of the answer; every answer must be the empty 200 "
        "CoffeeBuddy gives on success. The start/cancel cycles reuse one channel (a cancel "
        "frees it); orders go to one run from "
        f"{warm['order_users']} people, so most of them replace an earlier order. Afterwards "
        f"{checks['cycle_runs_canceled']} of {checks['cycle_runs_expected']} cycle runs are "
        f"canceled and the order run has {checks['active_orders']} active orders (expected "
        f"{checks['active_orders_expected']}).",
        "",
        "**What this means.** Every kind "
        + ("stays" if all(warm["met"].values()) else "does not stay")
        + f" within p99 ≤ {warm['target_p99_ms']:.0f} ms; the slowest tail is `{worst}` "
        f"(p99 {kinds[worst]['p99_ms']:.1f} ms). Each request includes the Slack Web API calls "
        "the handler makes before answering (chat.postMessage for a start, chat.update for "
        "the run message after a cancel or an order), here to a local server that answers in "
        "about a millisecond; real Slack takes tens to hundreds of milliseconds per call, and "
        "that lands directly in these latencies.",
    ]


def burst_text(burst: dict[str, Any]) -> list[str]:
    lat = burst["latency"]
    lines = [
        f"### Burst{_quick(burst)} - measured {burst['measured_at']}",
        "",
        f"Each round starts a new run, prepares {burst['people']} signed order submissions from "
        f"{burst['people']} different people, and releases {burst['people']} threads at once with "
        "a barrier. After the round, Postgres must hold exactly one active order per person "
        "with the text they sent (no lost or duplicate rows), and the run message on the Slack "
        f'API server must read "{burst["people"]} people". One uncounted warm-up round first.',
        "",
        f"Results over {burst['rounds']} rounds: {burst['lost_orders']} lost orders, "
        f"{burst['duplicate_orders']} duplicate orders, {burst['wrong_counts']} wrong "
        f"participant counts, {burst['failed_requests']} failed requests; latency p50 "
        f"{lat['p50_ms']:.0f} ms, p99 {lat['p99_ms']:.0f} ms, max {lat['max_ms']:.0f} ms.",
        "",
        "**What this means.** "
        + (
            "Concurrent orders neither get lost nor doubled, and the count converges on the "
            "right number even though the redraws reach Slack in any order. "
            if burst["met_correctness"]
            else "Concurrent orders are NOT handled correctly; see `wrong_rounds` in "
            "bench/results/latest.json. "
        )
        + "The latency is queueing: functions-framework's gunicorn serves one process with "
        f"{burst['gunicorn_threads']} threads here (4 per CPU) and the database engine has a "
        f"small connection pool, so the last of {burst['people']} simultaneous submissions "
        "waits for most of the others; each one also redraws the run message (one to three "
        "chat.update calls) before answering. Real Slack would change the picture: each "
        "chat.update is a network round trip of tens of milliseconds or more, and Slack "
        f"rate-limits the method per app and workspace, so {burst['people']} to "
        f"{3 * burst['people']} redraws within a second may well draw HTTP 429s, which this "
        "local server never sends.",
    ]
    return lines
