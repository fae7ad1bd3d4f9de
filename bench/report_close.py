"""The close-through-Kafka part of docs/BENCHMARKS.md."""

from __future__ import annotations

from typing import Any

from bench.report_format import quick as _quick
from bench.report_format import yes as _yes


def close_rows(close: dict[str, Any]) -> list[str]:
    rows = []
    for mode, result in close["modes"].items():
        lat, checks = result["latency"], result["checks"]
        rows.append(
            f"| Close through Kafka, {mode} Slack | Close click → channel summary and runner "
            f"DM both stored on the Slack API server, {close['participants']} participants "
            f"| {lat['n']} | {lat['p50_ms']:.0f} ms | {lat['p99_ms']:.0f} ms | "
            f"{lat['max_ms']:.0f} ms | p99 ≤ {result['target_p99_ms']:.0f} ms, every run "
            f"closed with one summary and one DM ({checks['runs_complete']}/{close['runs']}) "
            f"| {_yes(result['met'])} |"
        )
    return rows


def _stages_table(close: dict[str, Any]) -> list[str]:
    modes = list(close["modes"])
    names = {
        "click_answered": "interactions function answered the click",
        "run_closed_consumed": "`run.closed` read from Kafka by the consumer",
        "summary_stored": "channel summary stored",
        "dm_stored": "runner DM stored (end)",
        "close_function_request": "close function's request for `run.closed`, start to answer",
    }
    lines = [
        "| stage (median ms, from the click) | " + " | ".join(f"{m} Slack" for m in modes) + " |",
        "|---|" + "---|" * len(modes),
    ]
    for key, label in names.items():
        values = " | ".join(f"{close['modes'][m]['stages_median_ms'][key]:.1f}" for m in modes)
        lines.append(f"| {label} | {values} |")
    return lines


def _checks(close: dict[str, Any]) -> str:
    parts = []
    for mode, result in close["modes"].items():
        c = result["checks"]
        parts.append(
            f"{mode}: {c['runs_complete']} of {close['runs']} runs `closed` with a runner, "
            f"summary and DM recorded, {c.get('stalled_runs', 0)} stalled (summary or DM not "
            "stored 30 s after the click); "
            f"{c['channel_posts']} channel messages (expected "
            f"{c['channel_posts_expected']}: run message + one summary per run), "
            f"{c['runner_dms']} DMs (expected {c['runner_dms_expected']}), "
            f"{c['redelivered_events']} deliveries answered 5xx/429 and retried, "
            f"{c['distinct_runners']} different runners, none more than "
            f"{c['most_runs_by_one_runner']} times"
        )
    return "; ".join(parts)


def close_text(close: dict[str, Any]) -> list[str]:
    verdicts = []
    for mode, result in close["modes"].items():
        p99, stalled = result["latency"]["p99_ms"], result["checks"].get("stalled_runs", 0)
        why = f"; {stalled} runs stalled" if stalled else ""
        verdict = "met" if result["met"] else f"missed{why}"
        verdicts.append(f"{mode} Slack: p99 {p99:.0f} ms ({verdict})")
    stalled_note = (
        " A stalled run is one whose runner DM stayed pending in the delivery ledger with no "
        "delivery left to send it. By our reading of shared/delivery/worker.py: the DM "
        "waits until the summary is in Slack, and when a "
        "concurrent delivery of the same run (a `run.updated` redraw) claims the DM just "
        "before the summary is settled, it finds no summary yet and lets go while the "
        "summary's deliverer finds the DM taken. Only the per-minute sweep (reminders' tick, "
        "not run here) would send it then, up to a minute late."
        if any(r["checks"].get("stalled_runs", 0) for r in close["modes"].values())
        else ""
    )
    return [
        f"### Close through Kafka{_quick(close)} - measured {close['measured_at']}",
        "",
        "CoffeeBuddy as deployed (as for warm latency): the Tansu broker, `slash`, "
        "`interactions` and `close` as functions-framework processes, and a consumer "
        "(the project's `KafkaEventConsumer`) POSTing every event the close function takes "
        "to it over HTTP in binary mode, concurrently, as the Broker's Triggers would. Each "
        "run is started with `/coffee in 30m Blue Bottle` and gets one order from each of "
        f"{close['participants']} people (not timed); the clock starts when the initiator's "
        "signed Close click is sent and stops when the Slack API server has stored both the "
        "channel summary and the runner's DM (its own monotonic timestamps). The runs of one "
        "Slack mode share a channel, so fairness works on a growing history. "
        f"{close['warmup_runs']} uncounted warm-up runs first; the consumer group took "
        f"{close['consumer_join_s']:.1f} s to join.",
        "",
        *_stages_table(close),
        "",
        f"Checks: {_checks(close)}.",
        "",
        f"**What this means.** {'; '.join(verdicts)}.{stalled_note} The click answers "
        "before the close function starts; Kafka adds a few milliseconds; the close "
        "function's work (runner "
        "pick, summary, `conversations.open` and the DM, the message redraw) is the largest "
        "stage, and against the realistic server it is mostly Slack's own latency (three "
        "to four calls in a row at ~150 ms median each) and `chat.postMessage`'s one message "
        "per second per channel. After an idle spell, add the close function's cold start "
        "(and Knative's ~1.5-2 s scale-from-zero).",
    ]
