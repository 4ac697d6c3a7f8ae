"""What in Codex's files a user must hear about: pure checks over parsed data.

Each finding has a stable `code` (scripts and tests rely on it) and a translatable message.
ERROR means Codex 0.169 refuses to load its config (each case checked with the real CLI:
`codex doctor` reports `config.load` failed); WARNING means Codex runs but not as the user
expects; INFO is worth knowing.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from codex_link.core.codex.dotenv import dotenv_entries
from codex_link.core.codex.providers import (
    RESERVED_PROVIDER_IDS,
    active_provider_id,
    is_known_provider,
    provider_tables,
    resolve_provider,
)
from codex_link.core.codex.route_fix.dotenv_edit import NO_PROXY, marked_starts
from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.codex_settings import ConfigError
from codex_link.core.model.codex_versions import DEFAULT, CodexFacts
from codex_link.core.model.findings import Finding, Severity
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, TextArg, text
from codex_link.core.redact import redact_url

# Every sentence these checks say, by finding code (the codes are stable; see above).
SENTENCES: dict[str, str] = {
    "codex_home_missing": QT_TRANSLATE_NOOP(
        "CodexLink",
        "CODEX_HOME points to {path}, which does not exist. Codex will not start until "
        "that folder exists or CODEX_HOME is removed.",
    ),
    "codex_home_not_a_folder_env": QT_TRANSLATE_NOOP(
        "CodexLink",
        "CODEX_HOME points to {path}, which is a file, not a folder. Codex will not "
        "start until CODEX_HOME names a folder.",
    ),
    "codex_home_not_a_folder": QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} is a file, but Codex keeps its settings in a folder of that name. Codex "
        "will not start until it is a folder.",
    ),
    "codex_home_unreadable": QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex's folder {path} cannot be opened ({reason}). Codex cannot read its "
        "settings or sign-in there either: give your user access to it (for example "
        "chmod u+rwx), then try again.",
    ),
    "config_unreadable": QT_TRANSLATE_NOOP("CodexLink", "Codex cannot read {path}: {reason}."),
    "config_malformed": QT_TRANSLATE_NOOP(
        "CodexLink",
        "{path} is not valid TOML ({where}): {reason}. Codex will not start until it is fixed.",
    ),
    "config_malformed_nowhere": QT_TRANSLATE_NOOP(
        "CodexLink", "{path} is not valid TOML: {reason}. Codex will not start until it is fixed."
    ),
    "model_providers_not_table": QT_TRANSLATE_NOOP(
        "CodexLink", "Codex will not load {path}: model_providers is not a table."
    ),
    "model_provider_not_text": QT_TRANSLATE_NOOP(
        "CodexLink", "Codex will not load {path}: model_provider is not a text value."
    ),
    "root_profile_key": QT_TRANSLATE_NOOP(
        "CodexLink",
        'config.toml sets profile = "{name}" at the top. Current Codex refuses '
        "to start with it: remove that line and start Codex with "
        "--profile {name} instead.",
    ),
    "approval_policy_removed": QT_TRANSLATE_NOOP(
        "CodexLink",
        'config.toml sets approval_policy = "{value}", which Codex no longer '
        "supports: it will not start until that line is removed or changed "
        '(for example to "on-request").',
    ),
    "unknown_provider": QT_TRANSLATE_NOOP(
        "CodexLink",
        'config.toml selects model_provider = "{provider}", but no such '
        "provider is defined. Codex will not start.",
    ),
    "reserved_provider_table": QT_TRANSLATE_NOOP(
        "CodexLink",
        "config.toml defines [model_providers.{provider}], a name reserved "
        "for Codex's built-in provider. Current Codex will not load the "
        "file: rename that table (for example to {provider}-custom).",
    ),
    "bedrock_table_fields": QT_TRANSLATE_NOOP(
        "CodexLink",
        "[model_providers.amazon-bedrock] sets {fields}, which Codex "
        "does not allow there. Codex will not load the file.",
    ),
    "provider_name_missing": QT_TRANSLATE_NOOP(
        "CodexLink",
        "[model_providers.{provider}] has no name. Codex will not load "
        'the file until it has one, e.g. name = "{provider}".',
    ),
    "wire_api_chat": QT_TRANSLATE_NOOP(
        "CodexLink",
        '[model_providers.{provider}] uses wire_api = "chat", which Codex '
        "no longer supports. Codex will not load the file: set wire_api = "
        '"responses".',
    ),
    "wire_api_unknown": QT_TRANSLATE_NOOP(
        "CodexLink",
        '[model_providers.{provider}] sets wire_api to "{value}"; Codex only '
        'accepts "responses" and will not load the file.',
    ),
    "removed_websocket_feature": QT_TRANSLATE_NOOP(
        "CodexLink",
        "[features] {flag} no longer does anything: it does not turn WebSockets "
        "off in current Codex. Use the HTTP-only switch instead.",
    ),
    "loopback_base_url": QT_TRANSLATE_NOOP(
        "CodexLink",
        "{key} sends Codex to {url}, on this computer. If the local proxy or "
        "gateway there is not running (or moved to another port), Codex cannot "
        "connect at all.",
    ),
    "dotenv_proxy": QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex also loads proxy settings from {path} at every start, and they win "
        "over your own: {variables}. If that proxy is stale, Codex cannot connect.",
    ),
    "dotenv_route_fix": QT_TRANSLATE_NOOP(
        "CodexLink",
        "Codex Link's route fix sent Codex through {proxy}: {path} sets {variables}, which "
        "Codex loads at every start. Undo the route fix (codex-link route off) to take these "
        "lines out again.",
    ),
    "dotenv_unreadable": QT_TRANSLATE_NOOP(
        "CodexLink",
        "Cannot read {path} ({reason}); Codex may take proxy settings from it that "
        "are not shown here.",
    ),
}

# Where in a file a parser stopped: built here only, and put into the sentences above.
POSITION = QT_TRANSLATE_NOOP("CodexLink", "line {line}, column {column}")


def say(sentence: str, **args: TextArg) -> Text:
    """A sentence of the table above, filled in."""
    return text(SENTENCES[sentence], **args)


def where(error: ConfigError) -> Text | None:
    """ "line X, column Y" of a parse error; None when the parser did not say where."""
    if error.line is None:
        return None
    return text(POSITION, line=error.line, column=error.column or 0)


def _finding(code: str, severity: Severity, file: Path, /, **args: TextArg) -> Finding:
    return Finding(code, severity, say(code, **args), file)


def home_findings(home: CodexHome) -> list[Finding]:
    """A Codex home that is missing, a file or closed to us stops Codex before it reads
    anything: one clear sentence instead of an error for every file inside it."""
    try:
        info = home.path.stat()
    except FileNotFoundError:
        return [_home_finding("codex_home_missing", home)] if home.from_env else []
    except NotADirectoryError:
        return [_home_finding("codex_home_not_a_folder", home)]
    except OSError as exc:
        return [_home_finding("codex_home_unreadable", home, exc.strerror or str(exc))]
    if not stat.S_ISDIR(info.st_mode):
        return [_home_finding("codex_home_not_a_folder", home)]
    if not os.access(home.path, os.R_OK | os.X_OK):
        return [_home_finding("codex_home_unreadable", home, os.strerror(errno.EACCES))]
    return []


def _home_finding(code: str, home: CodexHome, reason: str = "") -> Finding:
    sentence = code
    if code == "codex_home_not_a_folder" and home.from_env:
        sentence = "codex_home_not_a_folder_env"
    args: dict[str, TextArg] = {"path": str(home.path)}
    if code == "codex_home_unreadable":
        args["reason"] = reason
    return Finding(code, Severity.ERROR, say(sentence, **args), home.path)


def config_error_finding(error: ConfigError, unreadable: bool) -> Finding:
    """config.toml exists but cannot be used: Codex stops at start-up."""
    if unreadable:
        return _finding(
            "config_unreadable",
            Severity.ERROR,
            error.path,
            path=str(error.path),
            reason=error.message,
        )
    position = where(error)
    message = (
        say("config_malformed_nowhere", path=str(error.path), reason=error.message)
        if position is None
        else say("config_malformed", path=str(error.path), where=position, reason=error.message)
    )
    return Finding("config_malformed", Severity.ERROR, message, error.path)


def config_findings(
    config: Mapping[str, Any], path: Path, facts: CodexFacts = DEFAULT
) -> list[Finding]:
    """Everything in the parsed config.toml that changes whether or how Codex connects, by
    the rules of the Codex release `facts` describe (what it refuses, what it ignores)."""
    findings: list[Finding] = []
    # The keys the switch edits, holding what Codex does not accept (the settings otherwise
    # read a wrong type as unset; the switch must not overwrite it or write a table there).
    if "model_providers" in config and not isinstance(config["model_providers"], Mapping):
        findings.append(_finding("model_providers_not_table", Severity.ERROR, path, path=str(path)))
    if "model_provider" in config and not isinstance(config["model_provider"], str):
        findings.append(_finding("model_provider_not_text", Severity.ERROR, path, path=str(path)))
    findings += _provider_table_findings(config, path, facts)
    findings += _feature_findings(config, path, facts)
    if "profile" in config:
        findings.append(
            _finding("root_profile_key", Severity.ERROR, path, name=str(config["profile"]))
        )
    if config.get("approval_policy") in facts.removed_approval_policies:
        findings.append(
            _finding(
                "approval_policy_removed",
                Severity.ERROR,
                path,
                value=str(config["approval_policy"]),
            )
        )
    pid = active_provider_id(config)
    if not is_known_provider(config, pid):
        findings.append(_finding("unknown_provider", Severity.ERROR, path, provider=pid))
    findings += _loopback_findings(config, path, pid)
    return findings


def _provider_table_findings(
    config: Mapping[str, Any], path: Path, facts: CodexFacts
) -> list[Finding]:
    """Codex validates every provider table, active or not: one bad table stops it."""
    findings: list[Finding] = []
    for pid, table in provider_tables(config).items():
        if pid in RESERVED_PROVIDER_IDS:
            findings.append(_finding("reserved_provider_table", Severity.ERROR, path, provider=pid))
            continue
        if pid == "amazon-bedrock":
            extra = sorted(set(table) - facts.bedrock_table_fields)
            if extra:
                findings.append(
                    _finding("bedrock_table_fields", Severity.ERROR, path, fields=", ".join(extra))
                )
            continue
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            findings.append(_finding("provider_name_missing", Severity.ERROR, path, provider=pid))
        wire_api = table.get("wire_api", "responses")
        if wire_api == "chat":
            findings.append(_finding("wire_api_chat", Severity.ERROR, path, provider=pid))
        elif wire_api != "responses":
            findings.append(
                _finding(
                    "wire_api_unknown", Severity.ERROR, path, provider=pid, value=str(wire_api)
                )
            )
    return findings


def _feature_findings(config: Mapping[str, Any], path: Path, facts: CodexFacts) -> list[Finding]:
    features = config.get("features")
    if not isinstance(features, Mapping):
        return []
    return [
        _finding("removed_websocket_feature", Severity.WARNING, path, flag=flag)
        for flag in facts.removed_websocket_features
        if flag in features
    ]


def _loopback_findings(config: Mapping[str, Any], path: Path, pid: str) -> list[Finding]:
    """A base URL on this computer works only while the program behind it runs (#18960)."""
    provider = resolve_provider(config, pid)
    if provider.builtin and pid != "openai":
        return []  # ollama / lmstudio are local by design
    url = provider.base_url
    if not url or not is_loopback_url(url):
        return []
    key = "openai_base_url" if pid == "openai" else f"model_providers.{pid}.base_url"
    return [_finding("loopback_base_url", Severity.WARNING, path, key=key, url=redact_url(url))]


def is_loopback_url(url: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (what `urlsplit` can read; else False)."""
    try:
        host = urlsplit(url if "://" in url else f"//{url}").hostname
    except ValueError:
        return False
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def dotenv_findings(path: Path, proxies: tuple[tuple[str, str], ...]) -> list[Finding]:
    """Proxy variables in `$CODEX_HOME/.env` silently replace the user's own (#38885).

    The lines Codex Link's route fix wrote there (under its marker comment, and still the
    ones Codex reads) are no surprise: they are said as what they are, for information.
    """
    if not proxies:
        return []
    ours = _route_fix_lines(path, proxies)
    if not any(key.upper() != NO_PROXY for key, _value in ours):
        ours = ()  # our proxy line is gone or changed: what is left is not our route
    theirs = tuple(pair for pair in proxies if pair not in ours)
    findings = []
    if ours:
        proxy = next(value for key, value in ours if key.upper() != NO_PROXY)
        findings.append(
            _finding(
                "dotenv_route_fix",
                Severity.INFO,
                path,
                path=str(path),
                proxy=redact_url(proxy),
                variables=_listed(ours),
            )
        )
    if theirs:
        findings.append(
            _finding(
                "dotenv_proxy", Severity.WARNING, path, path=str(path), variables=_listed(theirs)
            )
        )
    return findings


def _route_fix_lines(
    path: Path, proxies: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """The proxy variables whose line Codex reads (the last one of that name) is one the
    route fix wrote. The file is read again for its lines (a small file; unreadable now:
    none are ours, and the warning stays)."""
    try:
        raw = read_regular_file(path)
    except OSError:
        return ()
    if raw is None:
        return ()
    starts = marked_starts(raw)
    if not starts:
        return ()
    last = {entry.key: entry.line.start for entry in dotenv_entries(raw, {})}
    return tuple(pair for pair in proxies if last.get(pair[0]) in starts)


def _listed(pairs: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{key}={redact_url(value)}" for key, value in pairs)


def dotenv_unreadable_finding(path: Path, reason: str) -> Finding:
    return _finding("dotenv_unreadable", Severity.WARNING, path, path=str(path), reason=reason)
