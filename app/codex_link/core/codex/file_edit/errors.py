"""How a change of Codex's files says no: the file is left as it was, and `reason` says why.

The names are the HTTP-only switch's, where they began; the route fix raises the same ones,
so the window and the command line handle both alike.
"""

from __future__ import annotations

from codex_link.core.codex.file_edit.messages import config_refused
from codex_link.core.model.codex_settings import ConfigError
from codex_link.core.model.text import Text


class SwitchRefused(Exception):
    """The change will not be made; `reason` says why, in words for the user."""

    def __init__(self, reason: Text) -> None:
        super().__init__(str(reason))
        self.reason = reason


class ConfigRefused(SwitchRefused):
    """config.toml does not parse (or is not UTF-8): `error` says where, `reason` in words."""

    def __init__(self, error: ConfigError) -> None:
        super().__init__(config_refused(error))
        self.error = error


class SwitchFailed(SwitchRefused):
    """Reading or writing failed (permission denied, disk full...); nothing was changed."""
