"""Which provider Codex uses for a given config, with Codex's defaults."""

from __future__ import annotations

import tomllib

from codex_link.core.codex.providers import (
    BUILTIN_PROVIDERS,
    RESERVED_PROVIDER_IDS,
    active_provider_id,
    endpoints_for,
    is_known_provider,
    resolve_provider,
)
from codex_link.core.model.codex_settings import LoginMode


def _cfg(text: str) -> dict[str, object]:
    return tomllib.loads(text)


def test_no_config_means_builtin_openai_with_websockets() -> None:
    provider = resolve_provider({})
    assert provider.id == "openai"
    assert provider.name == "OpenAI"
    assert provider.builtin
    assert provider.supports_websockets
    assert provider.requires_openai_auth
    assert provider.base_url is None


def test_root_model_provider_picks_user_table_with_websockets_off_by_default() -> None:
    config = _cfg(
        'model_provider = "openai_http"\n'
        "[model_providers.openai_http]\n"
        'name = "OpenAI"\nwire_api = "responses"\nrequires_openai_auth = true\n'
    )
    provider = resolve_provider(config)
    assert active_provider_id(config) == "openai_http"
    assert provider.id == "openai_http"
    assert provider.name == "OpenAI"
    assert not provider.builtin
    assert not provider.supports_websockets
    assert provider.requires_openai_auth


def test_custom_provider_fields_and_defaults() -> None:
    config = _cfg(
        'model_provider = "corp"\n'
        "[model_providers.corp]\n"
        'name = "Corp"\nbase_url = "https://llm.corp.example/v1"\n'
        "supports_websockets = true\nwebsocket_connect_timeout_ms = 4000\n"
        "stream_max_retries = 500\n"
        'query_params = { "api-version" = "2025-04-01" }\n'
    )
    provider = resolve_provider(config)
    assert provider.base_url == "https://llm.corp.example/v1"
    assert provider.supports_websockets
    assert provider.websocket_connect_timeout_ms == 4000
    assert provider.stream_max_retries == 100  # Codex caps retries at 100
    assert provider.request_max_retries == 4
    assert provider.query_params == (("api-version", "2025-04-01"),)


def test_builtin_ids_cannot_be_overridden_by_a_table() -> None:
    config = _cfg('[model_providers.openai]\nname = "Mine"\nsupports_websockets = false\n')
    assert resolve_provider(config) == BUILTIN_PROVIDERS["openai"]


def test_local_builtins_have_websockets_off_and_follow_oss_env() -> None:
    assert not resolve_provider({"model_provider": "ollama"}).supports_websockets
    assert resolve_provider({}, "ollama").base_url == "http://localhost:11434/v1"
    assert resolve_provider({}, "lmstudio", {"CODEX_OSS_PORT": "9999"}).base_url == (
        "http://localhost:9999/v1"
    )
    assert not resolve_provider({}, "amazon-bedrock").supports_websockets
    assert {"openai", "ollama", "lmstudio"} == RESERVED_PROVIDER_IDS


def test_unknown_provider_id_resolves_without_crashing() -> None:
    config = {"model_provider": "nowhere"}
    provider = resolve_provider(config)
    assert provider.id == "nowhere"
    assert not provider.supports_websockets
    assert not is_known_provider(config, "nowhere")
    assert is_known_provider(config, "openai")


def test_wrong_types_fall_back_to_defaults() -> None:
    config = {
        "model_provider": "odd",
        "model_providers": {"odd": {"supports_websockets": "yes", "stream_max_retries": -1}},
    }
    provider = resolve_provider(config)
    assert not provider.supports_websockets
    assert provider.stream_max_retries == 5
    assert active_provider_id({"model_provider": 3}) == "openai"


def test_an_empty_provider_id_is_not_the_default() -> None:
    """Codex 0.169/0.171: `model_provider = ""` -> "Model provider `` not found", no start."""
    config = {"model_provider": ""}
    assert active_provider_id(config) == ""
    assert not is_known_provider(config, active_provider_id(config))


def test_endpoints_follow_login_mode_for_builtin_openai() -> None:
    provider = resolve_provider({})
    chatgpt = endpoints_for(provider, LoginMode.CHATGPT)
    api = endpoints_for(provider, LoginMode.API_KEY)
    assert chatgpt.http_url == "https://chatgpt.com/backend-api/codex/responses"
    assert chatgpt.websocket_url == "wss://chatgpt.com/backend-api/codex/responses"
    assert api.http_url == "https://api.openai.com/v1/responses"
    assert api.websocket_url == "wss://api.openai.com/v1/responses"


def test_openai_base_url_repoints_builtin_openai_only() -> None:
    config = {"openai_base_url": "http://127.0.0.1:8080/v1/"}
    endpoints = endpoints_for(resolve_provider(config), LoginMode.CHATGPT)
    assert endpoints.http_url == "http://127.0.0.1:8080/v1/responses"
    assert endpoints.websocket_url == "ws://127.0.0.1:8080/v1/responses"
    other = {
        **config,
        "model_provider": "p",
        "model_providers": {"p": {"name": "P", "supports_websockets": True}},
    }
    # A custom provider without base_url follows the login, not openai_base_url.
    assert endpoints_for(resolve_provider(other), LoginMode.API_KEY).http_url == (
        "https://api.openai.com/v1/responses"
    )


def test_custom_provider_endpoints_carry_query_params() -> None:
    config = _cfg(
        'model_provider = "az"\n[model_providers.az]\nname = "Azure"\n'
        'base_url = "https://x.openai.azure.com/openai"\n'
        'query_params = { "api-version" = "2025-04-01-preview" }\n'
    )
    endpoints = endpoints_for(resolve_provider(config), LoginMode.API_KEY)
    assert endpoints.http_url == (
        "https://x.openai.azure.com/openai/responses?api-version=2025-04-01-preview"
    )
    assert endpoints.websocket_url.startswith("wss://x.openai.azure.com/openai/responses?")


def test_bedrock_table_may_change_only_its_base_url() -> None:
    config = _cfg(
        'model_provider = "amazon-bedrock"\n[model_providers.amazon-bedrock]\n'
        'base_url = "https://bedrock.example/v1"\n'
    )
    provider = resolve_provider(config)
    assert provider.builtin
    assert provider.base_url == "https://bedrock.example/v1"
    assert not provider.supports_websockets
