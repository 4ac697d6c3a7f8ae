"""What Codex itself sends on its WebSocket upgrade to the active provider: read only for the
opt-in deep check, and only at that moment.

The deep check sends it on the upgrade to the host Codex itself uses, to catch a server that
accepts the upgrade and then closes it (1008, issues #13039/#13041). Tokens and keys are
secrets: this module reads them when asked, returns them in a value whose repr hides them,
keeps nothing, and never logs. The rules follow the provider, as the real Codex CLI 0.169.0
showed against a loopback endpoint that logs every header:

- a provider with `env_key` sends `Authorization: Bearer $<env_key>` (that beats its
  `experimental_bearer_token`); else its `experimental_bearer_token`; else, only when the
  provider has `requires_openai_auth` (the built-in `openai` has it), the OpenAI login:
  `CODEX_API_KEY`, `CODEX_ACCESS_TOKEN`, else `auth.json` (`OPENAI_API_KEY`, or
  `tokens.access_token` with `ChatGPT-Account-ID: tokens.account_id`). `OPENAI_API_KEY` in
  the environment is never sent. A custom provider never gets the OpenAI login otherwise.
- `http_headers` are sent as written, `env_http_headers` with the value of their variable.
- query parameters are already part of the provider's URL.

When in doubt nothing is sent and the deep check does not run, with the reason: a provider
whose login comes from a command (`auth`), a missing `env_key` variable, a login kept in the
OS keyring (not opened here), Amazon Bedrock's AWS signing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codex_link.core.codex.config_file import ConfigParseError, read_config
from codex_link.core.codex.dotenv import codex_environment, read_dotenv
from codex_link.core.codex.providers import provider_tables
from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.model.codex_settings import CodexSettings, LoginMode
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, text

AUTHORIZATION = "Authorization"
ACCOUNT_HEADER = "ChatGPT-Account-ID"
# Built-in providers whose login is not a bearer token Codex Link can reproduce.
_SIGNED_PROVIDERS = frozenset({"amazon-bedrock"})


@dataclass(frozen=True, slots=True)
class DeepLogin:
    """The headers Codex adds to its upgrade for this provider. Never logged or shown."""

    headers: Mapping[str, str] = field(repr=False)

    @property
    def sends_login(self) -> bool:
        return any(name.lower() == AUTHORIZATION.lower() for name in self.headers)


@dataclass(frozen=True, slots=True)
class NoDeepCheck:
    """The deep check cannot send what Codex sends here; `reason` says why, plainly."""

    reason: Text


def _auth_json(path: Path) -> Mapping[str, Any]:
    try:
        raw = read_regular_file(path)  # a FIFO in its place must not block the check
        data = json.loads(raw) if raw is not None else {}
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _string(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _config(settings: CodexSettings) -> Mapping[str, Any]:
    try:
        config = read_config(settings.home.config_path)
    except (OSError, ConfigParseError):
        return {}
    return config.data if config is not None else {}


def _provider_table(settings: CodexSettings, config: Mapping[str, Any]) -> Mapping[str, Any]:
    if settings.provider.builtin:
        return {}
    return provider_tables(config).get(settings.provider.id, {})


def _codex_env(settings: CodexSettings, env: Mapping[str, str]) -> dict[str, str]:
    try:
        pairs = read_dotenv(settings.home.dotenv_path, env)
    except OSError:
        pairs = ()
    return codex_environment(env, pairs)


def _cannot(template: str, **args: str) -> NoDeepCheck:
    return NoDeepCheck(text(template, **args))


def _openai_login(
    settings: CodexSettings, env: Mapping[str, str], store: object
) -> dict[str, str] | NoDeepCheck:
    """The OpenAI login as Codex sends it; `{}` when Codex has none to send."""
    key = _string(env.get("CODEX_API_KEY"))
    if key is not None:
        return {AUTHORIZATION: f"Bearer {key}"}
    token = _string(env.get("CODEX_ACCESS_TOKEN"))
    if token is not None:
        return {AUTHORIZATION: f"Bearer {token}"}
    if store == "keyring":
        return _cannot(
            QT_TRANSLATE_NOOP(
                "CodexLink",
                "The deep check did not run: your Codex login is kept in the OS "
                "keyring, which Codex Link does not open.",
            )
        )
    auth = _auth_json(settings.home.auth_path)
    if settings.login_mode is LoginMode.API_KEY:
        stored = _string(auth.get("OPENAI_API_KEY"))
        return {AUTHORIZATION: f"Bearer {stored}"} if stored is not None else {}
    tokens = auth.get("tokens")
    access = _string(tokens.get("access_token")) if isinstance(tokens, Mapping) else None
    if access is None or not isinstance(tokens, Mapping):
        return {}
    headers = {AUTHORIZATION: f"Bearer {access}"}
    account = _string(tokens.get("account_id"))
    if account is not None:
        headers[ACCOUNT_HEADER] = account
    return headers


def _extra_headers(table: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    static = table.get("http_headers")
    if isinstance(static, Mapping):
        headers.update({str(k): v for k, v in static.items() if isinstance(v, str)})
    from_env = table.get("env_http_headers")
    if isinstance(from_env, Mapping):
        for name, variable in from_env.items():
            value = _string(env.get(variable)) if isinstance(variable, str) else None
            if value is not None:
                headers[str(name)] = value
    return headers


def read_deep_login(settings: CodexSettings, env: Mapping[str, str]) -> DeepLogin | NoDeepCheck:
    """What Codex would add to its upgrade for the active provider, or why that is unknown.

    `env` is the environment Codex starts with; `$CODEX_HOME/.env` is applied over it here,
    as Codex does (its `CODEX_*` names excepted).
    """
    provider = settings.provider
    if provider.id in _SIGNED_PROVIDERS:
        return _cannot(
            QT_TRANSLATE_NOOP(
                "CodexLink",
                "The deep check did not run: Codex signs its requests to {provider} "
                "with your cloud login, which Codex Link does not reproduce.",
            ),
            provider=provider.id,
        )
    config = _config(settings)
    table = _provider_table(settings, config)
    codex_env = _codex_env(settings, env)
    if "auth" in table:
        return _cannot(
            QT_TRANSLATE_NOOP(
                "CodexLink",
                'The deep check did not run: provider "{provider}" gets its login '
                "from a command (auth), which Codex Link does not run.",
            ),
            provider=provider.id,
        )
    headers = _extra_headers(table, codex_env)
    env_key = _string(table.get("env_key"))
    bearer = _string(table.get("experimental_bearer_token"))
    login: dict[str, str] | NoDeepCheck = {}
    if env_key is not None:
        value = _string(codex_env.get(env_key))
        if value is None:
            return _cannot(
                QT_TRANSLATE_NOOP(
                    "CodexLink",
                    'The deep check did not run: provider "{provider}" takes its key '
                    "from {variable}, which is not set (Codex would not start).",
                ),
                provider=provider.id,
                variable=env_key,
            )
        login = {AUTHORIZATION: f"Bearer {value}"}
    elif bearer is not None:
        login = {AUTHORIZATION: f"Bearer {bearer}"}
    elif provider.requires_openai_auth:
        login = _openai_login(settings, env, config.get("cli_auth_credentials_store"))
    if isinstance(login, NoDeepCheck):
        return login
    if provider.requires_openai_auth and not login and env_key is None and bearer is None:
        return _cannot(
            QT_TRANSLATE_NOOP(
                "CodexLink",
                "The deep check did not run: no Codex login was found (signed out; "
                "Codex does not send OPENAI_API_KEY from the environment, use "
                "codex login or CODEX_API_KEY).",
            )
        )
    if login and any(
        name.lower() in (AUTHORIZATION.lower(), ACCOUNT_HEADER.lower()) for name in headers
    ):
        return _cannot(
            QT_TRANSLATE_NOOP(
                "CodexLink",
                'The deep check did not run: provider "{provider}" sets its own '
                "Authorization header beside its key, and which one Codex sends is "
                "not known here.",
            ),
            provider=provider.id,
        )
    return DeepLogin({**headers, **login})
