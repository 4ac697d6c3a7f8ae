"""What `pip install`, `pipx install` and `uv tool install` give a user: a wheel and an sdist
that carry the app's own files under its own package name, installed outside this checkout,
where `codex-link --smoke-test` must pass."""

from __future__ import annotations

import ast
import email
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import codex_link

REPO = Path(__file__).resolve().parents[1]
VERSION = codex_link.__version__
BIN = Path(sys.executable).parent
INSTALL_TIMEOUT_S = 600  # a clean environment installs PySide6 (~100 MB) from pip's cache


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    wheel = next(out.glob("codex_link-*.whl"))
    sdist = next(out.glob("codex_link-*.tar.gz"))
    yield {"wheel": wheel, "sdist": sdist}


def _clean_env(home: Path) -> dict[str, str]:
    """A user's environment: an empty home, no display, nothing of this checkout on the path."""
    keep = (
        "PATH",
        "LANG",
        "LC_ALL",
        "PIP_FIND_LINKS",
        "PIP_CERT",
        "PIP_DEFAULT_TIMEOUT",
        "SSL_CERT_FILE",
        "TMPDIR",
    )
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(Path.home() / ".cache"),
        QT_QPA_PLATFORM="offscreen",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        # uv (also behind pipx) trusts only its own roots unless told to use the OS's,
        # which a registry behind a TLS-inspecting proxy needs.
        UV_NATIVE_TLS="1",
    )
    return env


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=INSTALL_TIMEOUT_S,
        check=False,
    )


def _smoke(executable: Path, env: dict[str, str], cwd: Path) -> str:
    done = _run([str(executable), "--smoke-test"], env, cwd)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke test passed" in done.stdout
    return done.stdout


# --- what the files carry -------------------------------------------------------------------


def test_the_wheel_carries_resources_inside_its_own_package(dists: dict[str, Path]) -> None:
    names = zipfile.ZipFile(dists["wheel"]).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"codex_link", f"codex_link-{VERSION}.dist-info"}, tops
    for shipped in (
        "codex_link/resources/icons/checking.svg",
        "codex_link/resources/icons/codex-link.svg",
        "codex_link/resources/translations/codexlink_zh_CN.qm",
        "codex_link/resources/linux/codex-link.desktop",
        "codex_link/py.typed",
    ):
        assert shipped in names
    icons = {h for h in names if h.startswith("codex_link/resources/icons/")}
    assert len(icons) == len(list((REPO / "resources/icons").glob("*.svg")))
    assert not [n for n in names if n.endswith(".ts") or "/tests/" in n or "__pycache__" in n]


def test_every_package_folder_is_in_the_wheel(dists: dict[str, Path]) -> None:
    names = set(zipfile.ZipFile(dists["wheel"]).namelist())
    for init in (REPO / "app").rglob("__init__.py"):
        if "egg-info" in str(init):
            continue
        assert init.relative_to(REPO / "app").as_posix() in names


def test_the_wheel_metadata_is_complete(dists: dict[str, Path]) -> None:
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        meta = email.message_from_bytes(wheel.read(f"codex_link-{VERSION}.dist-info/METADATA"))
        entry_points = wheel.read(f"codex_link-{VERSION}.dist-info/entry_points.txt").decode()
        licence = wheel.read(f"codex_link-{VERSION}.dist-info/licenses/LICENSE").decode()
    assert meta["Version"] == VERSION and meta["License-Expression"] == "MIT"
    assert "MIT License" in licence
    assert meta["Requires-Python"] == ">=3.12" and meta["Keywords"]
    assert meta["Author"] or meta["Author-email"]
    urls = meta.get_all("Project-URL") or []
    assert {u.split(",")[0] for u in urls} >= {"Homepage", "Issues", "Source"}
    classifiers = meta.get_all("Classifier") or []
    assert "Operating System :: Microsoft :: Windows" in classifiers
    assert "codex-link = codex_link.cli:main" in entry_points
    assert "[gui_scripts]" in entry_points and "codex-link-tray = codex_link.cli:tray_main" in (
        entry_points
    )


def test_check_wheel_contents_finds_nothing(dists: dict[str, Path]) -> None:
    done = subprocess.run(
        [str(BIN / "check-wheel-contents"), str(dists["wheel"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_sdist_can_build_everything_again(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for needed in (
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "app/codex_link/__init__.py",
        "resources/__init__.py",
        "resources/icons/checking.svg",
        "resources/translations/codexlink_zh_CN.qm",
    ):
        assert needed in names


def test_the_version_is_written_in_one_place() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    tree = ast.parse((REPO / "app/codex_link/__init__.py").read_text(encoding="utf-8"))
    assigned = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__version__" for t in n.targets)
    ]
    assert len(assigned) == 1


# --- installed as users install it ----------------------------------------------------------


def test_the_wheel_installed_in_a_clean_venv_works(dists: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = _clean_env(home)
    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", str(venv)], env, tmp_path).returncode == 0
    done = _run(
        [str(venv / "bin/python"), "-m", "pip", "install", "-q", str(dists["wheel"])], env, tmp_path
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    version = _run([str(venv / "bin/codex-link"), "--version"], env, tmp_path)
    assert version.stdout.strip() == f"codex-link {VERSION}"
    report = _smoke(venv / "bin/codex-link", env, tmp_path)
    assert str(venv) in report  # the installed copy ran, not this checkout
    assert (home / ".local/state/codex-link/log/smoke-test.log").read_text() == report
    status = _run([str(venv / "bin/codex-link"), "http-only", "status"], env, tmp_path)
    assert status.returncode == 0, status.stderr
    _smoke(venv / "bin/codex-link-tray", env, tmp_path)


def test_pipx_install_of_the_wheel_works(dists: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **_clean_env(home),
        "PIPX_HOME": str(tmp_path / "pipx"),
        "PIPX_BIN_DIR": str(tmp_path / "bin"),
        "PIPX_MAN_DIR": str(tmp_path / "man"),
        "PIPX_DEFAULT_PYTHON": sys.executable,
    }
    done = _run([str(BIN / "pipx"), "install", str(dists["wheel"])], env, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    _smoke(tmp_path / "bin/codex-link", env, tmp_path)


def test_uv_tool_install_of_the_sdist_works(dists: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **_clean_env(home),
        "UV_TOOL_DIR": str(tmp_path / "tools"),
        "UV_TOOL_BIN_DIR": str(tmp_path / "bin"),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_CACHE_DIR": str(Path.home() / ".cache/uv"),
    }
    uv = shutil.which("uv", path=str(BIN))
    assert uv is not None
    done = _run(
        [uv, "tool", "install", "--python", sys.executable, str(dists["sdist"])], env, tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    _smoke(tmp_path / "bin/codex-link", env, tmp_path)
