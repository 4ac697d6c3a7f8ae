"""Where the HTTP-only switch stands, derived from one reading of Codex's settings.

A pure function of `CodexSettings` (what `load_settings` read) and the switch's record (what
`SwitchStateStore.load` read): nothing here opens a file. So the tray's check, the
`codex-link http-only status` command and the switch itself can take the switch's state from
the very reading the verdict comes from, instead of parsing config.toml a second time and
perhaps disagreeing with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codex_link.core.codex.profiles import PROFILE_FINDING_CODES
from codex_link.core.codex.switch.state import SwitchRecord
from codex_link.core.model.codex_settings import CodexSettings, ConfigError
from codex_link.core.model.findings import Severity
from codex_link.core.model.text import Text


@dataclass(frozen=True)
class SwitchStatus:
    http_only: bool  # the provider Codex uses has WebSockets off
    provider_id: str  # empty when config.toml cannot be read
    ours: bool  # the state file says we switched it, and it still is switched
    config_error: ConfigError | None
    notes: tuple[Text, ...]

    def to_json(self) -> dict[str, Any]:
        error = self.config_error
        return {
            "http_only": self.http_only,
            "provider_id": self.provider_id,
            "ours": self.ours,
            "config_error": None
            if error is None
            else {
                "path": str(error.path),
                "message": error.message,
                "line": error.line,
                "column": error.column,
            },
            "notes": [str(note) for note in self.notes],
        }


def switch_status(settings: CodexSettings, record: SwitchRecord | None) -> SwitchStatus:
    """The switch's state in `settings`; `record`: the switch's record of that config file
    (an inactive one counts as none).

    `ours` needs all three: a record of an active switch, HTTP only on, and the provider the
    record switched to still the one Codex uses (an edit that picked another provider made
    the switch someone else's). While Codex's folder or config.toml cannot be read, an active
    record still counts as ours: "off" must stay possible once the file is readable again.
    """
    active = record if record is not None and record.active else None
    home = settings.home
    # home_findings is the one source of findings about the folder itself (at most one).
    home_problem = next(
        (
            f.message
            for f in settings.findings
            if f.path == home.path and f.severity is Severity.ERROR
        ),
        None,
    )
    if home_problem is not None:
        error = ConfigError(home.path, str(home_problem))
        return SwitchStatus(False, "", active is not None, error, (home_problem,))
    if settings.config_error is not None:
        return SwitchStatus(False, "", active is not None, settings.config_error, ())
    provider = settings.provider
    http_only = not provider.supports_websockets
    ours = active is not None and http_only and active.provider_id == provider.id
    # What Codex refuses in config.toml (switching cannot help there), then the profiles
    # that pick their own provider (the switch does not reach them), in the settings' order.
    refusals = tuple(
        f.message
        for f in settings.findings
        if f.path == home.config_path and f.severity is Severity.ERROR
    )
    profiles = tuple(f.message for f in settings.findings if f.code in PROFILE_FINDING_CODES)
    return SwitchStatus(http_only, provider.id, ours, None, (*refusals, *profiles))
