"""The machine a result was measured on."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import TypedDict


class Machine(TypedDict):
    cpu: str
    cores: int
    memory_gib: float
    os: str
    python: str
    postgres: str


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / (1024 * 1024), 1)
    except OSError:
        pass
    return 0.0


def describe_machine(postgres_version: str) -> Machine:
    return Machine(
        cpu=_cpu_model(),
        cores=os.cpu_count() or 0,
        memory_gib=_memory_gib(),
        os=f"{platform.system()} {platform.release()}",
        python=platform.python_version(),
        postgres=postgres_version,
    )


class CodeVersion(TypedDict):
    commit: str
    uncommitted_changes: bool


def describe_code(root: Path) -> CodeVersion:
    """The commit measured, and whether the app's code differed from it (the working tree)."""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, check=True
            )
        except (OSError, subprocess.CalledProcessError):
            return ""
        return done.stdout.strip()

    changes = git("status", "--porcelain", "--", "shared", "functions", "migrations", "bench")
    return CodeVersion(
        commit=git("rev-parse", "--short", "HEAD") or "unknown", uncommitted_changes=bool(changes)
    )
