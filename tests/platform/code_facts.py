"""What the code says, read without starting a function: the facts manifests must match.

Function modules are never imported here (importing one starts it: settings, logging);
their targets are read from the source, and `ROUTES` by running only the module's
imports and that one assignment.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"
# The embedded local run reads its own variables (HOST, COFFEEBUDDY_STATE_DIR, ...):
# they never reach a deployment.
NOT_DEPLOYED = (ROOT / "shared" / "local",)


@cache
def function_names() -> tuple[str, ...]:
    """Every function folder: functions/<name>/main.py."""
    return tuple(sorted(path.parent.name for path in FUNCTIONS.glob("*/main.py")))


def _module(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def http_targets(source: Path) -> set[str]:
    """Names of the functions-framework targets defined in a source file."""
    targets = set()
    for node in _module(source).body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                text = ast.unparse(decorator)
                if text.startswith("functions_framework."):
                    targets.add(node.name)
    return targets


@cache
def targets() -> dict[str, str]:
    """Every functions-framework target, with the function folder defining it."""
    return {
        target: name
        for name in function_names()
        for target in http_targets(FUNCTIONS / name / "main.py")
    }


def service_name(target: str) -> str:
    """The Knative Service of a target (Kubernetes names have no underscores)."""
    return target.replace("_", "-")


def target_calls(target: str) -> set[str]:
    """Names called by a target, following the module's own helpers it uses."""
    tree = _module(FUNCTIONS / targets()[target] / "main.py")
    defs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    seen: set[str] = set()
    found: set[str] = set()
    pending = [target]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for node in ast.walk(defs[current]):
            if isinstance(node, ast.Name):
                found.add(node.id)
                if node.id in defs:
                    pending.append(node.id)
    return found


def is_slack_facing(target: str) -> bool:
    return bool({"serve_slack", "serve_slack_flask"} & target_calls(target))


def slack_kind(target: str) -> str | None:
    """The `kind` a Slack-facing target passes to serve_slack (slash_command, interaction)."""
    tree = _module(FUNCTIONS / targets()[target] / "main.py")
    names = target_calls(target)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in names | {target}:
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and ast.unparse(call.func) in (
                    "serve_slack",
                    "serve_slack_flask",
                ):
                    for keyword in call.keywords:
                        if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                            return str(keyword.value.value)
    return None


def is_event_fed(target: str) -> bool:
    return bool({"serve_event", "serve_event_flask"} & target_calls(target))


def event_types(target: str) -> frozenset[str]:
    """The CloudEvent types an event-fed target handles (its module's ROUTES)."""
    return accepts(targets()[target]) if is_event_fed(target) else frozenset()


@cache
def accepts(name: str) -> frozenset[str]:
    """The types in the function's ROUTES, evaluated from its imports and its assignment only."""
    tree = _module(FUNCTIONS / name / "main.py")
    kept: list[ast.stmt] = [
        node
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        or (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "ROUTES" for t in node.targets)
        )
    ]
    namespace: dict[str, object] = {}
    exec(compile(ast.Module(body=kept, type_ignores=[]), name, "exec"), namespace)  # noqa: S102
    value = namespace.get("ROUTES")
    if value is None:
        return frozenset()
    assert isinstance(value, dict), f"{name}: ROUTES is not a dict of type -> handler"
    return frozenset(str(item) for item in value)


# Event data built for the outbox (`catalog.RunClosed(...)`, `catalog.X.model_validate`),
# and `type=X` for an Event the slash intake publishes itself.
_DATA_BUILT = re.compile(r"\bcatalog\.([A-Z][a-z][A-Za-z]*)(?:\(|\.model_validate\()")
_PRODUCED = re.compile(r"\btype=(?:catalog\.)?([A-Z][A-Z_]*)\b")


@cache
def event_types_produced() -> frozenset[str]:
    """CloudEvent types the deployed code writes to the outbox or publishes itself."""
    from shared.events import catalog

    names: set[str] = set()
    built: set[str] = set()
    for path in (ROOT / "shared").rglob("*.py"):
        if not any(path.is_relative_to(skip) for skip in NOT_DEPLOYED):
            text = path.read_text(encoding="utf-8")
            names.update(_PRODUCED.findall(text))
            built.update(_DATA_BUILT.findall(text))
    types = {str(getattr(catalog, name)) for name in names if hasattr(catalog, name)}
    models = (getattr(catalog, name, None) for name in built)
    return frozenset(types | {m.TYPE for m in models if isinstance(getattr(m, "TYPE", None), str)})


class _RecordingEnv(dict[str, str]):
    def __init__(self, values: Mapping[str, str]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return super().__getitem__(key)


def configuration_read(env: Mapping[str, str]) -> set[str]:
    """Every variable start-up reads given this environment (settings, then where the
    secrets come from), recorded as it reads them; raises if start-up would refuse it."""
    from shared.secrets import SecretsConfig
    from shared.settings import load_settings

    recording = _RecordingEnv(env)
    load_settings(recording)
    SecretsConfig.from_env(recording)
    return recording.read


_ENV_READ = re.compile(
    r"""(?:environ\.get\(|environ\[|getenv\(|\benv\.get\(|\(\s*env,\s*)\s*["']([A-Z][A-Z0-9_]*)["']"""
)


@cache
def environment_read_in_source() -> frozenset[str]:
    """Variables named where shared/, functions/ or migrations/ read the environment."""
    names: set[str] = set()
    for folder in ("shared", "functions", "migrations"):
        for path in (ROOT / folder).rglob("*.py"):
            if any(path.is_relative_to(skip) for skip in NOT_DEPLOYED):
                continue
            names.update(_ENV_READ.findall(path.read_text(encoding="utf-8")))
    return frozenset(names)


_SLACK_CALL = re.compile(
    r"\.(chat|views|users|conversations|reactions|im|team|auth|files|pins|usergroups"
    r"|bookmarks|dnd|emoji|reminders|search|stars|bots|apps|admin|dialog|oauth|openid)"
    r"_([A-Za-z]+)\("
)
# A method handed to a wrapper rather than called: partial(client.users_info, user=...).
_HANDED_CALL = re.compile(r"partial\(\s*[\w.]+\.(chat|views|users|conversations)_([A-Za-z]+)\s*,")
_API_CALL = re.compile(r"""\.api_call\(\s*["']([a-z]+\.[A-Za-z.]+)["']""")


def slack_methods_called() -> dict[str, set[str]]:
    """Slack Web API methods the deployed code calls, each with the files calling it."""
    found: dict[str, set[str]] = {}
    for folder in ("shared", "functions"):
        for path in (ROOT / folder).rglob("*.py"):
            if any(path.is_relative_to(skip) for skip in NOT_DEPLOYED):
                continue
            text = path.read_text(encoding="utf-8")
            calls = _SLACK_CALL.findall(text) + _HANDED_CALL.findall(text)
            methods = {f"{family}.{method}" for family, method in calls}
            methods.update(_API_CALL.findall(text))
            for method in methods:
                found.setdefault(method, set()).add(str(path.relative_to(ROOT)))
    return found


_LABELS = re.compile(r"""\b(RUNS|ERRORS|REQUESTS)\.labels\(\s*["']([a-z_]+)["']""")
_KIND = re.compile(r"""\bkind=["']([a-z_]+)["']""")


def metric_label_values() -> dict[str, set[str]]:
    """Label values each metric is given in the code (names as exposed to Prometheus)."""
    from shared.events.catalog import RunUpdated

    exposed = {"RUNS": "coffeebuddy_runs_total", "ERRORS": "coffeebuddy_errors_total"}
    exposed["REQUESTS"] = "coffeebuddy_requests_total"
    values: dict[str, set[str]] = {name: set() for name in exposed.values()}
    for folder in ("shared", "functions"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for metric, value in _LABELS.findall(text):
                values[exposed[metric]].add(value)
    # Labelled from variables: REQUESTS by each Slack function's `kind`, RUNS by run.status.
    for name in function_names():
        values["coffeebuddy_requests_total"].update(
            _KIND.findall((FUNCTIONS / name / "main.py").read_text(encoding="utf-8"))
        )
    status_field = RunUpdated.model_fields["status"].annotation
    values["coffeebuddy_runs_total"].update(getattr(status_field, "__args__", ()))
    return values


def metric_names() -> set[str]:
    """Every sample name the functions expose, from the registered collectors."""
    from prometheus_client import Counter, Histogram

    import shared.observability.metrics as metrics

    metrics.load_metrics()
    names: set[str] = set()
    for collector in (metric.real for metric in metrics.ALL):
        if isinstance(collector, Counter):
            names.update(f"{m.name}_total" for m in collector.describe())
        elif isinstance(collector, Histogram):
            for m in collector.describe():
                names.update(f"{m.name}{suffix}" for suffix in ("_bucket", "_sum", "_count"))
    return names
