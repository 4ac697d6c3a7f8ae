"""Finding the Codex the user runs, and its version, in fake install trees and with the real
CLI of the test set-up."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from codex_link.core.codex.installed import (
    CodexInstall,
    InstallKind,
    VersionCache,
    codex_line,
    describe,
    find_codex_installs,
    installed_codex,
    npm_package_json,
    parse_version,
)
from tests.harness.codex_cli import default_codex_version, find_codex_cli


def fake_codex(path: Path, version: str = "0.169.0", *, sleep_s: float = 0.0) -> Path:
    """A tiny executable that answers `--version` as Codex does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pause = f"sleep {sleep_s}\n" if sleep_s else ""
    path.write_text(f"#!/bin/sh\n{pause}echo 'codex-cli {version}'\n")
    path.chmod(0o755)
    return path


def npm_install(prefix: Path, version: str) -> Path:
    """npm's global layout on POSIX: <prefix>/bin/codex -> ../lib/node_modules/@openai/codex."""
    package = prefix / "lib/node_modules/@openai/codex"
    launcher = fake_codex(package / "bin/codex.js", "9.9.9")  # package.json must win
    (package / "package.json").write_text(json.dumps({"name": "@openai/codex", "version": version}))
    link = prefix / "bin/codex"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(os.path.relpath(launcher, link.parent))
    return link


def env_for(home: Path, path: str = "") -> dict[str, str]:
    return {"HOME": str(home), "PATH": path}


def test_the_codex_on_path_comes_first(tmp_path: Path) -> None:
    on_path = fake_codex(tmp_path / "tools/codex", "0.171.0")
    npm_install(tmp_path / "home/.npm-global", "0.169.0")
    env = env_for(tmp_path / "home", f"/nonexistent:{on_path.parent}")
    installs = find_codex_installs(
        env, user_home=tmp_path / "home", platform="linux", machine="x86_64"
    )
    assert installs[0] == CodexInstall(on_path, InstallKind.STANDALONE, on_path=True)
    assert installs[1].kind is InstallKind.NPM and not installs[1].on_path
    found = installed_codex(
        env,
        user_home=tmp_path / "home",
        versions=VersionCache(),
        platform="linux",
        machine="x86_64",
    )
    assert found is not None and found.version == "0.171.0"
    assert str(codex_line(found)) == "Codex 0.171.0 (standalone, PATH)"


def test_a_file_that_cannot_run_is_not_codex(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin/codex").write_text("not executable")
    assert (
        find_codex_installs(
            env_for(tmp_path, str(tmp_path / "bin")),
            user_home=tmp_path,
            platform="linux",
            machine="x86_64",
        )
        == []
    )


def test_windows_path_follows_pathext(tmp_path: Path) -> None:
    npm_dir = tmp_path / "AppData/Roaming/npm"
    for name in ("codex", "codex.ps1", "codex.cmd"):  # what npm writes on Windows
        fake_codex(npm_dir / name)
    package = npm_dir / "node_modules/@openai/codex"
    package.mkdir(parents=True)
    (package / "package.json").write_text('{"name": "@openai/codex", "version": "0.171.0"}')
    env = {
        "USERPROFILE": str(tmp_path),
        "PATH": str(npm_dir),
        "PATHEXT": ".COM;.EXE;.CMD",
        "APPDATA": str(tmp_path / "AppData/Roaming"),
    }
    installs = find_codex_installs(env, platform="win32", user_home=tmp_path, machine="AMD64")
    assert installs[0] == CodexInstall(npm_dir / "codex.cmd", InstallKind.NPM, on_path=True)
    assert len(installs) == 1  # the same file, found again under %APPDATA%\npm, counts once
    found = installed_codex(
        env, platform="win32", user_home=tmp_path, machine="AMD64", versions=VersionCache()
    )
    assert found is not None and found.version == "0.171.0"
    assert str(codex_line(found)) == "Codex 0.171.0 (npm, PATH)"


@pytest.mark.parametrize(
    "prefix",
    [
        ".npm-global",
        ".nvm/versions/node/v22.1.0",
        ".local/share/fnm/node-versions/v22.1.0/installation",
    ],
)
def test_npm_global_installs_are_found_without_running_npm(tmp_path: Path, prefix: str) -> None:
    link = npm_install(tmp_path / prefix, "0.169.0")
    versions = VersionCache()
    found = installed_codex(
        env_for(tmp_path), user_home=tmp_path, versions=versions, platform="linux", machine="x86_64"
    )
    assert found is not None
    assert found.install == CodexInstall(link, InstallKind.NPM, on_path=False)
    assert found.version == "0.169.0"
    assert versions.runs == 0  # read from package.json, nothing started
    assert npm_package_json(link) == (
        tmp_path / prefix / "lib/node_modules/@openai/codex/package.json"
    )


def test_homebrew_cask_links_are_told_apart(tmp_path: Path) -> None:
    # The cask's binary lives in its Caskroom; /opt/homebrew/bin holds a link to it.
    binary = fake_codex(tmp_path / "opt/homebrew/Caskroom/codex/0.171.0/codex-aarch64", "0.171.0")
    bin_dir = tmp_path / "opt/homebrew/bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "codex").symlink_to(binary)
    env = env_for(tmp_path, str(bin_dir))
    found = installed_codex(
        env, user_home=tmp_path, versions=VersionCache(), platform="linux", machine="x86_64"
    )
    assert found is not None and found.install.kind is InstallKind.HOMEBREW
    assert str(codex_line(found)) == "Codex 0.171.0 (Homebrew, PATH)"


@pytest.mark.parametrize("editor", [".vscode", ".vscode-insiders", ".cursor", ".windsurf"])
def test_the_editor_extensions_binary_for_this_platform(tmp_path: Path, editor: str) -> None:
    extensions = tmp_path / editor / "extensions"
    old = fake_codex(
        extensions / "openai.chatgpt-26.1.0-linux-x64/bin/linux-x86_64/codex", "0.160.0"
    )
    new = fake_codex(
        extensions / "openai.chatgpt-26.5.0-linux-x64/bin/linux-x86_64/codex", "0.171.0"
    )
    fake_codex(extensions / "openai.chatgpt-26.5.0-linux-x64/bin/macos-aarch64/codex", "0.0.1")
    past = time.time() - 3600
    os.utime(old.parents[2], (past, past))  # the newer extension folder first
    versions = VersionCache()
    found = installed_codex(
        env_for(tmp_path), user_home=tmp_path, versions=versions, platform="linux", machine="x86_64"
    )
    assert found is not None
    assert found.install == CodexInstall(new, InstallKind.EDITOR_EXTENSION, on_path=False)
    assert found.version == "0.171.0" and versions.runs == 1
    paths = [
        i.path
        for i in find_codex_installs(
            env_for(tmp_path), user_home=tmp_path, platform="linux", machine="x86_64"
        )
    ]
    assert paths == [new, old]  # another platform's binary is never taken


def test_the_desktop_app_on_windows(tmp_path: Path) -> None:
    local = tmp_path / "AppData/Local"
    binary = fake_codex(local / "OpenAI/Codex/bin/b99306303521e97e/codex.exe", "0.171.0")
    env = {"USERPROFILE": str(tmp_path), "PATH": "", "LOCALAPPDATA": str(local)}
    installs = find_codex_installs(env, platform="win32", user_home=tmp_path, machine="AMD64")
    assert installs == [CodexInstall(binary, InstallKind.DESKTOP_APP, on_path=False)]


def test_the_desktop_app_on_macos(tmp_path: Path) -> None:
    binary = fake_codex(tmp_path / "Applications/ChatGPT.app/Contents/Resources/codex", "0.171.0")
    installs = find_codex_installs(
        env_for(tmp_path), platform="darwin", user_home=tmp_path, machine="arm64"
    )
    assert CodexInstall(binary, InstallKind.DESKTOP_APP, on_path=False) in installs


def test_no_codex_at_all(tmp_path: Path) -> None:
    assert (
        installed_codex(env_for(tmp_path), user_home=tmp_path, platform="linux", machine="x86_64")
        is None
    )
    assert describe(None) == "Codex not found on this computer"


def test_the_version_is_read_once_per_file(tmp_path: Path) -> None:
    binary = fake_codex(tmp_path / "codex", "0.169.0")
    versions = VersionCache()
    assert versions.version(binary, {"PATH": "/usr/bin:/bin"}) == "0.169.0"
    assert versions.version(binary, {"PATH": "/usr/bin:/bin"}) == "0.169.0"
    assert versions.runs == 1
    fake_codex(binary, "0.171.0-alpha.1")  # an update: another size and mtime
    os.utime(binary, (time.time() + 5, time.time() + 5))
    assert versions.version(binary, {"PATH": "/usr/bin:/bin"}) == "0.171.0-alpha.1"
    assert versions.runs == 2


def test_a_hanging_version_is_cut_off(tmp_path: Path) -> None:
    binary = fake_codex(tmp_path / "codex", sleep_s=30)
    versions = VersionCache(timeout_s=0.5)
    started = time.monotonic()
    assert versions.version(binary, {"PATH": "/usr/bin:/bin"}) is None
    assert time.monotonic() - started < 5
    assert versions.version(binary, {"PATH": "/usr/bin:/bin"}) is None  # not tried again
    assert versions.runs == 1


def test_a_failing_or_silent_codex_has_no_version(tmp_path: Path) -> None:
    failing = tmp_path / "failing/codex"
    failing.parent.mkdir()
    failing.write_text("#!/bin/sh\necho 'codex-cli 0.169.0'\nexit 3\n")
    failing.chmod(0o755)
    assert VersionCache().version(failing, {}) is None
    assert VersionCache().version(tmp_path / "missing", {}) is None


@pytest.mark.parametrize(
    ("output", "version"),
    [
        ("codex-cli 0.169.0\n", "0.169.0"),
        ("codex-cli 0.171.0-alpha.2", "0.171.0-alpha.2"),
        ("", None),
        ("codex-cli dev", None),
    ],
)
def test_parse_version(output: str, version: str | None) -> None:
    assert parse_version(output) == version


def test_the_real_codex_cli_is_found_and_its_version_read(tmp_path: Path) -> None:
    cli = find_codex_cli()
    if cli is None:
        pytest.skip("the Codex CLI of the test set-up is not installed (.ci/setup-tests)")
    env = {"HOME": str(tmp_path), "PATH": f"{cli.parent}:{os.environ.get('PATH', '')}"}
    found = installed_codex(env, user_home=tmp_path, versions=VersionCache())
    assert found is not None and found.install.on_path
    assert found.install.kind is InstallKind.NPM
    assert found.version == default_codex_version()
    # The version Codex itself prints agrees with its package.json.
    assert VersionCache().version(_native_binary(cli), env) == default_codex_version()


def _native_binary(cli: Path) -> Path:
    """The Rust binary the npm launcher starts (so `--version` really runs)."""
    modules = cli.resolve().parents[3]  # node_modules/@openai/codex/bin/codex.js
    return next(modules.glob("@openai/codex-*/vendor/*/bin/codex"))
