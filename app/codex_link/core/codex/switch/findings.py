"""What the switch must tell before it touches config.toml (CODEX_FACTS §1-2).

Codex refuses some files outright (a reserved provider table, the legacy root `profile` key,
an unknown or `chat` provider...): switching cannot help there, so the switch refuses too and
passes on what to fix. Profiles that choose their own provider keep it whatever the switch
does: the user hears about them instead of finding out later. The checks themselves are the
settings' own (`findings`, `profiles`), so the tray, `codex-link config` and the switch
always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from codex_link.core.codex.findings import config_findings
from codex_link.core.codex.profiles import find_profiles
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.findings import Severity
from codex_link.core.model.text import Text


def codex_refusals(config_path: Path, data: Mapping[str, Any]) -> list[Text]:
    """Reasons Codex itself would refuse this config.toml (so switching cannot help)."""
    return [
        finding.message
        for finding in config_findings(data, config_path)
        if finding.severity is Severity.ERROR
    ]


def profile_notes(home: CodexHome, data: Mapping[str, Any]) -> list[Text]:
    """Profiles that pick their own provider: the switch does not change those runs."""
    _choices, findings = find_profiles(home, data)
    return [finding.message for finding in findings]
