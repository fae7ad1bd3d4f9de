"""The warm-latency and burst parts of docs/BENCHMARKS.md."""

from __future__ import annotations

from typing import Any

from bench.report_format import quick as _quick
from bench.report_format import yes as _yes

WARM_WHAT = {
    "start": "`/coffee in 20m` answered (slash: verify, parse, one Kafka record)",
    "order": "order submission on an open run (interactions)",
    "close": "Close click on that run (interactions)",
}


def warm_rows(warm: dict[str, Any]) -> list[str]:
    rows = []
    for mode, result in warm["modes"].items():
        for kind, summary in result["kinds"].items():
            rows.append(
                f"| Warm: {kind}, {mode} Slack | {WARM_WHAT[kind]} | {summary['n']} | "
                f"{summary['p50_ms']:.1f} ms | {summary['p99_ms']:.1f} ms | "
                f"{summary['max_ms']:.1f} ms | p99 ≤ {warm['target_p99_ms']:.0f} ms | "
                f"{_yes(result['met'][kind])} |"
            )
    return rows


def _right_after(result: dict[str, Any]) -> tuple[str, str, str]:
    right = result["right_after"]
    if right is None:
        return "never", "-", "-"
    return f"{right['p50_ms']:.0f} ms", f"{right['p99_ms']:.0f} ms", f"{right['max_ms']:.0f} ms"


def burst_rows(burst: dict[str, Any]) -> list[str]:
    people, rounds = burst["people"], burst["rounds"]
    rows = []
    for mode, result in burst["modes"].items():
        lat, met, updates = result["latency"], result["met"], result["chat_update_calls"]
        p50, p99, top = _right_after(result)
        rows += [
            f"| Burst, {mode} Slack: answers | {people} simultaneous order submissions to one "
            f"run, {rounds} rounds; answers ≥ {burst['slow_answer_s']:.0f} s: "
            f"{result['slow_answers']} | {lat['n']} | {lat['p50_ms']:.0f} ms | "
            f"{lat['p99_ms']:.0f} ms | {lat['max_ms']:.0f} ms | 0 answers ≥ "
            f"{burst['slow_answer_s']:.0f} s | {_yes(met['no_slow_answers'])} |",
            f"| Burst, {mode} Slack: count right | rounds with {people} active orders in "
            f'Postgres and a final run message saying "{burst["count_wording"]}": '
            f"{result['rounds_correct']}/{rounds}; time from burst start until the Slack "
            f"server stored it | {rounds} rounds | {p50} | {p99} | {top} | "
            f"{rounds}/{rounds} rounds | {_yes(met['all_rounds_right'])} |",
            f"| Burst, {mode} Slack: redraws | `chat.update` calls per round (refused with 429 "
            f"in all: {result['chat_update_refused']}) | {rounds} rounds | "
            f"{updates['median']} | - | {updates['max']} | ≤ "
            f"{burst['target_updates_per_round']} per round | "
            f"{_yes(met['updates_per_round'])} |",
        ]
    return rows


def _warm_checks(warm: dict[str, Any]) -> str:
    parts = []
    for mode, result in warm["modes"].items():
        checks = result["checks"]
        parts.append(
            f"{mode}: {checks['runs_closed']} of {checks['runs_expected']} runs closed with a "
            f"runner afterwards{_left(checks['runs_not_closed'])}"
        )
    return "; ".join(parts)


def _left(counts: dict[str, int]) -> str:
    return (" (" + ", ".join(f"{n} {s}" for s, n in counts.items()) + ")") if counts else ""


def warm_text(warm: dict[str, Any]) -> list[str]:
    slowest = [
        (mode, kind, summary["p99_ms"])
        for mode, result in warm["modes"].items()
        for kind, summary in result["kinds"].items()
    ]
    mode, kind, p99 = max(slowest, key=lambda item: item[2])
    met = all(all(result["met"].values()) for result in warm["modes"].values())
    return [
        f"### Warm latency{_quick(warm)} - measured {warm['measured_at']}",
        "",
        "CoffeeBuddy as deployed: `slash`, `interactions` and `close` as functions-framework "
        "processes on the bench's Postgres and the Tansu broker, with a consumer in the bench "
        "process POSTing every event the close function takes to it (concurrently, as a "
        "Broker's dispatcher does). Warmed with a few uncounted cycles. Each of "
        f"{warm['cycles']} cycles per Slack mode opens a run in a channel of its own: "
        "`/coffee in 20m` is answered (timed), the bench waits until the close function has "
        "started the run and posted its message (not timed), then "
        f"{warm['orders_per_cycle']} orders from {warm['order_users']} people and the "
        "initiator's Close click are sent one after another (timed). Every request is on a "
        "new connection, timed from connect to the last byte, and every answer must be the "
        "one CoffeeBuddy gives on success (an empty 200; for an order, the modal's "
        '"Order saved" view). Afterwards: ' + _warm_checks(warm) + ".",
        "",
        "**What this means.** Every kind "
        + ("stays" if met else "does not stay")
        + f" within p99 ≤ {warm['target_p99_ms']:.0f} ms with both Slack servers; the slowest "
        f"tail is `{kind}` against the {mode} server (p99 {p99:.1f} ms). None of these "
        "answers waits on Slack (the order modal's `views.open` is the one call that would, "
        "and it is not measured here), so the realistic server's latency and rate limits "
        "change what happens after the answer, not the answer.",
    ]


def burst_text(burst: dict[str, Any]) -> list[str]:
    people = burst["people"]
    lines = [
        f"### Burst{_quick(burst)} - measured {burst['measured_at']}",
        "",
        "CoffeeBuddy as deployed (as for warm latency). Each round starts a new run in a "
        f"channel of its own and waits for its message, prepares {people} signed order "
        f"submissions from {people} different people, and releases {people} threads at once "
        "with a barrier. The answers are timed. The run message is redrawn after the answers "
        "by the close function, from the `run.updated` events the orders recorded (a "
        "delivery ledger coalesces them: one drawing in flight per message, the last one "
        "draws the final state). A round is right when Postgres holds exactly one active "
        "order per person with the text they sent (no lost or duplicate rows) and the run "
        f'message, as the Slack server holds it at the end, says "{burst["count_wording"]}"; '
        "the time until right runs from the barrier opening to the Slack server storing the "
        "first write to the message that says so (its own monotonic timestamp). One "
        "uncounted warm-up round first, then the rounds against the fast server, then "
        "against the realistic one (latency, rate limits: `chat.update` is Tier 3).",
        "",
        "| Slack | lost orders | duplicate orders | failed requests | rounds right | "
        "`chat.update` calls per round (median / max) | refused (429) |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode, result in burst["modes"].items():
        updates = result["chat_update_calls"]
        lines.append(
            f"| {mode} | {result['lost_orders']} | {result['duplicate_orders']} | "
            f"{result['failed_requests']} | {result['rounds_correct']}/{burst['rounds']} | "
            f"{updates['median']} / {updates['max']} | {result['chat_update_refused']} |"
        )
    met = all(all(result["met"].values()) for result in burst["modes"].values())
    lines += [
        "",
        "**What this means.** "
        + (
            "Every target holds against both servers: no answer near Slack's 3 s, every "
            "round's count right in the end, and a handful of redraws per burst of "
            f"{people}. "
            if met
            else "Some target is missed (see the rows above and `rounds_detail` in "
            "bench/results/latest.json). "
        )
        + "The answers' latency is queueing: functions-framework's gunicorn serves one "
        f"process with {burst['gunicorn_threads']} threads here (4 per CPU) and a small "
        f"connection pool, so the last of {people} simultaneous submissions waits for most of "
        "the others; none of them calls Slack.",
    ]
    return lines
