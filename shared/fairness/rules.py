"""Choosing the runner: plain rules over plain data, so they can be tested and simulated.

1. Volunteers ("I'll go") are chosen first; fairness decides among several.
2. The channel's previous runner is skipped unless they opted in ("happy to go again"),
   volunteered, or nobody else is left.
3. Fewest runs served within the channel's fairness window, then the oldest last run
   (never ran counts as oldest), then a tie-break that is deterministic for a run but
   differs between runs (a hash of run id and user id), so ties don't always favour the
   same alphabetical name. The reason calls that "at random": nobody can steer it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Candidate:
    user_id: str
    runs_in_window: int
    last_run_at: datetime | None
    volunteer: bool = False
    allow_repeat: bool = False


@dataclass(frozen=True)
class RunnerChoice:
    user_id: str
    reason: str


def _tie_break(run_key: str, user_id: str) -> str:
    return hashlib.sha256(f"{run_key}:{user_id}".encode()).hexdigest()


def _ago(last: datetime | None, now: datetime) -> str:
    if last is None:
        return "hasn't run here before"
    days = (now - last).days
    if days >= 1:
        return f"last ran {days} day{'s' if days != 1 else ''} ago"
    hours = int((now - last).total_seconds() // 3600)
    return f"last ran {hours} hour{'s' if hours != 1 else ''} ago" if hours else "ran recently"


def choose_runner(
    candidates: list[Candidate],
    *,
    previous_runner: str | None,
    window_runs: int,
    run_key: str,
    now: datetime,
) -> RunnerChoice | None:
    """The runner among ``candidates`` (a run's participants), or None if there are none."""
    if not candidates:
        return None
    volunteers = [c for c in candidates if c.volunteer]
    pool = volunteers or candidates
    eligible = [
        c for c in pool if c.user_id != previous_runner or c.allow_repeat or c.volunteer
    ] or pool
    best = min(
        eligible,
        key=lambda c: (
            c.runs_in_window,
            c.last_run_at is not None,
            c.last_run_at or now,
            _tie_break(run_key, c.user_id),
        ),
    )
    return RunnerChoice(
        best.user_id,
        _why(
            best,
            eligible,
            everyone_eligible=len(eligible) == len(pool),
            volunteers=bool(volunteers),
            window_runs=window_runs,
            now=now,
        ),
    )


def _runs(count: int) -> str:
    return f"{count} run" if count == 1 else f"{count} runs"


def _why(
    best: Candidate,
    eligible: list[Candidate],
    *,
    everyone_eligible: bool,
    volunteers: bool,
    window_runs: int,
    now: datetime,
) -> str:
    """The rule that decided, and when several tied on runs served, what broke the tie:
    the oldest last run, or the hash (which the words call "at random")."""
    if volunteers and len(eligible) == 1:
        return "volunteered"
    prefix = "volunteered, " if volunteers else ""
    tied = [c for c in eligible if c.runs_in_window == best.runs_in_window]
    if len(tied) == 1:
        fewest = f"fewest runs of {len(eligible)} volunteers" if volunteers else "fewest runs"
        history = f"{best.runs_in_window} in the last {window_runs} runs"
        return f"{prefix}{fewest}: {history}, {_ago(best.last_run_at, now)}"
    if everyone_eligible and len(tied) == len(eligible):
        who = _all(len(tied), volunteers)
        tie = f"{prefix}{who} on {_runs(best.runs_in_window)} in the last {window_runs}"
    else:
        who = f"{len(tied)} {'volunteers' if volunteers else 'people'} tied on the fewest runs"
        tie = f"{prefix}{who}, {best.runs_in_window} in the last {window_runs}"
    drew = [c for c in tied if c.last_run_at == best.last_run_at]
    if len(drew) == 1:
        return f"{tie}: picked by who ran longest ago ({_ago(best.last_run_at, now)})"
    last = "never ran" if best.last_run_at is None else _ago(best.last_run_at, now)
    if len(drew) == len(tied):
        return f"{tie} and {last}: picked at random"
    return f"{tie}, {len(drew)} of them {last}: picked at random among those"


def _all(count: int, volunteers: bool) -> str:
    if volunteers:
        return "both volunteers" if count == 2 else f"all {count} volunteers"
    return "both" if count == 2 else "everyone"
