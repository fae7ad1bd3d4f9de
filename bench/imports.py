"""What a functions-framework target's imports cost, apart from serving: a process doing
only the imports (with and without cached bytecode), and `python -X importtime` per package.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from typing import TypedDict

from bench.servers import ROOT, BenchError, Target
from bench.servers import child_environment as child_env

# What `functions-framework --source S` imports before it can serve: its CLI, gunicorn,
# then the source file itself.
# os._exit skips interpreter teardown, which a serving process never reaches either.
IMPORT_SNIPPET = """
import importlib.util, os
import functions_framework._cli, functions_framework._http.gunicorn
spec = importlib.util.spec_from_file_location("main", {source!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
os._exit(0)
"""


class ImportShare(TypedDict):
    package: str
    ms: float


def _import_snippet(target: Target) -> str:
    return IMPORT_SNIPPET.format(source=str(target.source))


def _python(args: list[str], env: dict[str, str]) -> str:
    """Run the bench's Python with the function's settings; its stderr, or a BenchError."""
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=child_env(env), capture_output=True, text=True
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.splitlines()[-10:])
        raise BenchError(f"import measurement failed ({result.returncode}):\n{tail}")
    return result.stderr


def import_process_seconds(
    target: Target, env: dict[str, str], repeats: int, *, bytecode: bool = True
) -> float:
    """Median wall time of a Python process that only does the target's imports.

    With `bytecode=False` the process finds no cached .pyc files (an empty
    PYTHONPYCACHEPREFIX, nothing written), as in an image built without compiling them.
    """
    samples = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="bench-pycache-") as empty:
            extra = (
                {} if bytecode else {"PYTHONPYCACHEPREFIX": empty, "PYTHONDONTWRITEBYTECODE": "1"}
            )
            started = time.perf_counter()
            _python(["-c", _import_snippet(target)], {**env, **extra})
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def import_profile(target: Target, env: dict[str, str]) -> list[ImportShare]:
    """`python -X importtime` of the target: self time summed per top-level package."""
    stderr = _python(["-X", "importtime", "-c", _import_snippet(target)], env)
    by_package: dict[str, int] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, self_us, _cumulative, name = (
            part.strip() for part in line.replace(":", "|", 1).split("|")
        )
        package = name.split(".")[0]
        by_package[package] = by_package.get(package, 0) + int(self_us)
    ranked = sorted(by_package.items(), key=lambda item: item[1], reverse=True)
    return [ImportShare(package=package, ms=round(us / 1000, 1)) for package, us in ranked]
