"""CoffeeBuddy's benchmarks: cold start, warm latency on Postgres, and an order burst.

Run with `scripts/bench` (or `.venv/bin/python -m bench`); results go to
docs/BENCHMARKS.md and bench/results/latest.json.
"""
