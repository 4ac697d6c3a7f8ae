"""One Codex Link per user: a later launch reaches the running one; a crash's leftover
socket does not block the next start. Linux and macOS serve the socket with Python's socket
module, Windows with Qt's QLocalServer; both run here, and each understands the other (a new
version started while an old one runs still finds it)."""

from __future__ import annotations

import asyncio
import socket
import stat
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtWidgets import QApplication

from codex_link.ui.instance_pipe import PipeInstanceServer, ask_over_pipe
from codex_link.ui.instance_server import InstanceServer
from codex_link.ui.instance_socket import (
    CALLER_TIMEOUT_MS,
    SocketInstanceServer,
    ask_over_socket,
    socket_path,
)
from codex_link.ui.single_instance import (
    ask_running_instance,
    instance_name,
    instance_server,
)
from tests.ui.conftest import signal_future

KINDS: list[tuple[type[InstanceServer], Callable[..., bool]]] = [
    (SocketInstanceServer, ask_over_socket),
    (PipeInstanceServer, ask_over_pipe),
]
unix_only = pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file")


def _name() -> str:
    return f"codex-link-test-{uuid.uuid4().hex[:12]}"


async def test_a_second_launch_asks_the_first_to_show(qapp: QApplication) -> None:
    first = instance_server(_name())
    assert first.listen()
    shown = signal_future(first.show_requested)
    second = instance_server(first.name)
    assert not second.listen()  # the name is taken by a live instance
    assert ask_running_instance(first.name)
    await asyncio.wait_for(shown, 5)
    first.close()
    assert not ask_running_instance(first.name)


@pytest.mark.parametrize(
    ("server_kind", "ask"),
    [
        (SocketInstanceServer, ask_over_pipe),
        (PipeInstanceServer, ask_over_socket),
    ],
    ids=["python-server-qt-caller", "qt-server-python-caller"],
)
async def test_either_kind_reaches_the_other(
    qapp: QApplication, server_kind: type[InstanceServer], ask: Callable[..., bool]
) -> None:
    if sys.platform == "win32":
        pytest.skip("no Unix socket on Windows")
    server = server_kind(_name())
    assert server.listen()
    try:
        shown = signal_future(server.show_requested)
        assert ask(server.name)
        await asyncio.wait_for(shown, 5)
    finally:
        server.close()


@unix_only
@pytest.mark.parametrize(("kind", "ask"), KINDS, ids=["python", "qt"])
def test_a_leftover_socket_file_is_reclaimed(
    qapp: QApplication, kind: type[InstanceServer], ask: Callable[..., bool]
) -> None:
    name = _name()
    path = Path(QDir.tempPath()) / name
    leftover = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    leftover.bind(str(path))  # bound, never listening: like a crashed instance's file
    leftover.close()
    assert path.exists()
    assert not ask(name)  # nobody answers there
    server = kind(name)
    try:
        assert server.listen()
        assert ask(name)
    finally:
        server.close()


@unix_only
def test_only_its_owner_can_reach_the_socket(qapp: QApplication) -> None:
    server = SocketInstanceServer(_name())
    assert server.listen()
    try:
        mode = stat.S_IMODE(socket_path(server.name).stat().st_mode)
        assert mode & 0o077 == 0, oct(mode)
    finally:
        server.close()
    assert not socket_path(server.name).exists()  # closing leaves nothing behind


@unix_only
async def test_a_caller_that_says_nothing_blocks_no_one(qapp: QApplication) -> None:
    """A process that connects and never writes (or writes garbage) neither hangs the tray
    nor keeps the next launch from being heard."""
    server = SocketInstanceServer(_name())
    assert server.listen()
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    noisy = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        silent.connect(str(server.path))
        noisy.connect(str(server.path))
        noisy.sendall(b"x" * 200)  # no line, too long: dropped
        shown = signal_future(server.show_requested)
        started = time.monotonic()
        assert ask_over_socket(server.name)
        await asyncio.wait_for(shown, 5)
        # Heard before the silent caller would have been dropped: it did not hold the server.
        assert time.monotonic() - started < CALLER_TIMEOUT_MS / 1000
    finally:
        silent.close()
        noisy.close()
        server.close()


def test_the_name_differs_per_settings_folder(tmp_path: Path) -> None:
    assert instance_name(tmp_path / "a") != instance_name(tmp_path / "b")
    assert instance_name(tmp_path / "a") == instance_name(tmp_path / "a")
