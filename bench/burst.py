"""Burst: 30 people submit their orders to one run at the same moment, round after round.

CoffeeBuddy runs as deployed (bench/deployment.py). Each round starts a new run in a
channel of its own and waits for its message, prepares 30 signed submissions from 30
people and releases 30 threads with a barrier. The answers are timed; the run message is
redrawn afterwards, by the close function, from the `run.updated` events the orders
recorded. A round is right when Postgres holds exactly one active order per person with
the text they sent and the run message as the Slack server finally stores it says
"30 people"; how long that took is burst start → the Slack server storing the first write
to the message that says so. Every round runs against the fast and the realistic server.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from bench.context import BenchContext
from bench.deployment import Deployment, answered_well, deployed, order_saved
from bench.http_client import Reply, post
from bench.servers import SLACK_MODES, FunctionProcess
from bench.slack_traffic import order_submission
from bench.stats import summarize

PEOPLE = 30
COUNT_WORDING = f"{PEOPLE} people"  # shared/slack/render/run_message.py's count
SLOW_ANSWER_S = 3.0  # Slack's ack deadline
TARGET_UPDATES = 10  # chat.update calls per round
RIGHT_TIMEOUT = 90.0  # longer than 429 waits plus the Broker's whole retry backoff
SETTLE_S = 3.0  # after the last round, for late redraws to show up in the counts
INITIATOR = "UBURSTLEAD"


@dataclass(frozen=True)
class RoundCheck:
    round: int
    channel: str
    answered_ok: int
    slow_answers: int
    order_rows: int
    active_orders: int
    distinct_people: int
    texts_match: bool
    right_after_s: float | None  # burst start → the message first said "30 people"
    write_mark: int

    @property
    def orders_right(self) -> bool:
        return (
            self.answered_ok == PEOPLE
            and self.order_rows == PEOPLE
            and self.active_orders == PEOPLE
            and self.distinct_people == PEOPLE
            and self.texts_match
        )


def _person(index: int) -> str:
    return f"UBURST{index:02d}"


def _fire(
    interactions: FunctionProcess, run_id: str, texts: dict[str, str]
) -> tuple[float, list[Reply | BaseException]]:
    """(monotonic time the barrier opened, each submission's reply or error)."""
    barrier = threading.Barrier(len(texts) + 1)
    results: list[Reply | BaseException] = [RuntimeError("not run")] * len(texts)

    def submit(slot: int, user: str, text: str) -> None:
        body, headers = order_submission(run_id, text, user=user)
        try:
            barrier.wait()
            results[slot] = post(interactions.port, body, headers)
        except BaseException as error:
            results[slot] = error

    threads = [
        threading.Thread(target=submit, args=(slot, user, text), name=f"burst-{user}")
        for slot, (user, text) in enumerate(texts.items())
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    return started, results


def run_round(
    ctx: BenchContext, deployment: Deployment, channel: str, index: int
) -> tuple[RoundCheck, list[float]]:
    run_id, _, _ = deployment.start_run("", user=INITIATOR, channel=channel)
    texts = {_person(i): f"round {index}: oat flat white for person {i}" for i in range(PEOPLE)}
    mark = ctx.slack.write_mark()
    started, results = _fire(deployment.interactions, run_id, texts)
    replies = [r for r in results if isinstance(r, Reply)]
    right = ctx.slack.wait_text(mark, channel, COUNT_WORDING, timeout=RIGHT_TIMEOUT)
    rows = ctx.database.orders(run_id)
    active = {(user, text) for user, text, is_active in rows if is_active}
    return RoundCheck(
        round=index,
        channel=channel,
        answered_ok=sum(1 for r in replies if answered_well(r, order_saved)),
        slow_answers=sum(1 for r in replies if r.seconds >= SLOW_ANSWER_S),
        order_rows=len(rows),
        active_orders=sum(1 for row in rows if row[2]),
        distinct_people=len({user for user, _, _ in rows}),
        texts_match=active == set(texts.items()),
        right_after_s=None if right is None else right["at"] - started,
        write_mark=mark,
    ), _timings(replies)


def _timings(replies: list[Reply]) -> list[float]:
    return [r.seconds for r in replies]


def _final_text(ctx: BenchContext, channel: str) -> str:
    """The run message's text as the Slack server holds it at the end."""
    messages = ctx.slack.messages(channel)
    return str(messages[0].get("text", "")) if messages else "message not found"


def _round_result(ctx: BenchContext, check: RoundCheck) -> dict[str, Any]:
    writes = ctx.slack.writes(check.write_mark, check.channel)
    updates = [w for w in writes if w["method"] == "chat.update"]
    final = _final_text(ctx, check.channel)
    final_right = COUNT_WORDING in final
    return {
        **{name: value for name, value in vars(check).items() if name != "write_mark"},
        "final_text": final,
        "final_right": final_right,
        "correct": check.orders_right and final_right,
        "chat_update_calls": len(updates),
        "chat_update_refused": sum(1 for w in updates if not w["ok"]),
    }


def _mode_result(
    ctx: BenchContext, checks: list[RoundCheck], timings: list[float]
) -> dict[str, Any]:
    rounds = [_round_result(ctx, check) for check in checks]
    right_after = [r["right_after_s"] for r in rounds if r["right_after_s"] is not None]
    updates = [r["chat_update_calls"] for r in rounds]
    return {
        "latency": summarize(timings),
        "slow_answers": sum(r["slow_answers"] for r in rounds),
        "failed_requests": len(rounds) * PEOPLE - sum(r["answered_ok"] for r in rounds),
        "rounds_correct": sum(1 for r in rounds if r["correct"]),
        "lost_orders": sum(max(0, PEOPLE - r["active_orders"]) for r in rounds),
        "duplicate_orders": sum(max(0, r["order_rows"] - r["distinct_people"]) for r in rounds),
        "right_after": summarize(right_after) if right_after else None,
        "chat_update_calls": {"max": max(updates), "median": sorted(updates)[len(updates) // 2]},
        "chat_update_refused": sum(r["chat_update_refused"] for r in rounds),
        "met": {
            "no_slow_answers": all(r["slow_answers"] == 0 for r in rounds),
            "all_rounds_right": all(r["correct"] for r in rounds),
            "updates_per_round": max(updates) <= TARGET_UPDATES,
        },
        "rounds_detail": rounds,
        "samples_ms": [round(s * 1000, 3) for s in timings],
    }


def run_burst(ctx: BenchContext, rounds: int) -> dict[str, Any]:
    ctx.slack.add_users(
        [(INITIATOR, "burstlead")] + [(_person(i), f"person{i}") for i in range(PEOPLE)]
    )
    modes: dict[str, Any] = {}
    with deployed(ctx, "burst") as deployment:
        ctx.slack.set_mode("fast")
        run_round(ctx, deployment, "CBURSTWARM", 0)  # warm-up round, not counted
        for mode in SLACK_MODES:
            ctx.slack.set_mode(mode)
            checks: list[RoundCheck] = []
            timings: list[float] = []
            for index in range(1, rounds + 1):
                check, round_timings = run_round(
                    ctx, deployment, f"CBURST{mode[:4].upper()}{index:03d}", index
                )
                checks.append(check)
                timings += round_timings
                right = "never" if check.right_after_s is None else f"{check.right_after_s:.2f} s"
                print(
                    f"  burst ({mode} Slack) round {index:<2}: {check.active_orders} active "
                    f"orders, count right after {right}, max answer "
                    f"{max(round_timings) * 1000:.0f} ms",
                    flush=True,
                )
            time.sleep(SETTLE_S)
            modes[mode] = _mode_result(ctx, checks, timings)
        ctx.slack.set_mode("fast")
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "people": PEOPLE,
        "rounds": rounds,
        "gunicorn_threads": int(os.environ.get("THREADS", (os.cpu_count() or 1) * 4)),
        "slow_answer_s": SLOW_ANSWER_S,
        "target_updates_per_round": TARGET_UPDATES,
        "count_wording": COUNT_WORDING,
        "modes": modes,
    }
