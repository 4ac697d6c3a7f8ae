"""The real app on a real X server with a real tray host, in each state the harness can make.

For every state: start `python -m codex_link` (xcb) against the loopback endpoint, wait until the
tray host has embedded the icon and the app has reached the state, right-click the icon to
open the menu, left-click it to open the status window, and save screenshots of both in
tests/artifacts/xvfb/ for people to look at. The assertions are what a user would notice:
the icon sits in the tray, and the window's title carries the verdict the app reached.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.harness.endpoint import Behaviour, FakeEndpoint
from tests.ui.app_process import REPO, AppProcess, child_env
from tests.ui.xdesktop import XDesktop, missing_tools

pytestmark = pytest.mark.xvfb

ARTIFACTS = REPO / "tests/artifacts/xvfb"
PAINT_S = 0.8  # a moment for the window or menu to be painted before the screenshot


@dataclass(frozen=True)
class Scene:
    name: str
    health: str
    ws: Behaviour = Behaviour.OK
    http_only: bool = False
    custom_provider: bool = False  # with a short WebSocket connect timeout
    dead_proxy: bool = False
    offline: bool = False  # Codex's server name does not resolve
    language: str = "en"
    dark: bool = False  # the desktop's dark scheme (GTK's Adwaita dark) and a dark panel
    extra_env: dict[str, str] = field(default_factory=dict)


STATES = [
    Scene("ready_ws", "ready_ws"),
    Scene("ws_blocked", "ws_blocked", ws=Behaviour.BLACKHOLE, custom_provider=True),
    Scene("ready_http_only", "ready_http_only", http_only=True),
    Scene("down", "down", dead_proxy=True),
    Scene("offline", "offline", offline=True),
]
# Every state in both languages, in the light and the dark scheme, and the blocked state at
# 2x scaling (a HiDPI screen).
SCENES = [
    *STATES,
    *(dataclasses.replace(s, name=f"{s.name}_zh", language="zh_CN") for s in STATES),
    *(dataclasses.replace(s, name=f"{s.name}_dark", dark=True) for s in STATES),
    *(
        dataclasses.replace(s, name=f"{s.name}_zh_dark", language="zh_CN", dark=True)
        for s in STATES
    ),
    Scene(
        "ws_blocked_2x",
        "ws_blocked",
        ws=Behaviour.BLACKHOLE,
        custom_provider=True,
        extra_env={"QT_SCALE_FACTOR": "2"},
    ),
]
# How a Linux desktop without a settings portal tells Qt apps to be dark: Qt's GTK 3 theme
# plugin (it ships with PySide6) reads the GTK theme, here GTK's built-in Adwaita, dark.
DARK_ENV = {"QT_QPA_PLATFORMTHEME": "gtk3", "GTK_THEME": "Adwaita:dark"}
OFFLINE_BASE = "https://codex-link-offline.invalid/v1"


def _config(scene: Scene, endpoint: FakeEndpoint) -> str:
    base = OFFLINE_BASE if scene.offline else endpoint.base_url
    if scene.custom_provider:
        return (
            'model_provider = "loopback"\n\n'
            "[model_providers.loopback]\n"
            'name = "OpenAI"\n'
            f'base_url = "{base}"\n'
            'wire_api = "responses"\n'
            "requires_openai_auth = true\n"
            "supports_websockets = true\n"
            "websocket_connect_timeout_ms = 3000\n"
        )
    if scene.http_only:
        return (
            f'openai_base_url = "{base}"\n'
            'model_provider = "openai_http"\n\n'
            "[model_providers.openai_http]\n"
            'name = "OpenAI"\n'
            f'base_url = "{base}"\n'
            'wire_api = "responses"\n'
            "requires_openai_auth = true\n"
            "supports_websockets = false\n"
        )
    return f'openai_base_url = "{base}"\n'


@pytest.fixture
def desktop(request: pytest.FixtureRequest) -> Iterator[XDesktop]:
    """A fresh X server and tray host per test: nothing one app left behind (focus, grabs,
    the tray host's sockets) can touch the next. A dark scene gets a dark panel."""
    missing = missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"missing for the screenshot tests: {', '.join(missing)}")
        pytest.skip(f"not installed: {', '.join(missing)}")
    callspec = getattr(request.node, "callspec", None)
    scene = callspec.params.get("scene") if callspec is not None else None
    desktop = XDesktop(dark_panel=isinstance(scene, Scene) and scene.dark)
    try:
        desktop.start()
        yield desktop
    finally:
        desktop.stop()


def click_until(
    app: AppProcess,
    desktop: XDesktop,
    at: tuple[int, int],
    button: int,
    logged: str,
    attempts: int = 3,
) -> None:
    """Clicks the icon until the app logs that it reacted (a click can be lost while the
    tray host is still settling the icon)."""
    for attempt in range(attempts):
        seen = len(app.lines)
        desktop.click(*at, button=button)
        try:
            app.wait_for(logged, timeout_s=3, after=seen)
            return
        except AssertionError as exc:
            desktop.screenshot(ARTIFACTS / f"failed-click-{button}-{attempt}.png")
            if attempt == attempts - 1:
                raise AssertionError(f"{exc}\nwindows:\n{desktop.tree()}") from None


@pytest.mark.parametrize("scene", SCENES, ids=[s.name for s in SCENES])
def test_each_state_on_a_real_tray(
    scene: Scene,
    desktop: XDesktop,
    endpoint: FakeEndpoint,
    harness_ca_pem: Path,
    dead_proxy_url: str,
    tmp_path: Path,
) -> None:
    endpoint.ws_behaviour = scene.ws
    home = tmp_path / "home"
    codex = tmp_path / "codex"
    codex.mkdir()
    (codex / "config.toml").write_text(_config(scene, endpoint), encoding="utf-8")
    settings = home / ".config/codex-link/settings.json"
    settings.parent.mkdir(parents=True)
    # No notification balloons: they would cover the menu in the screenshots.
    settings.write_text(
        json.dumps({"language": scene.language, "notifications": False, "welcomed": True})
    )
    extra = {
        "DISPLAY": desktop.display,
        "QT_QPA_PLATFORM": "xcb",
        **scene.extra_env,
        **(DARK_ENV if scene.dark else {}),
    }
    if scene.dead_proxy:
        extra["HTTPS_PROXY"] = dead_proxy_url
    app = AppProcess(child_env(home, codex, harness_ca_pem, **extra), "tray")
    try:
        scheme = app.wait_for("colour scheme: ")
        assert f"colour scheme: {'dark' if scene.dark else 'light'}" in scheme, scheme
        app.wait_for("system tray available: True")
        app.wait_for("tray icon visible")
        icon = desktop.wait_for_tray_icon()
        verdict_line = app.wait_for(
            f"verdict: {scene.health}:", timeout_s=45, unless="WebSocket)"
        )  # not the provisional line
        title = verdict_line.split(f"verdict: {scene.health}: ", 1)[1].split(" | ", 1)[0]

        x, y = icon.centre
        click_until(app, desktop, (x, y), 3, "tray menu opened")
        time.sleep(PAINT_S)
        desktop.screenshot(ARTIFACTS / f"{scene.name}-menu.png")
        desktop.key("Escape")
        time.sleep(0.3)

        click_until(app, desktop, (x, y), 1, "status window shown")
        time.sleep(PAINT_S)
        desktop.screenshot(ARTIFACTS / f"{scene.name}-window.png")
        titles = desktop.window_names("Codex Link")
        assert any(title in name for name in titles), (title, titles)
        width, height = desktop.size
        for x0, y0, w, h in desktop.window_geometries("Codex Link:"):
            assert x0 >= 0 and x0 + w <= width and y0 >= 0 and y0 + h <= height, (
                scene.name,
                (x0, y0, w, h),
            )
    finally:
        code = app.stop()
    assert code == 0, app.output()


def test_artifacts_folder_is_ignored_by_git() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    import subprocess

    done = subprocess.run(
        ["git", "check-ignore", "-q", "tests/artifacts/xvfb/x.png"],
        cwd=REPO,
        check=False,
        timeout=30,
    )
    assert done.returncode == 0
