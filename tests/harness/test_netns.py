"""The network namespace the real Codex CLI runs in: nothing leaves, nothing waits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.endpoint import FakeEndpoint
from tests.harness.netns import REPO, CodexNetns

pytestmark = pytest.mark.codex


def inside(codex_netns: CodexNetns, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["nsenter", f"--target={codex_netns.pid}", "--net", "--mount", "--", *argv],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.fixture
def netns(codex_netns: CodexNetns) -> CodexNetns:
    if not codex_netns.isolated:
        pytest.skip(codex_netns.describe())
    return codex_netns


def test_every_name_resolves_to_loopback_and_only_loopback_exists(netns: CodexNetns) -> None:
    hosts = inside(
        netns,
        "python3",
        "-c",
        "import socket\nfor name in ('api.github.com', "
        "'chatgpt.com'): print(socket.gethostbyname(name))",
    )
    assert hosts.stdout.split() == ["127.0.0.1", "127.0.0.1"], hosts
    links = inside(netns, "ip", "-o", "link")
    assert [line.split(":")[1].strip() for line in links.stdout.splitlines()] == ["lo"]


def test_codex_doctor_s_lookups_end_at_a_closed_loopback_port(
    netns: CodexNetns, codex_bin: Path, tmp_path: Path
) -> None:
    """chatgpt.com resolves to 127.0.0.1 and is refused there: a failed connect, not a wait
    for a look-up (`python -m bench.codex_netns` times it: 10 s without the responder)."""
    (tmp_path / "config.toml").write_text('model = "gpt-5.5"\n')
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "CODEX_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [str(codex_bin), "doctor", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    checks = json.loads(done.stdout)["checks"]
    assert checks["config.load"]["summary"] == "config loaded"
    reachability = checks["network.provider_reachability"]
    assert reachability["status"] == "fail"
    assert any("connect failed" in value for value in reachability["details"].values())


def test_the_test_endpoint_is_reachable_from_inside(
    netns: CodexNetns, codex_bin: Path, plain_endpoint: FakeEndpoint
) -> None:
    """The shim relays the test's own loopback servers into the namespace."""
    shim_env = {**os.environ, "CODEX_HOME": "/nonexistent"}
    subprocess.run(
        [str(codex_bin), "--version"], env=shim_env, capture_output=True, timeout=60, check=True
    )  # any start relays the listening ports
    fetched = inside(
        netns,
        "python3",
        "-c",
        "import urllib.request as u\n"
        f"try: u.urlopen('{plain_endpoint.base_url}/models', timeout=5)\n"
        "except Exception as e: print(type(e).__name__)",
    )
    assert fetched.returncode == 0, fetched
    assert plain_endpoint.stats.http_requests == 1, fetched.stdout  # it arrived, relayed


def test_where_namespaces_are_not_allowed_codex_runs_plainly_and_it_is_said(tmp_path: Path) -> None:
    """Without CAP_SYS_ADMIN (a container that forbids `unshare`) nothing breaks: the shim is
    the real binary, and the reason is what the end of the test output shows."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to take the capability away")
    probe = (
        "from pathlib import Path\nfrom tests.harness.netns import CodexNetns\n"
        "spaces = CodexNetns()\nprint(spaces.isolated)\nprint(spaces.shim(Path('/bin/true')))"
        "\nprint(spaces.describe())\nspaces.close()\n"
    )
    done = subprocess.run(
        ["setpriv", "--bounding-set", "-sys_admin", sys.executable, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    isolated, shim, description = done.stdout.splitlines()
    assert (isolated, shim) == ("False", "/bin/true"), done.stderr
    assert description.startswith("private network namespace unavailable (")
    assert "Operation not permitted" in description
