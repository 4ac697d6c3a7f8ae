"""CodexSettings as plain JSON data, for `codex-link config --json` and diagnostics.

Keys are snake_case and stable: scripts rely on them. Proxy values are shown with any user
name and password replaced by `***`; nothing from auth.json beyond the login mode appears.
"""

from __future__ import annotations

from typing import Any

from codex_link.core.model.codex_settings import CodexSettings
from codex_link.core.model.text import Translate
from codex_link.core.redact import redact_url


def _identity(source: str) -> str:
    return source


def settings_to_dict(settings: CodexSettings, translate: Translate = _identity) -> dict[str, Any]:
    provider = settings.provider
    error = settings.config_error
    return {
        "codex_home": str(settings.home.path),
        "codex_home_from_env": settings.home.from_env,
        "config_file": {
            "path": str(settings.home.config_path),
            "exists": settings.config_exists,
            "parses": settings.config_exists and error is None,
            "error": None
            if error is None
            else {"message": error.message, "line": error.line, "column": error.column},
        },
        "provider": {
            "id": provider.id,
            "name": provider.name,
            "builtin": provider.builtin,
            "base_url": provider.base_url,
            "wire_api": provider.wire_api,
            "supports_websockets": provider.supports_websockets,
            "requires_openai_auth": provider.requires_openai_auth,
            "websocket_connect_timeout_ms": provider.websocket_connect_timeout_ms,
            "stream_max_retries": provider.stream_max_retries,
            "request_max_retries": provider.request_max_retries,
        },
        "websocket_enabled": settings.websockets_enabled,
        "login": {"mode": settings.login_mode.value, "source": settings.login_source},
        "endpoints": {
            "http": settings.endpoints.http_url,
            "websocket": settings.endpoints.websocket_url,
        },
        "openai_base_url": settings.openai_base_url,
        "respect_system_proxy": settings.respect_system_proxy,
        "dotenv_path": str(settings.home.dotenv_path),
        "dotenv_proxies": [
            {"name": name, "value": redact_url(value)} for name, value in settings.dotenv_proxies
        ],
        "profiles": [
            {
                "name": profile.name,
                "model_provider": profile.model_provider,
                "path": str(profile.path),
                "legacy_table": profile.legacy_table,
            }
            for profile in settings.profiles
        ],
        "findings": [
            {
                "code": finding.code,
                "severity": finding.severity.value,
                "message": finding.message.render(translate),
                "path": None if finding.path is None else str(finding.path),
            }
            for finding in settings.findings
        ],
    }
