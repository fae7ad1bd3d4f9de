"""What ships is what runs in production: the shared package and the functions import no
stand-in (the embedded run in local/, the test servers in tests/support/), and the shared
package never imports the functions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(folder: str) -> list[tuple[str, str]]:
    found = []
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found += [(str(path.relative_to(ROOT)), name) for name in names]
    return found


def test_production_code_imports_no_stand_in() -> None:
    for folder in ("shared", "functions"):
        wrong = [
            (f, m) for f, m in imported_modules(folder) if m.split(".")[0] in ("local", "tests")
        ]
        assert wrong == [], folder


def test_the_shared_package_never_imports_the_functions() -> None:
    assert [(f, m) for f, m in imported_modules("shared") if m.split(".")[0] == "functions"] == []


def test_the_image_carries_only_the_production_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = {line.split()[-1] for line in dockerfile.splitlines() if line.startswith("COPY")}
    assert not any(path.startswith(("local", "tests", "bench")) for path in copied)
