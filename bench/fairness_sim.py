"""Fairness simulation: four weeks of one channel's coffee runs through `choose_runner`.

28 days x 10 runs a day; each run has 5-30 participants drawn from a pool of 30; a
participant ticks "I'll go" with probability 3%; 3 of the 30 people (10%) have "happy to
go again" saved. Each run is decided exactly as `shared.runs.closing.assign_runner` feeds
the pure rule `shared.fairness.rules.choose_runner`: runs served counted over the
channel's last 20 closed runs, `last_run_at` per person (never ran = oldest), the
previous runner, the run id as tie-break key. The headline seed is reported in detail;
more seeds show how much the worst share moves with the draw.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.fairness.rules import Candidate, choose_runner

DAYS = 28
RUNS_PER_DAY = 10
POOL = 30
MIN_PARTICIPANTS = 5
MAX_PARTICIPANTS = 30
VOLUNTEER_RATE = 0.03
OPT_IN_SHARE = 0.10
WINDOW = 20
MAX_SHARE = 0.20
HEADLINE_SEED = 1
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


@dataclass
class Simulation:
    seed: int
    runs: int = 0
    served: Counter[str] = field(default_factory=Counter)
    joined: Counter[str] = field(default_factory=Counter)
    volunteered_runs: int = 0
    repeats: list[dict[str, Any]] = field(default_factory=list)
    opted_in: list[str] = field(default_factory=list)

    @property
    def max_share(self) -> float:
        return max(self.served.values()) / self.runs if self.runs else 0.0


def _person(index: int) -> str:
    return f"U{index:02d}"


def simulate(seed: int) -> Simulation:
    rng = random.Random(seed)
    people = [_person(i) for i in range(POOL)]
    opted_in = set(rng.sample(people, round(POOL * OPT_IN_SHARE)))
    sim = Simulation(seed=seed, opted_in=sorted(opted_in))
    runners: list[str] = []  # the channel's closed runs' runners, oldest first
    last_run_at: dict[str, datetime] = {}
    for day in range(DAYS):
        for slot in range(RUNS_PER_DAY):
            now = START + timedelta(days=day, minutes=50 * slot)
            participants = rng.sample(people, rng.randint(MIN_PARTICIPANTS, MAX_PARTICIPANTS))
            in_window = Counter(runners[-WINDOW:])
            candidates = [
                Candidate(
                    user_id=person,
                    runs_in_window=in_window.get(person, 0),
                    last_run_at=last_run_at.get(person),
                    volunteer=rng.random() < VOLUNTEER_RATE,
                    allow_repeat=person in opted_in,
                )
                for person in participants
            ]
            previous = runners[-1] if runners else None
            choice = choose_runner(
                candidates,
                previous_runner=previous,
                window_runs=WINDOW,
                run_key=str(uuid.UUID(int=rng.getrandbits(128))),
                now=now,
            )
            assert choice is not None
            chosen = next(c for c in candidates if c.user_id == choice.user_id)
            if any(c.volunteer for c in candidates):
                sim.volunteered_runs += 1
            if choice.user_id == previous:
                sim.repeats.append(
                    {
                        "run": sim.runs + 1,
                        "runner": choice.user_id,
                        "volunteered": chosen.volunteer,
                        "opted_in": chosen.allow_repeat,
                        "allowed": chosen.volunteer or chosen.allow_repeat,
                        "reason": choice.reason,
                    }
                )
            runners.append(choice.user_id)
            last_run_at[choice.user_id] = now
            sim.served[choice.user_id] += 1
            sim.joined.update(participants)
            sim.runs += 1
    for person in people:  # everyone appears, also with zero runs served
        sim.served.setdefault(person, 0)
    return sim


def run_fairness_simulation(seeds: int) -> dict[str, Any]:
    started = time.perf_counter()
    headline = simulate(HEADLINE_SEED)
    others = [simulate(seed) for seed in range(HEADLINE_SEED + 1, HEADLINE_SEED + seeds)]
    everyone = [headline, *others]
    counts = sorted(headline.served.values())
    histogram = Counter(counts)
    per_join = {p: headline.served[p] / headline.joined[p] for p in headline.joined}
    top = max(headline.served, key=lambda person: headline.served[person])
    worst = max(everyone, key=lambda sim: sim.max_share)
    disallowed = sum(1 for sim in everyone for r in sim.repeats if not r["allowed"])
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "days": DAYS,
        "runs_per_day": RUNS_PER_DAY,
        "pool": POOL,
        "participants": [MIN_PARTICIPANTS, MAX_PARTICIPANTS],
        "volunteer_rate": VOLUNTEER_RATE,
        "opt_in_share": OPT_IN_SHARE,
        "window": WINDOW,
        "seed": HEADLINE_SEED,
        "runs": headline.runs,
        "max_share": round(headline.max_share, 4),
        "max_share_person": top,
        "max_share_limit": MAX_SHARE,
        "runs_per_person": {
            "min": counts[0],
            "median": statistics.median(counts),
            "max": counts[-1],
            "mean": round(statistics.fmean(counts), 2),
        },
        "histogram": {str(k): histogram[k] for k in sorted(histogram)},
        "served_per_joined": {
            "min": round(min(per_join.values()), 3),
            "max": round(max(per_join.values()), 3),
        },
        "served": dict(sorted(headline.served.items())),
        "joined": dict(sorted(headline.joined.items())),
        "opted_in": headline.opted_in,
        "runs_with_a_volunteer": headline.volunteered_runs,
        "repeats": headline.repeats,
        "repeats_disallowed": sum(1 for r in headline.repeats if not r["allowed"]),
        "seeds": seeds,
        "seeds_max_share": {
            "median": round(statistics.median(sim.max_share for sim in everyone), 4),
            "worst": round(worst.max_share, 4),
            "worst_seed": worst.seed,
        },
        "seeds_repeats": sum(len(sim.repeats) for sim in everyone),
        "seeds_repeats_volunteered": sum(
            1 for sim in everyone for r in sim.repeats if r["volunteered"]
        ),
        "seeds_repeats_opted_in_only": sum(
            1 for sim in everyone for r in sim.repeats if r["opted_in"] and not r["volunteered"]
        ),
        "seeds_repeats_disallowed": disallowed,
        "met": worst.max_share <= MAX_SHARE and disallowed == 0,
        "seconds": round(time.perf_counter() - started, 2),
    }
