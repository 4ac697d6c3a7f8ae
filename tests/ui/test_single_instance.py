"""One Codex Link per user: a later launch reaches the running one; a crash's leftover
socket does not block the next start."""

from __future__ import annotations

import asyncio
import socket
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtWidgets import QApplication

from codex_link.ui.single_instance import InstanceServer, ask_running_instance, instance_name
from tests.ui.conftest import signal_future


def _name() -> str:
    return f"codex-link-test-{uuid.uuid4().hex[:12]}"


async def test_a_second_launch_asks_the_first_to_show(qapp: QApplication) -> None:
    first = InstanceServer(_name())
    assert first.listen()
    shown = signal_future(first.show_requested)
    second = InstanceServer(first.name)
    assert not second.listen()  # the name is taken by a live instance
    assert ask_running_instance(first.name)
    await asyncio.wait_for(shown, 5)
    first.close()
    assert not ask_running_instance(first.name)


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file behind")
def test_a_leftover_socket_file_is_reclaimed(qapp: QApplication) -> None:
    name = _name()
    path = Path(QDir.tempPath()) / name
    leftover = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    leftover.bind(str(path))  # bound, never listening: like a crashed instance's file
    leftover.close()
    assert path.exists()
    server = InstanceServer(name)
    try:
        assert server.listen()
    finally:
        server.close()


def test_the_name_differs_per_settings_folder(tmp_path: Path) -> None:
    assert instance_name(tmp_path / "a") != instance_name(tmp_path / "b")
    assert instance_name(tmp_path / "a") == instance_name(tmp_path / "a")
