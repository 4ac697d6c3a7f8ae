"""What the UI needs of the monitor, as a protocol: the UI is tested against a small fake of it,
and the composition root (app.py) plugs in the real `Monitor`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from codex_link.core.model.snapshot import Snapshot
from codex_link.core.prefs import Prefs

type Listener = Callable[[Snapshot], None]


class MonitorPort(Protocol):
    @property
    def snapshot(self) -> Snapshot: ...

    def subscribe(self, listener: Listener) -> Callable[[], None]: ...

    def check_now(self) -> object: ...

    def config_changed(self) -> object: ...

    def set_prefs(self, prefs: Prefs) -> object: ...
