"""A real X desktop for screenshots and benchmarks: Xvfb plus the `trayer` tray host.

Each process is started here, waited for with a deadline, and killed on `stop()`.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.harness.processes import end_process

TOOLS = ("Xvfb", "trayer", "xdotool", "xwininfo", "import")
TRAYER_ARGS = (
    "--edge",
    "bottom",
    "--align",
    "right",
    "--SetDockType",
    "true",
    "--expand",
    "true",
    "--widthtype",
    "request",
    "--transparent",
    "false",
    "--tint",
    "0xffffff",
)
# A dark panel, as dark desktop themes draw it: the tint alone, fully opaque.
DARK_TRAYER_ARGS = (
    *TRAYER_ARGS[:-4],
    "--transparent",
    "true",
    "--alpha",
    "0",
    "--tint",
    "0x202124",
)
START_TIMEOUT_S = 10.0


class DesktopUnavailable(Exception):
    pass


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@dataclass(frozen=True, slots=True)
class TrayIconWindow:
    x: int
    y: int
    width: int
    height: int

    @property
    def centre(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2


def _wait(predicate: object, what: str, timeout_s: float = START_TIMEOUT_S) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise DesktopUnavailable(f"{what} did not come up within {timeout_s} s")


class XDesktop:
    def __init__(self, width: int = 1280, height: int = 800, *, dark_panel: bool = False) -> None:
        self.size = (width, height)
        self.dark_panel = dark_panel
        self.display = ""
        self._xvfb: subprocess.Popen[bytes] | None = None
        self._trayer: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.display}

    def _start_xvfb(self) -> None:
        """Xvfb picks a free display itself (-displayfd) and reports it once it accepts
        clients: no guessing, no race with other X servers on the machine. -noreset: without
        it the server resets whenever its last client leaves (a probe, a test's app), and a
        client connecting during the reset is refused."""
        width, height = self.size
        read_end, write_end = os.pipe()
        try:
            self._xvfb = subprocess.Popen(
                [
                    "Xvfb",
                    "-displayfd",
                    str(write_end),
                    "-screen",
                    "0",
                    f"{width}x{height}x24",
                    "-nolisten",
                    "tcp",
                    "-noreset",
                ],
                pass_fds=(write_end,),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            os.close(write_end)
            write_end = -1
            # Read up to the newline: Xvfb may write the number and the newline separately,
            # and dies ("cannot write display number") if the pipe is closed in between.
            received = b""
            deadline = time.monotonic() + START_TIMEOUT_S
            while b"\n" not in received and time.monotonic() < deadline:
                ready, _, _ = select.select([read_end], [], [], 0.1)
                if ready:
                    chunk = os.read(read_end, 64)
                    if not chunk:
                        break
                    received += chunk
            number = received.decode().strip()
        finally:
            os.close(read_end)
            if write_end != -1:
                os.close(write_end)
        if not number.isdigit():
            raise DesktopUnavailable(f"Xvfb did not report a display within {START_TIMEOUT_S} s")
        self.display = f":{number}"

    def start(self, attempts: int = 3) -> XDesktop:
        """Starts Xvfb and trayer; a server that dies right after start-up (Xvfb does, now
        and then, when a display number was just freed) is replaced, a few times at most."""
        for attempt in range(attempts):
            try:
                return self._start_once()
            except DesktopUnavailable:
                self.stop()
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def _start_once(self) -> XDesktop:
        self._start_xvfb()
        self._trayer = subprocess.Popen(
            ["trayer", *(DARK_TRAYER_ARGS if self.dark_panel else TRAYER_ARGS)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

        def trayer_up() -> bool:
            assert self._trayer is not None and self._xvfb is not None
            if self._xvfb.poll() is not None:
                error = self._xvfb.stderr.read().decode()[-500:] if self._xvfb.stderr else ""
                raise DesktopUnavailable(
                    f"Xvfb {self.display} exited ({self._xvfb.returncode}): {error}"
                )
            if self._trayer.poll() is not None:
                error = self._trayer.stderr.read().decode() if self._trayer.stderr else ""
                raise DesktopUnavailable(f"trayer exited ({self._trayer.returncode}): {error}")
            return self._run("xdotool", "search", "--class", "trayer").returncode == 0

        _wait(trayer_up, "trayer")
        return self

    def stop(self) -> None:
        for process in (self._trayer, self._xvfb):
            if process is not None:
                end_process(process, 5)
                if process.stderr is not None:
                    process.stderr.close()  # read only when it died; left open it would warn

    def _run(self, *argv: str, timeout_s: float = 10.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, env=self.env, capture_output=True, text=True, timeout=timeout_s, check=False
        )

    def tree(self) -> str:
        return self._run("xwininfo", "-root", "-tree").stdout

    def tray_icon(self, title: str = "Codex Link") -> TrayIconWindow | None:
        """The icon window the tray host embedded (a child of trayer's panel), if any."""
        tree = self.tree().splitlines()
        panel_indent: int | None = None
        for line in tree:
            indent = len(line) - len(line.lstrip())
            if '"panel"' in line and "trayer" in line:
                panel_indent = indent
                continue
            if panel_indent is not None and indent <= panel_indent:
                panel_indent = None
            if panel_indent is not None and f'"{title}"' in line:
                match = re.search(r"(\d+)x(\d+)\+-?\d+\+-?\d+\s+\+(-?\d+)\+(-?\d+)", line)
                if match:
                    w, h, x, y = (int(g) for g in match.groups())
                    return TrayIconWindow(x, y, w, h)
        return None

    def wait_for_tray_icon(self, timeout_s: float = START_TIMEOUT_S) -> TrayIconWindow:
        """The embedded icon once the tray host has stopped moving it: trayer grows its panel
        after embedding, so the first geometry seen can be off-screen."""
        width, height = self.size
        seen: list[TrayIconWindow | None] = [None]

        def settled() -> bool:
            icon = self.tray_icon()
            previous, seen[0] = seen[0], icon
            inside = (
                icon is not None
                and icon.width > 1
                and icon.x >= 0
                and icon.y >= 0
                and icon.x + icon.width <= width
                and icon.y + icon.height <= height
            )
            if inside and icon == previous:
                return True
            time.sleep(0.15)
            return False

        _wait(settled, "the embedded tray icon", timeout_s)
        icon = seen[0]
        assert icon is not None
        return icon

    def click(self, x: int, y: int, button: int = 1) -> None:
        # Move away first: a window mapped under a pointer that never moved gets no enter
        # event, and the click can be lost.
        self._run("xdotool", "mousemove", "0", "0")
        self._run("xdotool", "mousemove", str(x), str(y), "click", str(button))

    def key(self, name: str) -> None:
        self._run("xdotool", "key", name)

    def window_names(self, pattern: str) -> list[str]:
        ids = self._run("xdotool", "search", "--onlyvisible", "--name", pattern).stdout.split()
        return [self._run("xdotool", "getwindowname", i).stdout.strip() for i in ids]

    def window_geometries(self, pattern: str) -> list[tuple[int, int, int, int]]:
        """(x, y, width, height) of each visible window whose name matches `pattern`."""
        found = []
        ids = self._run("xdotool", "search", "--onlyvisible", "--name", pattern).stdout.split()
        for window in ids:
            out = self._run("xdotool", "getwindowgeometry", "--shell", window).stdout
            values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
            found.append(
                (int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"]))
            )
        return found

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        done = self._run("import", "-window", "root", str(path), timeout_s=30)
        if done.returncode != 0:
            raise RuntimeError(f"import failed: {done.stderr}")
        return path
