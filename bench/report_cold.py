"""The cold-start part of docs/BENCHMARKS.md: its summary rows and its section."""

from __future__ import annotations

from typing import Any

from bench.report_format import ms as _ms
from bench.report_format import quick as _quick
from bench.report_format import yes as _yes

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


LETTERS = {"hello": "a", "bolt": "b", "coffeebuddy": "c", "floor": "d"}


def cold_rows(cold: dict[str, Any]) -> list[str]:
    t = cold["targets"]
    what = "process start → first signed `/coffee` answered 200 (median)"
    hello, bolt, coffee = t["hello"], t["bolt"], t["coffeebuddy"]
    rows = [
        f"| Cold start: (a) {hello['label']} | {what} | {hello['n']} | "
        f"{_ms(hello['median_s'])} | - | {_ms(hello['max_s'])} | baseline | - |",
        f"| Cold start: (b) {bolt['label']} | {what} | {bolt['n']} | "
        f"{_ms(bolt['median_s'])} | - | {_ms(bolt['max_s'])} | baseline | - |",
        f"| Cold start: (c) {coffee['label']} | {what}, with a real first run (users.info, "
        "Postgres, chat.postMessage, a Kafka publish) | "
        f"{coffee['n']} | {_ms(coffee['median_s'])} | - | {_ms(coffee['max_s'])} | "
        f"c ≤ b (c/b = {cold['ratio_c_over_b']:.2f}) | {_yes(cold['met_not_slower_than_bolt'])} |",
        f"| | | | | | | c ≤ 1.5 x a (c/a = {cold['ratio_c_over_a']:.2f}) | "
        f"{_yes(cold['met_within_1_5x_hello'])} |",
    ]
    floor = t.get("floor")
    if floor is not None:
        rows.append(
            f"| Cold start: (d) {floor['label']} | {what}: verify, one psycopg transaction, "
            f"chat.postMessage, then answer | {floor['n']} | {_ms(floor['median_s'])} | - | "
            f"{_ms(floor['max_s'])} | for comparison: d/b = {cold['ratio_floor_over_b']:.2f}, "
            f"d/a = {cold['ratio_floor_over_a']:.2f} | - |"
        )
    return rows


def _verdict(bolt_ok: bool, hello_ok: bool) -> str:
    if bolt_ok and hello_ok:
        return "meets both targets"
    if not bolt_ok and not hello_ok:
        return "misses both targets"
    return "meets the Bolt target only" if bolt_ok else "meets the hello target only"


def cold_text(cold: dict[str, Any]) -> list[str]:
    t = cold["targets"]
    hello, bolt, coffee = t["hello"], t["bolt"], t["coffeebuddy"]
    present = [kind for kind in LETTERS if kind in t]
    import_table, added_ms, database_ms = _import_lines(coffee, hello)
    no_pyc_penalty = (
        coffee["import_process_no_bytecode_median_s"] - coffee["import_process_median_s"]
    )
    import_share = coffee["import_process_median_s"] / coffee["median_s"]
    letters = [LETTERS[kind] for kind in present]
    interleaving = ", ".join(letters) + ", then " + ", ".join(letters[1:] + letters[:1])
    lines = [
        f"### Cold start{_quick(cold)} - measured {cold['measured_at']}",
        "",
        "Each start is a fresh `functions-framework --source ... --target ... --port N` process "
        "(gunicorn, as deployed), with the bytecode of every module compiled beforehand, as in "
        "the image (`scripts/bench` runs `compileall`). The clock runs from `Popen` until a "
        "signed `/coffee` POST, retried every 2 ms while the port refuses, is answered 200. "
        f"The targets are interleaved ({interleaving}, ...) after one uncounted warm-up "
        "round. (c) runs as deployed, publishing through Kafka (the Tansu broker), and every "
        "start uses a new person and a new channel, so its first request does a real first "
        f"`/coffee`: {cold['runs_started']} of {cold['runs_expected']} runs are open and "
        "posted in Postgres afterwards. Bolt's first request includes the one auth.test call "
        "it makes to authorize (to the same local Slack API server).",
        "",
        "| target | cold start (median) | min-max | a process doing only the imports (median) "
        "| the same without cached bytecode | the answering request (median) |",
        "|---|---|---|---|---|---|",
    ]
    for kind in present:
        target = t[kind]
        lines.append(
            f"| ({LETTERS[kind]}) {target['label']} | {_ms(target['median_s'])} | "
            f"{_ms(target['min_s'])}-{_ms(target['max_s'])} | "
            f"{_ms(target['import_process_median_s'])} | "
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
        f"{cold['ratio_c_over_a']:.2f}x the bare hello target, so it "
        f"{_verdict(cold['met_not_slower_than_bolt'], cold['met_within_1_5x_hello'])}. "
        f"A process doing only its imports takes {_ms(coffee['import_process_median_s'])} "
        f"({import_share:.0%} of it; hello {_ms(hello['import_process_median_s'])}, Bolt "
        f"{_ms(bolt['import_process_median_s'])}); the first request takes "
        f"{_ms(coffee['first_request_median_s'])} (first Postgres connection, users.info, the "
        "inserts, chat.postMessage, the first Kafka publish, SQLAlchemy compiling each "
        f"statement once). Of the {added_ms:.0f} ms of imports hello does not have, "
        f"{database_ms:.0f} ms is the database stack (SQLModel, SQLAlchemy's ORM, pydantic, "
        "psycopg), which the slash function needs before it can save a run. Without cached "
        f"bytecode the imports take {no_pyc_penalty * 1000:.0f} ms longer: the image compiles "
        "its venv, the project and the standard library at build time. DESIGN.md budgets "
        "<= 0.3 s for a Slack-facing function's own start, because Knative's scale-from-zero "
        "(~1.5-2 s) comes on top inside Slack's 3 s.",
    ]
    floor = t.get("floor")
    if floor is not None:
        floor_bolt, floor_hello = (
            cold["floor_not_slower_than_bolt"],
            cold["floor_within_1_5x_hello"],
        )
        lines += [
            "",
            "**(d), for comparison.** The least a `/coffee` can do while saving before it "
            'answers (DESIGN: "validate and persist inside the request"): verify, one '
            "psycopg transaction with no ORM, chat.postMessage, answer. It takes "
            f"{_ms(floor['median_s'])}, {cold['ratio_floor_over_b']:.2f}x Bolt and "
            f"{cold['ratio_floor_over_a']:.2f}x hello, so it {_verdict(floor_bolt, floor_hello)}"
            f"; Bolt itself is {bolt['median_s'] / hello['median_s']:.2f}x hello. What "
            f"CoffeeBuddy spends beyond (d), {_ms(coffee['median_s'] - floor['median_s'])}, is "
            "what a plain-SQL path for starting a run could win at most. docs/cold-start.md "
            "weighs that against the other ways.",
        ]
    return lines
