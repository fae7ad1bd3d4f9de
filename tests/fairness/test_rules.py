from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from shared.fairness.rules import Candidate, choose_runner

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def pick(candidates, previous=None, key="run-1"):
    choice = choose_runner(
        candidates, previous_runner=previous, window_runs=20, run_key=key, now=NOW
    )
    return choice


def test_no_candidates_no_runner():
    assert pick([]) is None


def test_fewest_runs_in_window_wins():
    choice = pick([Candidate("A", 3, NOW), Candidate("B", 1, NOW), Candidate("C", 2, None)])
    assert choice.user_id == "B"
    assert "1 in the last 20 runs" in choice.reason


def test_then_the_oldest_last_run_with_never_first():
    old = NOW - timedelta(days=9)
    assert pick([Candidate("A", 1, NOW), Candidate("B", 1, old)]).user_id == "B"
    assert pick([Candidate("A", 1, old), Candidate("B", 1, None)]).user_id == "B"
    assert "last ran 9 days ago" in pick([Candidate("A", 1, NOW), Candidate("B", 1, old)]).reason


def test_a_clear_fewest_says_how_many_and_when():
    old = NOW - timedelta(days=9)
    choice = pick([Candidate("A", 3, NOW), Candidate("B", 1, old), Candidate("C", 2, None)])
    assert choice.reason == "fewest runs: 1 in the last 20 runs, last ran 9 days ago"


def test_a_tie_on_runs_says_the_oldest_last_run_broke_it():
    old = NOW - timedelta(days=9)
    people = [Candidate("A", 1, NOW), Candidate("B", 1, old), Candidate("C", 1, NOW - DAY)]
    choice = pick(people)
    assert choice.user_id == "B"
    assert choice.reason == (
        "everyone on 1 run in the last 20: picked by who ran longest ago (last ran 9 days ago)"
    )
    assert pick([Candidate("A", 0, NOW), Candidate("B", 0, None)]).reason == (
        "both on 0 runs in the last 20: picked by who ran longest ago (hasn't run here before)"
    )


def test_a_tie_all_the_way_says_it_was_picked_at_random():
    people = [Candidate(u, 0, None) for u in "ABC"]
    assert (
        pick(people).reason == "everyone on 0 runs in the last 20 and never ran: picked at random"
    )
    same = NOW - DAY
    assert pick([Candidate("A", 2, same), Candidate("B", 2, same)]).reason == (
        "both on 2 runs in the last 20 and last ran 1 day ago: picked at random"
    )


def test_a_tie_among_some_counts_them_and_who_drew_lots():
    people = [
        Candidate("A", 0, None),
        Candidate("B", 0, None),
        Candidate("C", 0, NOW - DAY),
        Candidate("D", 3, NOW),
    ]
    choice = pick(people)
    assert choice.user_id in {"A", "B"}
    assert choice.reason == (
        "3 people tied on the fewest runs, 0 in the last 20, 2 of them never ran: "
        "picked at random among those"
    )


def test_a_skipped_previous_runner_is_not_counted_in_the_tie():
    people = [Candidate("P", 1, NOW), Candidate("A", 1, NOW - DAY), Candidate("B", 1, None)]
    assert pick(people, previous="P").reason == (
        "2 people tied on the fewest runs, 1 in the last 20: "
        "picked by who ran longest ago (hasn't run here before)"
    )


def test_tied_volunteers_say_they_volunteered_and_what_broke_the_tie():
    old = NOW - timedelta(days=9)
    people = [
        Candidate("X", 0, None),
        Candidate("A", 2, NOW, volunteer=True),
        Candidate("B", 2, old, volunteer=True),
    ]
    assert pick(people).reason == (
        "volunteered, both volunteers on 2 runs in the last 20: "
        "picked by who ran longest ago (last ran 9 days ago)"
    )
    three = [Candidate(u, 0, None, volunteer=True) for u in "ABC"]
    assert pick(three).reason == (
        "volunteered, all 3 volunteers on 0 runs in the last 20 and never ran: picked at random"
    )


def test_tie_break_is_deterministic_per_run_and_varies_between_runs():
    people = [Candidate(u, 0, None) for u in "ABCDEF"]
    assert pick(people, key="r1").user_id == pick(list(reversed(people)), key="r1").user_id
    winners = {pick(people, key=f"run-{i}").user_id for i in range(40)}
    assert len(winners) > 3


def test_previous_runner_skipped_unless_opted_in_or_alone():
    a, b = Candidate("A", 0, None), Candidate("B", 5, NOW)
    assert pick([a, b], previous="A").user_id == "B"
    opted = Candidate("A", 0, None, allow_repeat=True)
    assert pick([opted, b], previous="A").user_id == "A"
    assert pick([a], previous="A").user_id == "A"


def test_volunteers_first_then_fairness_among_them():
    people = [
        Candidate("A", 0, None),
        Candidate("B", 4, NOW, volunteer=True),
        Candidate("C", 2, NOW, volunteer=True),
    ]
    choice = pick(people)
    assert choice.user_id == "C" and "2 volunteers" in choice.reason
    assert pick([Candidate("A", 0, None), Candidate("B", 9, NOW, volunteer=True)]).reason == (
        "volunteered"
    )


def test_a_volunteering_previous_runner_may_go_again():
    assert (
        pick([Candidate("A", 0, None), Candidate("B", 3, NOW, volunteer=True)], "B").user_id == "B"
    )


def test_four_weeks_of_runs_spread_the_work():
    """10 runs a day for 28 days, 5–30 people of 30: nobody serves more than 20% of runs."""
    rng = random.Random(7)
    pool = [f"U{i:02d}" for i in range(30)]
    history: list[str] = []
    last: dict[str, datetime] = {}
    repeat_ok = set(rng.sample(pool, 3))
    volunteered: set[int] = set()
    now = NOW
    for run in range(280):
        now += timedelta(minutes=50)
        people = rng.sample(pool, rng.randint(5, 30))
        window = Counter(history[-20:])
        candidates = [
            Candidate(
                u,
                window[u],
                last.get(u),
                volunteer=rng.random() < 0.03,
                allow_repeat=u in repeat_ok,
            )
            for u in people
        ]
        choice = choose_runner(
            candidates,
            previous_runner=history[-1] if history else None,
            window_runs=20,
            run_key=f"run-{run}",
            now=now,
        )
        history.append(choice.user_id)
        if any(c.user_id == choice.user_id and c.volunteer for c in candidates):
            volunteered.add(run)
        last[choice.user_id] = now
    served = Counter(history)
    assert max(served.values()) <= 0.2 * len(history)
    repeats = [i for i in range(1, 280) if history[i] == history[i - 1]]
    assert all(history[i] in repeat_ok or i in volunteered for i in repeats)
