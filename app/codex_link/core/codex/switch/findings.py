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
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, text

# The top-level keys of config.toml that the switch and its checks read: the provider
# (`providers`), Codex's refusals (`findings.config_findings`) and the profiles (`profiles`).
# The switch parses a big file keeping only these (`toml_chunks`); a check that reads another
# key must add it here (tests/core/codex/test_toml_chunks.py watches the reads).
SWITCH_KEYS = frozenset({
    "model_provider", "model_providers", "openai_base_url", "profile", "profiles",
    "approval_policy", "features",
})


def codex_refusals(config_path: Path, data: Mapping[str, Any]) -> list[Text]:
    """Reasons Codex itself would refuse this config.toml (so switching cannot help)."""
    shape = _shape_problem(config_path, data)
    found = [shape] if shape is not None else []
    return found + [
        finding.message
        for finding in config_findings(data, config_path)
        if finding.severity is Severity.ERROR
    ]


def profile_notes(home: CodexHome, data: Mapping[str, Any]) -> list[Text]:
    """Profiles that pick their own provider: the switch does not change those runs."""
    _choices, findings = find_profiles(home, data)
    return [finding.message for finding in findings]


def _shape_problem(config_path: Path, data: Mapping[str, Any]) -> Text | None:
    """The two keys the switch edits, holding something other than Codex accepts.

    The settings read these leniently (a wrong type counts as unset); the switch must not:
    it would overwrite a value the user wrote, or write a table where there is none.
    """
    if "model_providers" in data and not isinstance(data["model_providers"], Mapping):
        return text(QT_TRANSLATE_NOOP(
            "CodexLink", "Codex will not load {path}: model_providers is not a table."),
            path=str(config_path))
    if "model_provider" in data and not isinstance(data["model_provider"], str):
        return text(QT_TRANSLATE_NOOP(
            "CodexLink", "Codex will not load {path}: model_provider is not a text value."),
            path=str(config_path))
    return None
