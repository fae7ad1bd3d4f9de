"""scripts/ensure-tools takes promtool out of Debian's prometheus package without
installing it (the package would also install and start a Prometheus server), and keeps
apt's chatter out of the test log.

apt-get and dpkg-deb are stand-ins here that record how they were called, so nothing is
downloaded or installed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.platform.code_facts import ROOT

SCRIPT = ROOT / "scripts" / "ensure-tools"
NOISE = "Reading package lists... Done (apt noise)"
APT_GET = f"""#!/bin/sh
echo "apt-get $*" >>"$CALLS"
echo "{NOISE}"
if [ "$1" = download ]; then
  [ -n "$APT_DOWNLOAD_FAILS" ] && exit 100
  : >"$2_2.42.0+ds-5+deb12u1_amd64.deb"
fi
exit 0
"""
# `dpkg-deb -x <deb> <dir>`: unpacks the server with the tool, as the real package holds.
DPKG_DEB = """#!/bin/sh
echo "dpkg-deb $*" >>"$CALLS"
mkdir -p "$3/usr/bin" "$3/lib/systemd/system"
printf '#!/bin/sh\\necho "promtool, version 2.42.0"\\n' >"$3/usr/bin/promtool"
printf '#!/bin/sh\\necho serving\\n' >"$3/usr/bin/prometheus"
chmod +x "$3/usr/bin/promtool" "$3/usr/bin/prometheus"
echo "[Service]" >"$3/lib/systemd/system/prometheus.service"
"""


def ensure_tools(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    stubs = tmp_path / "stubs"
    stubs.mkdir(exist_ok=True)
    for name, text in (("apt-get", APT_GET), ("dpkg-deb", DPKG_DEB)):
        (stubs / name).write_text(text)
        (stubs / name).chmod(0o755)
    environment = {
        **os.environ,
        "PATH": f"{stubs}:{os.environ['PATH']}",
        "COFFEEBUDDY_TOOLS_DIR": str(tmp_path / "tools"),
        "CALLS": str(tmp_path / "calls"),
        **env,
    }
    return subprocess.run(
        ["bash", str(SCRIPT)], env=environment, capture_output=True, text=True, timeout=60
    )


def calls(tmp_path: Path) -> list[str]:
    path = tmp_path / "calls"
    return path.read_text().splitlines() if path.exists() else []


def test_promtool_is_taken_from_the_package_without_installing_it(tmp_path: Path):
    result = ensure_tools(tmp_path)
    assert result.returncode == 0, result.stderr
    tools = tmp_path / "tools"
    promtool = tools / "bin" / "promtool"
    version = subprocess.run([promtool, "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("promtool, version")
    assert sorted(p.name for p in (tools / "bin").iterdir()) == ["promtool"]  # no server
    assert "apt-get download prometheus" in calls(tmp_path)
    assert not [c for c in calls(tmp_path) if c.startswith("apt-get install") and "prometheus" in c]
    assert NOISE not in result.stdout + result.stderr
    assert NOISE in (tools / "ensure-tools.log").read_text()
    assert (tools / ".gitignore").read_text() == "*\n"


def test_a_second_run_fetches_nothing(tmp_path: Path):
    ensure_tools(tmp_path)
    before = calls(tmp_path)
    again = ensure_tools(tmp_path)
    assert again.returncode == 0
    assert calls(tmp_path) == before
    assert again.stdout + again.stderr == ""


def test_a_failed_download_names_the_log_and_nothing_else_of_apts(tmp_path: Path):
    result = ensure_tools(tmp_path, APT_DOWNLOAD_FAILS="1")
    assert result.returncode == 1
    log = tmp_path / "tools" / "ensure-tools.log"
    assert "could not get promtool" in result.stderr and str(log) in result.stderr
    assert NOISE not in result.stdout + result.stderr
    assert NOISE in log.read_text()
    assert not (tmp_path / "tools" / "bin" / "promtool").exists()
