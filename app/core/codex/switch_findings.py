"""What the switch must tell before it touches config.toml (CODEX_FACTS §1-2).

Codex refuses some files outright (a reserved provider table, the legacy root `profile` key,
an unknown or `chat` provider): switching cannot help there, so the switch refuses too and
says what to fix. Profiles that choose their own provider keep it whatever the switch does:
the user hears about them instead of finding out later.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.core.codex.config_file import ConfigParseError, read_config
from app.core.codex.home import CodexHome
from app.core.codex.providers import (
    DEFAULT_PROVIDER_ID,
    RESERVED_PROVIDER_IDS,
    provider_tables,
    resolve_provider,
)
from app.core.text import QT_TRANSLATE_NOOP, Text, text


def codex_refusals(config_path: Path, data: Mapping[str, Any]) -> list[Text]:
    """Reasons Codex itself would refuse this config.toml (so switching cannot help)."""
    path = str(config_path)
    found: list[Text] = []
    tables = data.get("model_providers")
    if tables is not None and not isinstance(tables, Mapping):
        found.append(text(QT_TRANSLATE_NOOP(
            "CodexLink", "Codex will not load {path}: model_providers is not a table."),
            path=path))
    for reserved in sorted(RESERVED_PROVIDER_IDS & set(provider_tables(data))):
        found.append(text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "Codex will not load {path}: it defines [model_providers.{provider}], an id "
            "reserved for a provider built into Codex. Remove or rename that table first."),
            path=path, provider=reserved))
    if "profile" in data:
        found.append(text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "Codex will not load {path}: the root key profile = ... is no longer "
            "supported. Remove it, and start Codex with --profile NAME instead."),
            path=path))
    selector = data.get("model_provider", DEFAULT_PROVIDER_ID)
    if not isinstance(selector, str):
        found.append(text(QT_TRANSLATE_NOOP(
            "CodexLink", "Codex will not load {path}: model_provider is not a text value."),
            path=path))
        return found
    provider = resolve_provider(data)
    table = provider_tables(data).get(provider.id)
    if not provider.builtin and table is None:
        found.append(text(QT_TRANSLATE_NOOP(
            "CodexLink",
            "Codex will not start: model_provider = \"{provider}\" names a provider that "
            "{path} does not define."), provider=provider.id, path=path))
    elif not provider.builtin and table is not None:
        if table.get("wire_api", "responses") != "responses":
            found.append(text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "Codex will not load {path}: provider \"{provider}\" uses wire_api = "
                "\"{wire_api}\", which Codex no longer supports (only \"responses\")."),
                path=path, provider=provider.id, wire_api=str(table.get("wire_api"))))
        if not isinstance(table.get("name"), str):
            found.append(text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "Codex will not load {path}: provider \"{provider}\" has no name."),
                path=path, provider=provider.id))
    return found

def profile_notes(home: CodexHome, data: Mapping[str, Any]) -> list[Text]:
    """Profiles that pick their own provider: the switch does not change those runs."""
    notes: list[Text] = []
    profiles = data.get("profiles")
    if isinstance(profiles, Mapping):
        for name, table in profiles.items():
            if isinstance(table, Mapping) and isinstance(table.get("model_provider"), str):
                notes.append(text(QT_TRANSLATE_NOOP(
                    "CodexLink",
                    "The old-style profile table [profiles.{name}] in {path} sets "
                    "model_provider = \"{provider}\"; the switch does not change it."),
                    name=name, path=str(home.config_path), provider=table["model_provider"]))
    if not home.exists():
        return notes
    for profile_file in sorted(home.path.glob("*.config.toml")):
        name = profile_file.name.removesuffix(".config.toml")
        try:
            profile = read_config(profile_file)
        except (ConfigParseError, OSError):
            notes.append(text(QT_TRANSLATE_NOOP(
                "CodexLink", "Could not read the profile file {path}."),
                path=str(profile_file)))
            continue
        chosen = profile.data.get("model_provider") if profile is not None else None
        if isinstance(chosen, str):
            notes.append(text(QT_TRANSLATE_NOOP(
                "CodexLink",
                "When Codex starts with --profile {name}, it uses provider \"{provider}\" "
                "from {path}; the switch does not change that file."),
                name=name, provider=chosen, path=str(profile_file)))
    return notes
