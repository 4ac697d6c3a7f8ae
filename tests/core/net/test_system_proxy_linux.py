"""The Linux path for real: process environment, kioslaverc, real gsettings, bounded commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from codex_link.core.codex.dotenv import parse_dotenv
from codex_link.core.model.probe import RouteKind, SystemSettings
from codex_link.core.net.routes import codex_routes
from codex_link.core.net.system_proxy import read_system_proxy, run_command

HTTP_URL = "https://chatgpt.com/backend-api/codex/responses"
WS_URL = "wss://chatgpt.com/backend-api/codex/responses"


def test_real_process_environment_and_a_real_dotenv_file(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:7890")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:8080")
    codex_home = isolated_home / ".codex"
    codex_home.mkdir()
    (codex_home / ".env").write_text(
        "# stale, from last month\nHTTPS_PROXY=127.0.0.1:1080\nCODEX_HOME=/elsewhere\n"
    )
    dotenv = dict(parse_dotenv((codex_home / ".env").read_text()))
    system = read_system_proxy(platform="linux", env=os.environ)
    found = codex_routes(
        http_url=HTTP_URL,
        ws_url=WS_URL,
        env=os.environ,
        dotenv=dotenv,
        system=system,
        respect_system_proxy=False,
        platform="linux",
    )
    assert system is None  # no desktop session in this environment
    assert found.websocket.proxy_url == "127.0.0.1:1080"
    assert found.websocket.source == "HTTPS_PROXY ($CODEX_HOME/.env)"
    assert found.http.proxy_url == "http://127.0.0.1:1080"
    assert {f.code for f in found.findings} == {"websocket_proxy_without_scheme"}


def test_real_kioslaverc_in_the_home_folder(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "kioslaverc").write_text(
        "[Proxy Settings]\nNoProxyFor=localhost,.lan\nProxyType=1\n"
        "httpProxy=http://127.0.0.1 3128\nhttpsProxy=http://127.0.0.1 3128\n"
        "socksProxy=socks://127.0.0.1 1080\n"
    )
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    system = read_system_proxy(platform="linux", env=os.environ)
    assert system is not None
    assert (system.https, system.socks, system.source) == (
        "http://127.0.0.1:3128",
        "socks5://127.0.0.1:1080",
        SystemSettings.KDE,
    )
    found = codex_routes(
        http_url=HTTP_URL,
        ws_url=WS_URL,
        env=os.environ,
        dotenv={},
        system=system,
        respect_system_proxy=False,
        platform="linux",
    )
    assert found.websocket.kind is RouteKind.DIRECT  # Codex ignores desktop settings on Linux
    assert [r.proxy_url for r in found.alternatives] == ["http://127.0.0.1:3128"]
    (config / "kioslaverc").write_text("[Proxy Settings]\nProxyType=0\n")
    assert read_system_proxy(platform="linux", env=os.environ) is None


def _gsettings_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DBUS")}
    env.update(
        GSETTINGS_BACKEND="keyfile",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CURRENT_DESKTOP="ubuntu:GNOME",
    )
    return env


def _gsettings_ready(env: dict[str, str]) -> bool:
    if shutil.which("gsettings") is None:
        return False
    return run_command(("gsettings", "get", "org.gnome.system.proxy", "mode"), env, 5.0) is not None


def test_real_gsettings_manual_proxy(tmp_path: Path) -> None:
    env = _gsettings_env(tmp_path)
    if not _gsettings_ready(env):
        if os.environ.get("CI"):
            pytest.fail(
                "gsettings with the GNOME proxy schema is missing (see .ci/system-packages.txt)"
            )
        pytest.skip("gsettings or gsettings-desktop-schemas is not installed")
    assert read_system_proxy(platform="linux", env=env) is None  # default mode is 'none'
    for args in (
        ("org.gnome.system.proxy", "mode", "manual"),
        ("org.gnome.system.proxy.http", "host", "127.0.0.1"),
        ("org.gnome.system.proxy.http", "port", "7890"),
        ("org.gnome.system.proxy.socks", "host", "::1"),
        ("org.gnome.system.proxy.socks", "port", "7891"),
        ("org.gnome.system.proxy", "ignore-hosts", "['localhost', '*.lan']"),
    ):
        subprocess.run(["gsettings", "set", *args], env=env, check=True, timeout=10)
    system = read_system_proxy(platform="linux", env=env)
    assert system is not None
    assert (system.http, system.https, system.socks) == (
        "http://127.0.0.1:7890",
        "http://127.0.0.1:7890",
        "socks5://[::1]:7891",
    )
    assert system.bypass == ("localhost", "*.lan")
    assert system.source is SystemSettings.GNOME


def test_commands_are_bounded_and_failures_read_as_nothing(tmp_path: Path) -> None:
    started = time.monotonic()
    assert run_command(("sleep", "5"), dict(os.environ), 0.3) is None
    assert time.monotonic() - started < 4  # not the 5 s the command would take
    assert run_command(("/nonexistent/gsettings",), {}, 1.0) is None
    assert run_command(("false",), dict(os.environ), 1.0) is None

    def hanging(argv: object, env: object, timeout_s: float) -> str | None:
        return run_command(("sleep", "5"), dict(os.environ), min(timeout_s, 0.3))

    env = {"XDG_CURRENT_DESKTOP": "GNOME", "HOME": str(tmp_path)}
    assert read_system_proxy(platform="linux", env=env, run=hanging) is None
    assert read_system_proxy(platform="darwin", env=env, run=hanging) is None


def test_dispatch_per_platform_with_recorded_inputs(tmp_path: Path) -> None:
    recorded = Path(__file__).parent / "recorded"
    calls: list[tuple[str, ...]] = []

    def scutil(argv: object, env: object, timeout_s: float) -> str | None:
        assert isinstance(argv, tuple)
        calls.append(argv)
        return (recorded / "scutil_clashx.txt").read_text()

    mac = read_system_proxy(platform="darwin", env={}, run=scutil)
    assert mac is not None and mac.https == "http://127.0.0.1:7890"
    assert calls == [("scutil", "--proxy")]

    windows = read_system_proxy(
        platform="win32",
        env={},
        read_registry=lambda: {"ProxyEnable": 1, "ProxyServer": "127.0.0.1:7890"},
    )
    assert windows is not None and windows.source is SystemSettings.WINDOWS

    def broken() -> dict[str, object]:
        raise PermissionError("registry locked")

    assert read_system_proxy(platform="win32", env={}, read_registry=broken) is None
    assert read_system_proxy(platform="win32", env={}) is None  # no winreg on this machine
    assert read_system_proxy(platform="sunos5", env={}) is None
    assert (
        read_system_proxy(platform="linux", env={"XDG_CURRENT_DESKTOP": "XFCE"}, run=scutil) is None
    )
    assert len(calls) == 1  # no command is run for a desktop without proxy settings
