"""One Codex Link per user: a second launch asks the running one to show its window.

A local socket carries one short message ("show"). The name is per user and per settings
folder, so two users, or two isolated test homes, never meet. A socket left behind by a crash
is detected (nobody answers) and reclaimed.

On Linux and macOS the socket is a plain Unix socket file, served by Python's own socket
module (instance_socket.py): Qt's network module would cost the idle tray some 3 MB for this
alone. On Windows, where the socket is a named pipe, Qt's QLocalServer serves it
(instance_pipe.py). Both speak the same bytes, so either side can be the other kind.
"""

from __future__ import annotations

import getpass
import hashlib
import sys
from pathlib import Path

from codex_link.ui.instance_server import SHOW_MESSAGE, InstanceServer


def instance_name(config_dir: Path) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = "user"
    digest = hashlib.sha256(f"{user}\0{config_dir}".encode()).hexdigest()[:16]
    return f"codex-link-{digest}"


def instance_server(name: str) -> InstanceServer:
    # Each kind is imported only where it is used: QtNetwork (the pipe) costs some 3 MB.
    if sys.platform == "win32":
        from codex_link.ui.instance_pipe import PipeInstanceServer

        return PipeInstanceServer(name)
    from codex_link.ui.instance_socket import SocketInstanceServer

    return SocketInstanceServer(name)


def ask_running_instance(name: str, message: bytes = SHOW_MESSAGE) -> bool:
    """True if an instance answered under `name` and got the message."""
    if sys.platform == "win32":
        from codex_link.ui.instance_pipe import ask_over_pipe

        return ask_over_pipe(name, message)
    from codex_link.ui.instance_socket import ask_over_socket

    return ask_over_socket(name, message)
