"""docs/BENCHMARKS.md and the console summary, rendered from the results dictionary."""

from __future__ import annotations

from typing import Any

RERUN = """\
```bash
scripts/bench                 # everything (~2 min on 2 cores): bootstrap, then python -m bench
scripts/bench --quick         # fewer iterations, a smoke run (results marked "quick")
scripts/bench --only cold     # one benchmark: cold, warm or burst (others kept from last run)
scripts/bench --no-docs       # only bench/results/latest.json
```

It needs Postgres on 127.0.0.1:5432 with trust auth for `postgres` (override with
`BENCH_POSTGRES_URL`); it creates a `coffeebuddy_bench_<random>` database, migrates it and
drops it at the end. Machine-readable results, with every sample, are in
`bench/results/latest.json` (not committed)."""

# Why a package shows up in CoffeeBuddy's start, and what would take it off the path.
IMPORT_NOTES = {
    "sqlalchemy": "SQLAlchemy Core and ORM (SQLModel is built on it)",
    "sqlmodel": "SQLModel's model machinery (the table classes in shared/db/models.py)",
    "pydantic": "pydantic, which SQLModel builds every model on",
    "pydantic_core": "pydantic's compiled core",
    "psycopg": "the Postgres driver",
    "slack_sdk": "slack-sdk's WebClient (hundreds of generated method wrappers)",
    "prometheus_client": "the metrics registry",
    "flask": "Flask (functions-framework's request object)",
    "werkzeug": "Werkzeug, under Flask",
    "gunicorn": "gunicorn, functions-framework's server",
    "slack_bolt": "Slack Bolt",
    "shared": "CoffeeBuddy's own modules, including defining the SQLModel tables",
    "jinja2": "Jinja2, imported by Flask",
    "click": "click, functions-framework's command line",
}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _yes(value: bool) -> str:
    return "**yes**" if value else "**no**"


def _quick(result: dict[str, Any]) -> str:
    return " (quick run)" if result.get("quick") else ""


def _cold_rows(cold: dict[str, Any]) -> list[str]:
    t = cold["targets"]
    what = "process start → first signed `/coffee` answered 200 (median)"
    rows = [
        f"| Cold start: (a) {t['hello']['label']} | {what} | {t['hello']['n']} | "
        f"{_ms(t['hello']['median_s'])} | - | {_ms(t['hello']['max_s'])} | baseline | - |",
        f"| Cold start: (b) {t['bolt']['label']} | {what} | {t['bolt']['n']} | "
        f"{_ms(t['bolt']['median_s'])} | - | {_ms(t['bolt']['max_s'])} | baseline | - |",
        f"| Cold start: (c) {t['coffeebuddy']['label']} | {what}, with a real first run "
        f"(users.info, Postgres, chat.postMessage) | {t['coffeebuddy']['n']} | "
        f"{_ms(t['coffeebuddy']['median_s'])} | - | {_ms(t['coffeebuddy']['max_s'])} | "
        f"c ≤ b (c/b = {cold['ratio_c_over_b']:.2f}) | {_yes(cold['met_not_slower_than_bolt'])} |",
        f"| | | | | | | c ≤ 1.5 x a (c/a = {cold['ratio_c_over_a']:.2f}) | "
        f"{_yes(cold['met_within_1_5x_hello'])} |",
    ]
    return rows


WARM_WHAT = {
    "start": "`/coffee in 20m` starting a run (slash function)",
    "cancel": "cancel click on that run (interactions function)",
    "order": "order submission, 50 people on one run, re-submitting (interactions)",
}


def _warm_rows(warm: dict[str, Any]) -> list[str]:
    rows = []
    for kind, summary in warm["kinds"].items():
        rows.append(
            f"| Warm: {kind} | {WARM_WHAT[kind]} | {summary['n']} | {summary['p50_ms']:.1f} ms | "
            f"{summary['p99_ms']:.1f} ms | {summary['max_ms']:.1f} ms | "
            f"p99 ≤ {warm['target_p99_ms']:.0f} ms | {_yes(warm['met'][kind])} |"
        )
    return rows


def _burst_rows(burst: dict[str, Any]) -> list[str]:
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


DATABASE_STACK = frozenset(
    {
        "sqlalchemy",
        "sqlmodel",
        "pydantic",
        "pydantic_core",
        "psycopg",
        "psycopg_binary",
        "typing_extensions",
        "typing_inspection",
        "annotated_types",
    }
)
TOP_IMPORTS = 12


def _import_lines(coffee: dict[str, Any], hello: dict[str, Any]) -> tuple[list[str], float, float]:
    """The top-packages table, the ms CoffeeBuddy adds over hello, and the database stack's."""
    baseline = {share["package"] for share in hello["imports_by_package"]}
    added = [s for s in coffee["imports_by_package"] if s["package"] not in baseline]
    added_ms = sum(s["ms"] for s in added)
    database_ms = sum(s["ms"] for s in added if s["package"] in DATABASE_STACK)
    lines = ["| package | ms | hello imports it too | what it is |", "|---|---|---|---|"]
    for share in coffee["imports_by_package"][:TOP_IMPORTS]:
        also = "yes" if share["package"] in baseline else "no"
        note = IMPORT_NOTES.get(share["package"], "")
        lines.append(f"| `{share['package']}` | {share['ms']:.0f} | {also} | {note} |")
    return lines, added_ms, database_ms


def _cold_verdict(cold: dict[str, Any]) -> str:
    bolt_ok, hello_ok = cold["met_not_slower_than_bolt"], cold["met_within_1_5x_hello"]
    if bolt_ok and hello_ok:
        return "meets both targets"
    if not bolt_ok and not hello_ok:
        return "misses both targets"
    return "meets the Bolt target only" if bolt_ok else "meets the hello target only"


def _cold_text(cold: dict[str, Any]) -> list[str]:
    t = cold["targets"]
    hello, bolt, coffee = t["hello"], t["bolt"], t["coffeebuddy"]
    import_table, added_ms, database_ms = _import_lines(coffee, hello)
    no_pyc_penalty = (
        coffee["import_process_no_bytecode_median_s"] - coffee["import_process_median_s"]
    )
    lines = [
        f"### Cold start{_quick(cold)} - measured {cold['measured_at']}",
        "",
        "Each start is a fresh `functions-framework --source ... --target ... --port N` process "
        "(gunicorn, as deployed); the clock runs from `Popen` until a signed `/coffee` POST, "
        "retried every 2 ms while the port refuses, is answered 200. The three targets are "
        "interleaved (a, b, c, then b, c, a, ...) after one uncounted warm-up round. For (c) "
        "every start uses a new person and a new channel, so its first request does a real "
        f"first `/coffee`: {cold['runs_started']} of {cold['runs_expected']} runs are open "
        "and posted in Postgres afterwards. Bolt's first request includes the one auth.test "
        "call it makes to authorize (to the same local Slack API server).",
        "",
        "| target | cold start (median) | min-max | a process doing only the imports (median) "
        "| the same without cached bytecode | the answering request (median) |",
        "|---|---|---|---|---|---|",
    ]
    for target in (hello, bolt, coffee):
        lines.append(
            f"| {target['label']} | {_ms(target['median_s'])} | {_ms(target['min_s'])}-"
            f"{_ms(target['max_s'])} | {_ms(target['import_process_median_s'])} | "
            f"{_ms(target['import_process_no_bytecode_median_s'])} | "
            f"{_ms(target['first_request_median_s'])} |"
        )
    lines += [
        "",
        "Where CoffeeBuddy's import time goes (`python -X importtime` of what "
        "`functions-framework --source functions/slash/main.py` imports; self time summed per "
        f"top-level package, {coffee['importtime_total_ms']:.0f} ms in all; hello's total is "
        f"{hello['importtime_total_ms']:.0f} ms, Bolt's {bolt['importtime_total_ms']:.0f} ms):",
        "",
        *import_table,
        "",
        "**What this means.** "
        f"CoffeeBuddy's slash function needs {_ms(coffee['median_s'])} from process start to "
        f"its first answer: {cold['ratio_c_over_b']:.2f}x the Bolt app and "
        f"{cold['ratio_c_over_a']:.2f}x the bare hello target, so it {_cold_verdict(cold)}. "
        f"Nearly all of it is imports: a process doing only CoffeeBuddy's imports takes "
        f"{_ms(coffee['import_process_median_s'])} (hello "
        f"{_ms(hello['import_process_median_s'])}, Bolt {_ms(bolt['import_process_median_s'])}); "
        f"the first request itself takes {_ms(coffee['first_request_median_s'])} (first "
        "Postgres connection, users.info, the inserts, chat.postMessage, SQLAlchemy compiling "
        f"each statement once). Of the {added_ms:.0f} ms of imports hello does not have, "
        f"{database_ms:.0f} ms is the database stack (SQLModel, SQLAlchemy's ORM, pydantic, "
        "psycopg), which the slash function imports before it can serve (`shared.runtime`, "
        "`shared.db` and every repository). "
        f"Without cached bytecode the imports take {no_pyc_penalty * 1000:.0f} ms longer, so "
        "the image must ship compiled .pyc files (`uv sync --compile-bytecode`, or "
        "`UV_COMPILE_BYTECODE=1`). DESIGN.md budgets <= 0.3 s for a Slack-facing function's own "
        "start, because Knative's scale-from-zero (~1.5-2 s) comes on top inside Slack's 3 s.",
        "",
        "What could cut it, largest first: (1) the Slack-facing functions reading and writing "
        "with psycopg and plain SQL instead of SQLModel/SQLAlchemy ORM sessions (migrations "
        f"can keep SQLModel + Alembic), which removes most of the {database_ms:.0f} ms; (2) "
        "compiled bytecode in the image (above); (3) until the start fits the budget, a warm "
        "pod for `slash` and `interactions` (`autoscaling.knative.dev/min-scale: 1` in working "
        "hours, or a long `scale-down-delay`) so a `/coffee` never meets a cold start. Lazy "
        "imports alone do not help here: the first `/coffee` needs the database and Slack "
        "client, and on Knative the first request is what starts the pod.",
    ]
    return lines


def _warm_text(warm: dict[str, Any]) -> list[str]:
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


def _burst_text(burst: dict[str, Any]) -> list[str]:
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


def _code_line(code: dict[str, Any] | None) -> str:
    if not code:
        return "Code: not recorded."
    extra = (
        ", plus uncommitted changes in shared/, functions/ or migrations/"
        if code["uncommitted_changes"]
        else ""
    )
    return f"Code measured: commit `{code['commit']}`{extra}."


def render_markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    benchmarks = results["benchmarks"]
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `scripts/bench` on {results['generated_at']} "
        f"(took {results['duration_s']:.0f} s). Rerun it rather than editing this file; how "
        "is at the end.",
        "",
        _code_line(results.get("code")),
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {machine['cpu']} |",
        f"| cores | {machine['cores']} (logical) |",
        f"| memory | {machine['memory_gib']:.1f} GiB |",
        f"| OS | {machine['os']} |",
        f"| Python | {machine['python']} |",
        f"| Postgres | {machine['postgres']} |",
        "",
        "## Results",
        "",
        "| benchmark | what was measured | n | p50 / median | p99 | max | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    if "cold" in benchmarks:
        lines += _cold_rows(benchmarks["cold"])
    if "warm" in benchmarks:
        lines += _warm_rows(benchmarks["warm"])
    if "burst" in benchmarks:
        lines += _burst_rows(benchmarks["burst"])
    lines += ["", "Percentiles are nearest-rank over all samples.", ""]
    for name, text in (("cold", _cold_text), ("warm", _warm_text), ("burst", _burst_text)):
        if name in benchmarks:
            lines += [*text(benchmarks[name]), ""]
    lines += ["## Rerunning", "", RERUN, ""]
    return "\n".join(lines)


def render_summary(results: dict[str, Any]) -> str:
    """The results table alone, for the console."""
    benchmarks = results["benchmarks"]
    lines = [
        "| benchmark | what was measured | n | p50 / median | p99 | max | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    if "cold" in benchmarks:
        lines += _cold_rows(benchmarks["cold"])
    if "warm" in benchmarks:
        lines += _warm_rows(benchmarks["warm"])
    if "burst" in benchmarks:
        lines += _burst_rows(benchmarks["burst"])
    return "\n".join(lines)
