"""The one image: built from uv.lock in a builder stage, a slim non-root final stage with
no compilers, serving the function Knative's FUNCTION_TARGET names on the Service port."""

from __future__ import annotations

import fnmatch

from tests.platform import dockerfile
from tests.platform.code_facts import ROOT
from tests.platform.manifests import bundle, container_port, env_values, services

STAGES = dockerfile.parse(ROOT / "Dockerfile")
BUILDER, FINAL = STAGES[0], STAGES[-1]
COMPILERS = ("gcc", "g++", "clang", "build-essential", "make", "cc ", "-dev ", "-dev\n")


def test_two_stages_the_last_on_slim_python_3_12() -> None:
    assert len(STAGES) >= 2
    assert FINAL.image == "python:3.12-slim"
    assert BUILDER.image == FINAL.image, "the copied venv's interpreter path must exist"


def test_dependencies_come_from_the_lock_file_without_dev_tools() -> None:
    assert "uv.lock" in dockerfile.copy_sources(BUILDER)
    syncs = [line for line in BUILDER.run_text().splitlines() if "uv sync" in line]
    assert syncs
    for sync in syncs:
        assert "--frozen" in sync and "--no-dev" in sync


def test_the_project_code_is_importable_as_installed() -> None:
    """uv installs only third-party packages; shared/ is found through PYTHONPATH."""
    if "--no-install-project" in BUILDER.run_text():
        workdir = FINAL.all("WORKDIR")[-1].arguments
        assert workdir in dockerfile.env(FINAL)["PYTHONPATH"].split(":")


def test_final_stage_has_no_compilers_and_installs_nothing() -> None:
    text = FINAL.run_text() + "\n"
    assert not [word for word in COMPILERS if word in text]
    assert "pip install" not in text and "apt-get install" not in text


def test_final_stage_runs_as_a_numeric_non_root_user() -> None:
    users = FINAL.all("USER")
    assert users, "no USER: the container would run as root"
    uid = users[-1].arguments.split(":")[0]
    assert uid.isdigit() and int(uid) != 0  # numeric, so runAsNonRoot can verify it
    keywords = [i.keyword for i in FINAL.instructions]
    assert keywords.index("CMD") > len(keywords) - 1 - keywords[::-1].index("USER")


def test_every_import_finds_compiled_bytecode() -> None:
    """A cold start must not compile: the venv, the project and the standard library (which
    the official image ships without .pyc files) are compiled at build time."""
    assert dockerfile.env(BUILDER).get("UV_COMPILE_BYTECODE") == "1"
    assert "compileall" in BUILDER.run_text() and "shared functions" in BUILDER.run_text()
    stdlib = [i for i in FINAL.all("RUN") if "compileall" in i.arguments]
    assert stdlib and "/usr/local/lib/python3.12" in stdlib[0].arguments
    keywords = [i.keyword for i in FINAL.instructions]
    assert FINAL.instructions.index(stdlib[0]) < keywords.index("USER"), "compiled as root"


def test_the_image_holds_what_the_functions_and_migrations_need() -> None:
    copied = " ".join(i.arguments for i in FINAL.all("COPY"))
    for path in ("shared/", "functions/", "migrations/", "alembic.ini", "/app/.venv"):
        assert path in copied, path


def test_cmd_serves_on_the_port_knative_sends_to() -> None:
    (cmd,) = FINAL.all("CMD")
    words = cmd.words()
    assert cmd.arguments.startswith("["), "exec form, so signals reach the server"
    assert words[0] == "functions-framework"
    assert "--target" not in words and "--source" not in words  # FUNCTION_TARGET/SOURCE pick
    port = int(words[words.index("--port") + 1])
    for service in services(bundle("base")).values():
        assert container_port(service) == port
        assert {"FUNCTION_TARGET", "FUNCTION_SOURCE"} <= set(env_values(service))


def _ignored(path: str, patterns: list[str]) -> bool:
    path = path.rstrip("/")
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        candidates = [path, *[path.rsplit("/", n)[0] for n in range(1, path.count("/") + 1)]]
        if any(
            fnmatch.fnmatch(c, pattern) or fnmatch.fnmatch(c, pattern.removeprefix("**/"))
            for c in candidates
        ):
            ignored = not negate
    return ignored


def test_dockerignore_keeps_out_local_state_but_nothing_the_image_copies() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for local in (".venv", ".git", "tests", ".coffeebuddy", "shared/__pycache__"):
        assert _ignored(local, patterns), local
    for stage in STAGES:
        for source in dockerfile.copy_sources(stage):
            assert not _ignored(source, patterns), source
