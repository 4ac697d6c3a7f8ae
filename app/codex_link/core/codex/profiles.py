"""Profiles that choose their own provider, so the HTTP-only switch does not reach them.

Codex 0.169: a profile is a file `$CODEX_HOME/<name>.config.toml`, used for one run with
`codex --profile <name>`; its `model_provider` wins over config.toml for that run. Old-style
`[profiles.<name>]` tables in config.toml still load but are no longer used (and make
`--profile <name>` fail); older Codex versions used them. The switch edits only config.toml's
root `model_provider`, so both kinds are shown to the user rather than hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from codex_link.core.codex.config_file import ConfigParseError, read_config
from codex_link.core.codex.findings import where
from codex_link.core.codex.providers import provider_tables, resolve_provider
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.codex_settings import ProfileChoice
from codex_link.core.model.findings import Finding, Severity
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, TextArg, text

PROFILE_SUFFIX = ".config.toml"

# What these checks say, by finding code (stable codes, as in `findings`).
SENTENCES: dict[str, str] = {
    "profile_malformed": QT_TRANSLATE_NOOP(
        "CodexLink",
        "Profile file {path} is not valid TOML ({where}): codex --profile {name} will not start.",
    ),
    "profile_malformed_nowhere": QT_TRANSLATE_NOOP(
        "CodexLink", "Profile file {path} is not valid TOML: codex --profile {name} will not start."
    ),
    "profile_sets_provider": QT_TRANSLATE_NOOP(
        "CodexLink",
        "When you start Codex with --profile {name}, it uses provider "
        '"{provider}" from {path}, so the HTTP-only switch does not apply '
        "to those runs.",
    ),
    "legacy_profile_table": QT_TRANSLATE_NOOP(
        "CodexLink",
        "config.toml has an old-style [profiles.{name}] table that picks "
        'provider "{provider}". Current Codex ignores it (and refuses '
        "--profile {name} while it is there); older Codex versions use it "
        "instead of the HTTP-only switch.",
    ),
}

# Every finding `find_profiles` makes: profiles the HTTP-only switch does not reach.
PROFILE_FINDING_CODES = frozenset(code for code in SENTENCES if not code.endswith("_nowhere"))


def _say(sentence: str, **args: TextArg) -> Text:
    return text(SENTENCES[sentence], **args)


def find_profiles(
    home: CodexHome, config: Mapping[str, Any]
) -> tuple[tuple[ProfileChoice, ...], list[Finding]]:
    """Profile files and legacy profile tables that set `model_provider`, with findings."""
    choices: list[ProfileChoice] = []
    findings: list[Finding] = []
    for path in _profile_files(home):
        name = path.name[: -len(PROFILE_SUFFIX)]
        try:
            parsed = read_config(path)
        except ConfigParseError as exc:
            position = where(exc.error)
            message = (
                _say("profile_malformed_nowhere", path=str(path), name=name)
                if position is None
                else _say("profile_malformed", path=str(path), where=position, name=name)
            )
            findings.append(Finding("profile_malformed", Severity.WARNING, message, path))
            continue
        except OSError:
            continue  # unreadable profile: Codex only needs it with --profile
        if parsed is None:
            continue
        provider_id = parsed.data.get("model_provider")
        if not isinstance(provider_id, str) or not provider_id:
            continue
        choices.append(ProfileChoice(name, provider_id, path, legacy_table=False))
        merged = {"model_providers": {**provider_tables(config), **provider_tables(parsed.data)}}
        uses_websockets = resolve_provider(merged, provider_id).supports_websockets
        findings.append(
            Finding(
                "profile_sets_provider",
                Severity.WARNING if uses_websockets else Severity.INFO,
                _say("profile_sets_provider", name=name, provider=provider_id, path=path.name),
                path,
            )
        )
    legacy = config.get("profiles")
    if isinstance(legacy, Mapping):
        for name, table in legacy.items():
            if not isinstance(table, Mapping):
                continue
            provider_id = table.get("model_provider")
            if not isinstance(provider_id, str) or not provider_id:
                continue
            choices.append(ProfileChoice(name, provider_id, home.config_path, legacy_table=True))
            findings.append(
                Finding(
                    "legacy_profile_table",
                    Severity.INFO,
                    _say("legacy_profile_table", name=name, provider=provider_id),
                    home.config_path,
                )
            )
    return tuple(choices), findings


def _profile_files(home: CodexHome) -> list[Path]:
    try:
        entries = sorted(home.path.glob(f"*{PROFILE_SUFFIX}"))
    except OSError:
        return []
    return [p for p in entries if len(p.name) > len(PROFILE_SUFFIX) and p.is_file()]
