"""The reminders-through-Kafka part of docs/BENCHMARKS.md."""

from __future__ import annotations

from typing import Any

from bench.report_format import quick as _quick
from bench.report_format import seconds as _s
from bench.report_format import yes as _yes

OPEN_GROUPS = (
    ("open", "close function warm"),
    ("open_slow_close", "close function {slow:.0f} s slower (e.g. a cold start)"),
)


def reminder_rows(rem: dict[str, Any]) -> list[str]:
    main = rem["groups"]["closed"]
    late, wall, eff, early = (
        main["lateness"],
        main["wall_latency"],
        main["effective_lateness"],
        main["early"],
    )
    n = rem["reminders"]
    rows = [
        f"| Reminders: lateness | `sent_at` - due time on the bench clock, {n} reminders "
        f"through Kafka with the real tick loop (negative = early) | {late['n']} | "
        f"{_s(late['p50_s'])} | {_s(late['p99_s'])} | {_s(late['max_s'])} | "
        f"max ≤ {rem['limit_s']:.0f} s, all {n} sent once | {_yes(rem['met_limit'])} |",
        f"| | | | | | | p99 ≤ {rem['target_p99_s']:.0f} s | {_yes(rem['met_target'])} |",
        f"| Reminders: wall-clock delivery | tick POSTed → reminder DM stored on the Slack API "
        f"server | {wall['n']} | {_s(wall['p50_s'])} | {_s(wall['p99_s'])} | "
        f"{_s(wall['max_s'])} | - | - |",
        f"| Reminders: effective lateness | lateness + wall-clock delivery (what a user would "
        f"see) | {eff['n']} | {_s(eff['p50_s'])} | {_s(eff['p99_s'])} | {_s(eff['max_s'])} | "
        f"max ≤ {rem['limit_s']:.0f} s, p99 ≤ {rem['target_p99_s']:.0f} s | "
        f"{_yes(rem['met_limit'] and rem['met_target'])} |",
        f"| Reminders: early | sent before the due time (by design up to "
        f"{rem['early_by_design_s']:.0f} s) | {early['n']} of {main['sent']} | "
        f"{_s(early.get('p50_s', 0.0))} | {_s(early.get('p99_s', 0.0))} | "
        f"{_s(early.get('max_s', 0.0))} | ≤ {rem['early_by_design_s']:.0f} s early | "
        f"{_yes(early.get('max_s', 0.0) <= rem['early_by_design_s'])} |",
    ]
    for name, label in OPEN_GROUPS:
        group = rem["groups"][name]
        late, eff = group["runner_lateness"], group["runner_effective_lateness"]
        if not late.get("n"):
            continue
        rows.append(
            f"| Reminders: runs nobody closed, {label.format(slow=rem['slow_close_s'])} | "
            "runner reminders of runs the tick auto-closed at their reminder time, lateness "
            f"on the clock (with delivery: max {_s(eff.get('max_s', 0.0))}) | {late['n']} of "
            f"{group['reminders']} | {_s(late['p50_s'])} | {_s(late['p99_s'])} | "
            f"{_s(late['max_s'])} | max ≤ {rem['limit_s']:.0f} s with delivery | "
            f"{_yes(eff.get('max_s', 0.0) <= rem['limit_s'])} |"
        )
    return rows


def reminders_text(rem: dict[str, Any]) -> list[str]:
    main = rem["groups"]["closed"]
    forms = main["lateness_by_form"]
    lines = [
        f"### Reminders through Kafka{_quick(rem)} - measured {rem['measured_at']}",
        "",
        f"The `slash`, `interactions`, `close` and `reminders` functions run in the bench "
        "process (`functions_framework.create_app`, as the tests load them), each on its own "
        "real HTTP port, sharing one runtime whose clock is a `shared.clock.ManualClock`: "
        "separate processes cannot share a clock the bench moves. Everything else is real: "
        "the outbox publishes to Tansu, two `KafkaEventConsumer` groups route `run.closed` "
        "to close and `run.*` + `reminder.due` to reminders over HTTP in binary mode, and "
        "the Slack API server is its own process. Set-up (not timed), on the clock just "
        f"before 09:00: {rem['reminders']} runs are started with `/coffee`, get one order "
        "and are closed by their initiator; half use a clock-time pickup (`/coffee 09:17`, "
        "due on a whole minute) and half a relative one (`/coffee in 23m` at a random second, "
        f"due at any second); due times spread over {rem['minutes']} minutes "
        f"(set-up took {rem['set_up_s']:.0f} s). Then the tick loop: the clock is set to each "
        "whole minute in turn and one PingSource CloudEvent is POSTed to the reminders "
        f"function ({rem['ticks']} ticks); it claims what is due within 55 s, publishes "
        "`reminder.due` to Kafka, and the reminders function DMs the runner. The next "
        "minute starts once every claimed reminder has settled and every auto-closed run is "
        f"closed (the slowest minute took {_s(rem['tick_settled']['max_s'])}, including the "
        "held close events described below; real minutes are far longer).",
        "",
        "Lateness is `sent_at - due_at` on the bench clock, as the reminders record it; "
        "the `reminder.sent` events' `lateness_seconds` "
        + (
            "agreed for every reminder"
            if not main["event_lateness_mismatches"]
            else f"disagreed for {main['event_lateness_mismatches']}"
        )
        + f". Whole-minute due times: p50 "
        f"{_s(forms['clock'].get('p50_s', 0.0))}, max {_s(forms['clock'].get('max_s', 0.0))}; "
        f"any-second due times: p50 {_s(forms['relative'].get('p50_s', 0.0))}, min "
        f"{_s(forms['relative'].get('min_s', 0.0))}, max "
        f"{_s(forms['relative'].get('max_s', 0.0))}. {main['on_time']} were sent at their "
        f"due time exactly, {main['early'].get('n', 0)} early (up to "
        f"{_s(main['early'].get('max_s', 0.0))}; docs/decisions.md: a tick claims what is "
        f"due within the next 55 s, so up to 55 s early by design) and "
        f"{main['late'].get('n', 0)} late (up to {_s(main['late'].get('max_s', 0.0))}: due in "
        "the last 5 s of a minute, so the next tick). A tick answered in "
        f"{_s(rem['tick_answer']['p50_s'])} (median; claim + publish), and its reminders "
        f"were all DM'd within {_s(rem['tick_settled']['p50_s'])} (median, slowest "
        f"{_s(rem['tick_settled']['max_s'])}). {main['reminder_dms']} reminder DMs for "
        f"{main['sent']} reminders, {main['claimed_more_than_once']} claimed more than once, "
        f"{rem['redelivered_events']} events redelivered"
        + (
            f"; at {', '.join(rem['ticks_not_settled'])} something was still unsettled 20 s "
            "after the tick and waited for the next one."
            if rem.get("ticks_not_settled")
            else "."
        ),
        "",
        *_open_runs_table(rem),
        "",
        "**What this means.** "
        + (
            "Reminders are on time: p99 lateness "
            f"{_s(main['lateness']['p99_s'])} and max {_s(main['lateness']['max_s'])} on the "
            "clock, and with the measured delivery time added (what a user would see were "
            f"the minutes real) p99 {_s(main['effective_lateness']['p99_s'])}, max "
            f"{_s(main['effective_lateness']['max_s'])}. "
            if rem["met_limit"] and rem["met_target"]
            else "Reminders miss their promise; see `groups` in bench/results/latest.json. "
        )
        + "Lateness is set by the tick grid, not by the pipeline: a reminder due in the "
        "last 5 s of a minute goes out with the next tick (up to 5 s late, plus PingSource's "
        "own delay), everything else up to 55 s early; the pipeline adds tenths of a second. "
        "In production a tick that meets a cold reminders function adds its cold start "
        "(seconds) to every reminder of that minute.",
        "",
        *_open_runs_meaning(rem),
    ]
    return lines


def _open_runs_table(rem: dict[str, Any]) -> list[str]:
    groups = rem["groups"]
    if not any(groups[name]["reminders"] for name, _ in OPEN_GROUPS):
        return []
    lines = [
        "**Runs nobody closed.** More runs were left open on purpose (half of them due on a "
        "whole minute). By default a run with a pickup time closes by itself at pickup minus "
        "the channel's reminder offset, which is exactly its reminder's due time, so the "
        "tick that auto-closes a run is the one that claims its reminder, or the one after "
        "the tick that did. The second group's `run.closed` events are held "
        f"{rem['slow_close_s']:.0f} s by the consumer before they reach the close function, "
        "as a cold close function would hold them:",
        "",
        "| runs left open | reminders | reminder DM to the runner | settled by the runner's "
        'close DM | claimed again a tick later | "still open" DM to the initiator | '
        "runner reminders: lateness max | with delivery | reminder DM after the close DM "
        "(median, same tick) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, label in OPEN_GROUPS:
        group = groups[name]
        late, eff = group["runner_lateness"], group["runner_effective_lateness"]
        gap = group["reminder_after_close_dm"]
        lines.append(
            f"| {label.format(slow=rem['slow_close_s'])} | {group['reminders']} | "
            f"{group['runner_got_reminder']} | {group.get('merged_into_close_dm', 0)} | "
            f"{group['runner_a_tick_later']} | {group['initiator_nudged']} | "
            f"{_s(late.get('max_s', 0.0))} | {_s(eff.get('max_s', 0.0))} | "
            f"{_s(gap['p50_s']) if gap.get('n') else '-'} |"
        )
    return lines


def _open_runs_meaning(rem: dict[str, Any]) -> list[str]:
    """What the left-open runs show: the auto-close and the reminder fall on the same tick."""
    groups = [rem["groups"][name] for name, _ in OPEN_GROUPS]
    total = sum(g["reminders"] for g in groups)
    if not total:
        return []
    nudged = sum(g["initiator_nudged"] for g in groups)
    merged = sum(g.get("merged_into_close_dm", 0) for g in groups)
    own_dm = sum(g["runner_got_reminder"] for g in groups)
    later = [g["runner_a_tick_later"] for g in groups]
    worst = max(g["runner_lateness"].get("max_s", 0.0) for g in groups)
    worst_eff = max(g["runner_effective_lateness"].get("max_s", 0.0) for g in groups)
    gaps = [
        g["reminder_after_close_dm"]["p50_s"]
        for g in groups
        if g["reminder_after_close_dm"].get("n")
    ]
    parts = []
    if nudged:
        parts.append(
            f'{nudged} of {total} initiators were told "your run is still open, close it to '
            'pick a runner" up to 55 s before the tick closed the run by itself, and those '
            "runners got the close DM but never a pickup reminder"
        )
    if own_dm:
        parts.append(
            f"{own_dm} runners got a reminder DM of its own"
            + (f", {_s(max(gaps))} or less (median) after the close DM" if gaps else "")
            + ": two DMs with the same list at once"
        )
    if merged:
        parts.append(
            f"{merged} reminders were settled by the runner's close DM itself (no second DM)"
        )
    if sum(later):
        parts.append(
            f"{sum(later)} reminders ({later[0]} with the close function warm, {later[1]} with "
            f"it {rem['slow_close_s']:.0f} s slower) were claimed while their run was open or "
            "`closing` and went back to `scheduled` for the next tick"
        )
    parts.append(
        f"runner reminders reached the runner up to {_s(worst)} after their due time on the "
        f"clock, {_s(worst_eff)} with delivery"
    )
    verdict = (
        "outside the promised ±1 minute even before PingSource's own delay"
        if worst_eff > rem["limit_s"]
        else "inside ±1 minute"
    )
    return [
        "For runs nobody closes, the default auto-close moment (pickup minus the reminder "
        "offset, `closes_at` in `shared/runs/lifecycle.py`) and the reminder's due "
        "time coincide, so the tick grid decides which comes first: "
        + "; ".join(parts)
        + f"; {verdict}. "
        + (
            "The close DM doubles as the reminder here: the tick just before the cut-off "
            "(at most 55 s early, like reminders) closes the run, the close function DMs the "
            "runner the list and pickup time and records the reminder as sent with it."
            if merged
            else "A cut-off at least one tick before the reminder's due time, or the close "
            "function settling the reminder when it closes a run whose reminder is due, "
            "would give each runner one reminder on time."
        )
    ]
