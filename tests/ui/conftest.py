"""UI test set-up: Qt's event loop drives asyncio (qasync), as in the real app.

`async def` tests run on a qasync loop built on pytest-qt's QApplication. Inside them never
call qtbot.waitSignal/waitUntil/qWait or processEvents (re-entering the running loop hangs):
await a future resolved by the signal instead (`signal_future` below).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QUrl, SignalInstance
from PySide6.QtWidgets import QApplication

from codex_link.core.codex.route_fix.fix import RouteFix
from codex_link.core.codex.settings import load_settings
from codex_link.core.codex.switch.toggle import HttpOnlySwitch
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.prefs import Language, Prefs
from codex_link.ui.autostart import Autostart
from codex_link.ui.i18n import Translations
from codex_link.ui.ports import MonitorPort
from codex_link.ui.shell import Shell
from tests.factories import FakeMonitor, checking_snapshot


def _qapplication() -> QApplication:
    existing = QApplication.instance()
    if existing is not None:
        assert isinstance(existing, QApplication)
        return existing
    return QApplication([])


@pytest.hookimpl(optionalhook=True)
def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    """pytest-asyncio hook (firstresult): the loop for async tests under tests/ui."""

    def factory() -> asyncio.AbstractEventLoop:
        loop: asyncio.AbstractEventLoop = qasync.QEventLoop(_qapplication())
        return loop

    return {"qasync": factory}


def signal_future(signal: SignalInstance) -> asyncio.Future[tuple[Any, ...]]:
    """A future resolved with the arguments of the next emission of `signal`."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def done(*args: Any) -> None:
        if not future.done():
            future.set_result(args)
        signal.disconnect(done)

    signal.connect(done)
    return future


@pytest.fixture
def english(qapp: QApplication) -> Iterator[Translations]:
    """The app-wide translator, reset to English after the test (it is global to Qt)."""
    translations = Translations(qapp)
    translations.apply("en")
    yield translations
    translations.apply("en")


@pytest.fixture
def monitor() -> FakeMonitor:
    return FakeMonitor(checking_snapshot())


@pytest.fixture
def prefs() -> Prefs:
    return Prefs(language=Language.EN, welcomed=True)


@pytest.fixture
def first_snapshot() -> Snapshot:
    return checking_snapshot()


@dataclass
class Rig:
    """A Shell on a fake monitor, with what it saved, opened and copied, for assertions."""

    shell: Shell
    monitor: FakeMonitor
    codex_home: Path
    saved: list[Prefs]
    opened: list[QUrl]
    quits: list[bool]


def make_shell(
    *,
    qapp: QApplication,
    monitor: MonitorPort,
    prefs: Prefs,
    translations: Translations,
    codex_home: Path,
    state_dir: Path,
    saved: list[Prefs],
    opened: list[QUrl],
    tray_available: bool = False,
    running_codex: Callable[[], list[str]] = list,
    switch: HttpOnlySwitch | None = None,
    route_fix: RouteFix | None = None,
    log_file: Path | None = None,
) -> Shell:
    home = CodexHome(codex_home, from_env=True)

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    return Shell(
        monitor=monitor,
        prefs=prefs,
        save_prefs=saved.append,
        switch=switch or HttpOnlySwitch(home, state_dir),
        route_fix=route_fix or RouteFix(home, state_dir),
        running_codex=running_codex,
        load_settings=lambda: load_settings(home, dict(os.environ)),
        codex_home=codex_home,
        translations=translations,
        clipboard=qapp.clipboard(),
        autostart=Autostart("linux", Path(os.environ["HOME"]), dict(os.environ)),
        tray_available=tray_available,
        open_url=open_url,
        log_file=log_file,
        find_codex=lambda: None,  # the machine's own Codex is not the test's
    )


@pytest.fixture
def tray_available() -> bool:
    """Offscreen has no tray; tests of the tray path parametrize this to True."""
    return False


@pytest.fixture
def rig(
    tray_available: bool,
    qapp: QApplication,
    english: Translations,
    monitor: FakeMonitor,
    prefs: Prefs,
    codex_home: Path,
    tmp_path: Path,
) -> Iterator[Rig]:
    saved: list[Prefs] = []
    opened: list[QUrl] = []
    shell = make_shell(
        qapp=qapp,
        monitor=monitor,
        prefs=prefs,
        translations=english,
        codex_home=codex_home,
        state_dir=tmp_path / "state",
        saved=saved,
        opened=opened,
        tray_available=tray_available,
        log_file=tmp_path / "logs/codex-link.log",
    )
    quits: list[bool] = []
    shell.quit_requested.connect(lambda: quits.append(True))
    yield Rig(shell, monitor, codex_home, saved, opened, quits)
    shell.close()
