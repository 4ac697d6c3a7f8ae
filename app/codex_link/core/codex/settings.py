"""What Codex will do with its configuration: provider, login mode, endpoints, findings.

Read-only. Mirrors Codex's own resolution (CODEX_FACTS §1-3) and never reads, keeps or logs
secrets from auth.json or the environment: only which login mode is in use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from codex_link.core.codex.auth import resolve_login_mode
from codex_link.core.codex.config_file import ConfigParseError, read_config
from codex_link.core.codex.dotenv import codex_environment, proxy_entries, read_dotenv
from codex_link.core.codex.findings import (
    config_error_finding,
    config_findings,
    dotenv_findings,
    dotenv_unreadable_finding,
    home_findings,
)
from codex_link.core.codex.profiles import find_profiles
from codex_link.core.codex.providers import endpoints_for, resolve_provider
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.codex_settings import CodexSettings, ConfigError
from codex_link.core.model.findings import Finding

# The top-level keys of config.toml that Codex Link reads: the provider (`providers`), Codex's
# refusals (`findings.config_findings`), the profiles (`profiles`), the login store and the
# system proxy flag (below), and what the switch edits. A big file is parsed keeping only
# these (`toml_chunks`); a check that reads another key must add it here
# (tests/core/codex/test_toml_chunks.py watches the reads).
SETTINGS_KEYS = frozenset(
    {
        "model_provider",
        "model_providers",
        "openai_base_url",
        "profile",
        "profiles",
        "approval_policy",
        "features",
        "cli_auth_credentials_store",
    }
)


def load_settings(home: CodexHome, env: Mapping[str, str]) -> CodexSettings:
    """What Codex started now with environment `env` would use. Read-only; never raises for
    bad input (a malformed or unreadable file becomes `config_error` plus findings).

    `env` is the environment Codex would be started with; Codex then loads `$CODEX_HOME/.env`
    over it, and so does this function.
    """
    findings: list[Finding] = home_findings(home)
    home_usable = not findings  # else that one sentence says it all: nothing inside is read
    config: dict[str, Any] = {}
    config_error: ConfigError | None = None
    config_exists = False
    parsed = None
    try:
        parsed = read_config(home.config_path, SETTINGS_KEYS) if home_usable else None
        config_exists = parsed is not None
    except ConfigParseError as exc:
        config_exists = True
        config_error = exc.error
        findings.append(config_error_finding(exc.error, unreadable=False))
    except OSError as exc:
        config_exists = not isinstance(exc, FileNotFoundError | NotADirectoryError)
        config_error = ConfigError(home.config_path, exc.strerror or type(exc).__name__)
        findings.append(config_error_finding(config_error, unreadable=True))
    if parsed is not None:
        config = parsed.data
    if config:
        findings += config_findings(config, home.config_path)

    try:
        dotenv_pairs = read_dotenv(home.dotenv_path, env) if home_usable else ()
    except OSError as exc:
        dotenv_pairs = ()
        findings.append(
            dotenv_unreadable_finding(home.dotenv_path, exc.strerror or type(exc).__name__)
        )
    codex_env = codex_environment(env, dotenv_pairs)
    dotenv_proxies = proxy_entries(dotenv_pairs)
    findings += dotenv_findings(home.dotenv_path, dotenv_proxies)

    profiles, profile_findings = find_profiles(home, config)
    findings += profile_findings

    store = config.get("cli_auth_credentials_store")
    login = resolve_login_mode(home.auth_path, codex_env, store if isinstance(store, str) else None)
    if login.finding is not None and home_usable:
        findings.append(login.finding)

    provider = resolve_provider(config, env=codex_env)
    openai_base_url = config.get("openai_base_url")
    features = config.get("features")
    respect = isinstance(features, Mapping) and features.get("respect_system_proxy") is True
    return CodexSettings(
        home=home,
        config_exists=config_exists,
        config_error=config_error,
        provider=provider,
        login_mode=login.mode,
        login_source=login.source,
        endpoints=endpoints_for(provider, login.mode),
        openai_base_url=openai_base_url if isinstance(openai_base_url, str) else None,
        respect_system_proxy=respect,
        dotenv_proxies=dotenv_proxies,
        profiles=profiles,
        findings=tuple(findings),
    )
