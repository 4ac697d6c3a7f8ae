"""Which model provider Codex uses, with Codex's own defaults (CODEX_FACTS §2).

Pure functions of parsed config data, so both the read-only settings and the HTTP-only switch
can ask "what would Codex do with this data?" before and after an edit.

Mirrors codex-rs/model-provider-info: built-in providers cannot be overridden by a
`[model_providers.<id>]` table (Codex keeps the built-in; for `openai`, `ollama` and
`lmstudio` current builds even refuse to load the file), user providers default to
`supports_websockets = false`, retry counts are capped at 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from codex_link.core.model.codex_settings import Endpoints, LoginMode, ProviderInfo
from codex_link.core.model.urls import websocket_url

DEFAULT_PROVIDER_ID = "openai"
OPENAI_PROVIDER_NAME = "OpenAI"  # Codex gates features on this exact name

# A `[model_providers.<id>]` table with one of these ids makes config.toml fail to load.
RESERVED_PROVIDER_IDS: frozenset[str] = frozenset({"openai", "ollama", "lmstudio"})

DEFAULT_LMSTUDIO_PORT = 1234
DEFAULT_OLLAMA_PORT = 11434
AMAZON_BEDROCK_DEFAULT_BASE_URL = "https://bedrock-mantle.us-east-1.api.aws/v1"

CHATGPT_BASE_URL = "https://chatgpt.com/backend-api/codex"
API_BASE_URL = "https://api.openai.com/v1"

DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS = 15_000
DEFAULT_STREAM_MAX_RETRIES = 5
DEFAULT_REQUEST_MAX_RETRIES = 4
MAX_RETRIES = 100  # Codex's hard cap for both retry settings


def _oss_provider(provider_id: str, port: int) -> ProviderInfo:
    return ProviderInfo(
        id=provider_id,
        name="gpt-oss",
        builtin=True,
        base_url=f"http://localhost:{port}/v1",
        supports_websockets=False,
        requires_openai_auth=False,
    )


BUILTIN_PROVIDERS: Mapping[str, ProviderInfo] = MappingProxyType(
    {
        "openai": ProviderInfo(
            id="openai",
            name=OPENAI_PROVIDER_NAME,
            builtin=True,
            base_url=None,  # root `openai_base_url`, else picked from the login mode
            supports_websockets=True,
            requires_openai_auth=True,
        ),
        "amazon-bedrock": ProviderInfo(
            id="amazon-bedrock",
            name="Amazon Bedrock",
            builtin=True,
            base_url=AMAZON_BEDROCK_DEFAULT_BASE_URL,
            supports_websockets=False,
            requires_openai_auth=False,
        ),
        "ollama": _oss_provider("ollama", DEFAULT_OLLAMA_PORT),
        "lmstudio": _oss_provider("lmstudio", DEFAULT_LMSTUDIO_PORT),
    }
)


def active_provider_id(config: Mapping[str, Any]) -> str:
    """The root `model_provider` of config.toml, or `"openai"` when it is not set.

    Taken as written: Codex looks an empty or padded id up as it is ("Model provider ``
    not found") and refuses to start, so it must not be read as the default.
    """
    value = config.get("model_provider")
    return value if isinstance(value, str) else DEFAULT_PROVIDER_ID


def provider_tables(config: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
    """The `[model_providers.*]` tables that are tables (anything else is ignored here)."""
    tables = config.get("model_providers")
    if not isinstance(tables, Mapping):
        return {}
    return {key: value for key, value in tables.items() if isinstance(value, Mapping)}


def is_known_provider(config: Mapping[str, Any], provider_id: str) -> bool:
    """Codex can start with this id: a built-in, or a table in `model_providers`."""
    return provider_id in BUILTIN_PROVIDERS or provider_id in provider_tables(config)


def resolve_provider(
    config: Mapping[str, Any],
    provider_id: str | None = None,
    env: Mapping[str, str] | None = None,
) -> ProviderInfo:
    """The provider Codex will use for `provider_id` (default: the active one).

    `env` only matters for the local `ollama`/`lmstudio` providers, whose address Codex takes
    from `CODEX_OSS_BASE_URL` / `CODEX_OSS_PORT`. An id that is neither built in nor defined
    yields a provider with Codex's defaults (WebSockets off, no base URL); the settings report
    it as a finding, because Codex will not start with it.
    """
    pid = provider_id if provider_id is not None else active_provider_id(config)
    table = provider_tables(config).get(pid)
    builtin = BUILTIN_PROVIDERS.get(pid)
    if builtin is not None:
        if pid in ("ollama", "lmstudio"):
            return _oss_with_env(builtin, env or {})
        # Root `openai_base_url` re-points the built-in openai provider; the amazon-bedrock
        # table may change its base_url (and AWS details). Nothing else overrides a built-in.
        override = config.get("openai_base_url") if pid == "openai" else None
        if pid == "amazon-bedrock" and table is not None:
            override = table.get("base_url")
        if isinstance(override, str) and override:
            return replace(builtin, base_url=override)
        return builtin
    if table is None:
        return ProviderInfo(id=pid, name=pid, builtin=False, base_url=None)
    return provider_from_table(pid, table)


def provider_from_table(provider_id: str, table: Mapping[str, Any]) -> ProviderInfo:
    """A user-defined provider table, with Codex's defaults for what it leaves out.

    Values of the wrong type fall back to the default: Codex itself would refuse such a
    file, and `config.load` reports that; here we only must not crash.
    """
    return ProviderInfo(
        id=provider_id,
        name=_str(table.get("name")) or "",
        builtin=False,
        base_url=_str(table.get("base_url")),
        wire_api=_str(table.get("wire_api")) or "responses",
        supports_websockets=_bool(table.get("supports_websockets"), False),
        requires_openai_auth=_bool(table.get("requires_openai_auth"), False),
        websocket_connect_timeout_ms=_int(
            table.get("websocket_connect_timeout_ms"), DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS
        ),
        stream_max_retries=min(
            _int(table.get("stream_max_retries"), DEFAULT_STREAM_MAX_RETRIES), MAX_RETRIES
        ),
        request_max_retries=min(
            _int(table.get("request_max_retries"), DEFAULT_REQUEST_MAX_RETRIES), MAX_RETRIES
        ),
        query_params=_query_params(table.get("query_params")),
    )


def _oss_with_env(provider: ProviderInfo, env: Mapping[str, str]) -> ProviderInfo:
    base_url = env.get("CODEX_OSS_BASE_URL", "").strip()
    if not base_url:
        port_text = env.get("CODEX_OSS_PORT", "").strip()
        if port_text.isdigit() and 0 < int(port_text) < 65536:
            base_url = f"http://localhost:{int(port_text)}/v1"
    if not base_url:
        return provider
    return ProviderInfo(
        id=provider.id,
        name=provider.name,
        builtin=True,
        base_url=base_url,
        supports_websockets=provider.supports_websockets,
        requires_openai_auth=provider.requires_openai_auth,
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _bool(value: object, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _int(value: object, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return default
    return value


def _query_params(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        return ()
    return tuple((str(key), item) for key, item in sorted(value.items()) if isinstance(item, str))


def endpoints_for(provider: ProviderInfo, login_mode: LoginMode) -> Endpoints:
    """The Responses URLs Codex calls for `provider` (codex-api `url_for_path`).

    A provider without a base URL (built-in openai, or a custom one that sets none) follows the
    login: ChatGPT -> chatgpt.com/backend-api/codex, API key -> api.openai.com/v1. The path is
    `<base without trailing slash>/responses`, then the provider's query parameters; the
    WebSocket URL is the same with https -> wss, http -> ws.
    """
    base = provider.base_url
    if not base:
        base = CHATGPT_BASE_URL if login_mode is LoginMode.CHATGPT else API_BASE_URL
    http_url = base.rstrip("/") + "/responses"
    if provider.query_params:
        http_url += "?" + "&".join(f"{key}={value}" for key, value in provider.query_params)
    return Endpoints(http_url=http_url, websocket_url=websocket_url(http_url))
