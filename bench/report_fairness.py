"""The fairness parts of docs/BENCHMARKS.md: the runner pick over long histories, the simulation."""

from __future__ import annotations

from typing import Any

from bench.report_format import quick as _quick
from bench.report_format import yes as _yes


def pick_rows(pick: dict[str, Any]) -> list[str]:
    rows = []
    for label in (pick["small"], pick["large"]):
        size = pick["sizes"][label]
        p = size["pick"]
        rows.append(
            f"| Fairness pick: {label} runs | the close function's runner-pick transaction "
            f"(`assign_runner`), {pick['participants']} participants, "
            f"{size['runs_in_database']:,} runs in Postgres "
            f"({size['runs_in_bench_channel']:,} in the channel) | {p['n']} | "
            f"{p['p50_ms']:.1f} ms | {p['p99_ms']:.1f} ms | {p['max_ms']:.1f} ms | - | - |"
        )
    rows.append(
        f"| Fairness pick: ratio | {pick['large']} ÷ {pick['small']} (p50; p99 ratio "
        f"{pick['ratio_p99']:.2f}) | - | {pick['ratio_p50']:.2f}x | - | - | "
        f"≤ {pick['target_ratio']:.0f}x | {_yes(pick['met'])} |"
    )
    return rows


def fairness_rows(sim: dict[str, Any]) -> list[str]:
    per = sim["runs_per_person"]
    seeds = sim["seeds_max_share"]
    return [
        f"| Fairness simulation | {sim['days']} days x {sim['runs_per_day']} runs, "
        f"{sim['participants'][0]}-{sim['participants'][1]} of {sim['pool']} people, "
        f"{sim['volunteer_rate']:.0%} volunteer, {sim['opt_in_share']:.0%} opted in; largest "
        f"share of runs served by one person (runs served per person: min {per['min']}, "
        f"median {per['median']:g}, max {per['max']}) | {sim['runs']} runs | - | - | "
        f"{sim['max_share']:.1%} (worst of {sim['seeds']} seeds {seeds['worst']:.1%}) | "
        f"≤ {sim['max_share_limit']:.0%} | {_yes(sim['met'])} |",
        f"| Fairness simulation: repeats | same runner twice in a row, and whether the rules "
        f"allowed it (volunteered or opted in) | {len(sim['repeats'])} "
        f"({sim['seeds_repeats']} over all seeds) | - | - | - | all allowed "
        f"({sim['seeds_repeats_disallowed']} not allowed) | "
        f"{_yes(sim['seeds_repeats_disallowed'] == 0)} |",
    ]


def _plan_scans(plan: list[str]) -> str:
    scans = []
    for line in plan:
        text = line.strip().removeprefix("->").strip()
        if "Scan" in text and "(" in text:
            scans.append(text.split("  (", 1)[0])
    return "; ".join(scans) or "-"


def pick_text(pick: dict[str, Any]) -> list[str]:
    small, large = pick["sizes"][pick["small"]], pick["sizes"][pick["large"]]
    statement_ms = sum(st["median_ms"] for st in large["statements"])
    lines = [
        f"### Fairness pick with history{_quick(pick)} - measured {pick['measured_at']}",
        "",
        "A database of its own (created, migrated, dropped): 1,001 channels and run history "
        "bulk-inserted from `generate_series` in SQL (90% closed with a runner, 8% "
        "canceled, 2% failed), partly in the benchmark channel itself (10 runs a day going "
        f"back years: {small['runs_in_bench_channel']:,} runs at {pick['small']}, "
        f"{large['runs_in_bench_channel']:,} at {pick['large']}), the rest spread over "
        f"{pick['other_channels']:,} other channels over five years; `runner_stats` rebuilt "
        "from it, then `VACUUM ANALYZE`. Each pick inserts a `closing` run with "
        f"{pick['participants']} active orders (not timed) and times exactly what the close "
        "function runs for it: `shared.runs.closing.assign_runner` inside "
        "`shared.db.engine.transaction` on the engine `get_engine` builds (lock the run, its "
        "orders, the channel, `candidates_for` + `previous_runner`, choose, update "
        f"`runner_stats`, write the outbox row, commit). {pick['picks']} picks per size after "
        "10 uncounted ones. `candidates_for` + `previous_runner` alone, in their own "
        f"session: p50 {small['queries']['p50_ms']:.1f} ms at {pick['small']}, "
        f"{large['queries']['p50_ms']:.1f} ms at {pick['large']}.",
        "",
        "Every statement of the transaction, timed on its own (median) and "
        f"`EXPLAIN (ANALYZE, BUFFERS)`ed once at {pick['large']}:",
        "",
        f"| # | statement | {pick['small']} | {pick['large']} | plan at {pick['large']} |",
        "|---|---|---|---|---|",
    ]
    small_ms = {st["ordinal"]: st["median_ms"] for st in small["statements"]}
    for st in large["statements"]:
        sql = st["sql"].replace("|", "\\|")
        if len(sql) > 110:
            sql = sql[:110] + " …"
        lines.append(
            f"| {st['ordinal']} | `{sql}` | {small_ms.get(st['ordinal'], 0.0):.2f} ms | "
            f"{st['median_ms']:.2f} ms | {_plan_scans(st['plan'])} |"
        )
    grew = [
        st
        for st in large["statements"]
        if st["median_ms"] > pick["target_ratio"] * max(small_ms.get(st["ordinal"], 0.0), 0.05)
    ]
    lines += [
        "",
        "**What this means.** "
        + (
            f"The pick does not grow with history: {pick['large']} runs cost "
            f"{pick['ratio_p50']:.2f}x what {pick['small']} do at the median "
            f"({small['pick']['p50_ms']:.1f} → {large['pick']['p50_ms']:.1f} ms; p99 ratio "
            f"{pick['ratio_p99']:.2f}). "
            if pick["met"]
            else f"The pick grows with history: {pick['ratio_p50']:.2f}x at the median, "
            f"over the {pick['target_ratio']:.0f}x target. "
        )
        + "Both history reads (runs served in the window, the previous runner) are a "
        "backward range scan of `ix_run_channel_status_closed` (channel_id, status, "
        "closed_at) that stops after the window's 20 rows or the 1 row asked for, and "
        "last-run times come from `runner_stats` by primary key, so what they read does not "
        "depend on how many runs the channel or the database holds. "
        f"The statements themselves add up to {statement_ms:.1f} ms of the "
        f"{large['pick']['p50_ms']:.1f} ms median; the rest is the ORM and the commit's WAL "
        "flush (fsync on). Note the run row is updated twice per pick (statements marked "
        "`UPDATE run`): `closed_at` is flushed early by autoflush before the channel lookup.",
    ]
    if grew:
        lines += [
            "",
            "Statements that grew more than "
            f"{pick['target_ratio']:.0f}x between the sizes, with their plans at "
            f"{pick['large']}:",
            "",
        ]
        for st in grew:
            lines += ["```", st["sql"], *st["plan"], "```", ""]
    return lines


def fairness_text(sim: dict[str, Any]) -> list[str]:
    histogram = sim["histogram"]
    per = sim["served_per_joined"]
    repeats = sim["repeats"]
    lines = [
        f"### Fairness simulation{_quick(sim)} - measured {sim['measured_at']}",
        "",
        f"One channel for {sim['days']} days, {sim['runs_per_day']} runs a day "
        f"({sim['runs']} runs). Each run draws {sim['participants'][0]}-"
        f"{sim['participants'][1]} participants from a pool of {sim['pool']}; each "
        f'participant ticks "I\'ll go" with probability {sim["volunteer_rate"]:.0%}; '
        f'{len(sim["opted_in"])} people ({sim["opt_in_share"]:.0%}) have "happy to go '
        'again" saved. Every run is decided by the pure rule '
        "`shared.fairness.rules.choose_runner`, fed as `assign_runner` feeds it: runs served "
        f"over the channel's last {sim['window']} runs, each person's last run time, the "
        "previous runner, the run id as tie-break key. Seed "
        f"{sim['seed']} in detail; {sim['seeds']} seeds for the spread. Pure Python, "
        f"{sim['seconds']:.1f} s.",
        "",
        "| runs served | people |",
        "|---|---|",
        *[f"| {runs} | {people} |" for runs, people in histogram.items()],
        "",
        f"{sim['runs_with_a_volunteer']} of {sim['runs']} runs had at least one volunteer. "
        f"Runs served per run joined ranges from {per['min']:.3f} to {per['max']:.3f} "
        "(people who join fewer runs serve a little more of the ones they join: the window "
        "counts runs, not participations). The largest share is "
        f"{sim['max_share']:.1%} ({sim['max_share_person']}); over {sim['seeds']} seeds the "
        f"median of the largest share is {sim['seeds_max_share']['median']:.1%} and the worst "
        f"{sim['seeds_max_share']['worst']:.1%}, against a limit of "
        f"{sim['max_share_limit']:.0%} (an even split is {1 / sim['pool']:.1%}).",
        "",
        f"Repeats (same runner twice in a row) in seed {sim['seed']}: {len(repeats)}"
        + (
            ": "
            + "; ".join(
                f"run {r['run']} {r['runner']} ("
                + ("volunteered" if r["volunteered"] else "opted in" if r["opted_in"] else "NOT")
                + ")"
                for r in repeats
            )
            if repeats
            else ""
        )
        + f". Over all seeds {sim['seeds_repeats']} repeats: "
        f"{sim.get('seeds_repeats_volunteered', 0)} by a volunteer, "
        f"{sim.get('seeds_repeats_opted_in_only', 0)} by someone opted in who did not "
        f"volunteer, {sim['seeds_repeats_disallowed']} not allowed by the rules.",
        "",
        "**What this means.** "
        + (
            "Nobody comes near the 20% limit: the window rule spreads runs almost evenly, and "
            'every repeat was one the rules allow. Opting in to "happy to go again" only '
            "makes someone eligible right after their run; with fewest-runs-first they are "
            f"still rarely the pick: {sim.get('seeds_repeats_volunteered', 0)} of "
            f"{sim['seeds_repeats']} repeats over all seeds came from volunteering."
            if sim["met"]
            else "The simulation breaks the fairness promise; see `repeats` and `served` in "
            "bench/results/latest.json."
        ),
    ]
    return lines
