"""What Codex will do with its configuration: the types the settings loader fills in.

`core.codex.settings.load_settings` builds a `CodexSettings`; everything downstream (routes,
probes, the verdict, the switch, the UI) reads these types and never Codex's files again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.codex_versions import DEFAULT
from codex_link.core.model.findings import Finding

# Codex never lets `$CODEX_HOME/.env` set a variable whose name starts with this, in any case
# (codex-rs/arg0 `ILLEGAL_ENV_VAR_PREFIX`): `.env` cannot move Codex's home or swap its keys.
DOTENV_FORBIDDEN_PREFIX = "CODEX_"


class LoginMode(StrEnum):
    CHATGPT = "chatgpt"
    API_KEY = "api_key"


@dataclass(frozen=True, slots=True)
class ConfigError:
    """config.toml (or a profile file) could not be parsed: where, in plain words."""

    path: Path
    message: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    """The provider Codex will use, with Codex's defaults filled in."""

    id: str
    name: str
    builtin: bool
    base_url: str | None  # as configured; None means Codex picks it from the login mode
    wire_api: str = "responses"
    supports_websockets: bool = False
    requires_openai_auth: bool = False
    # Codex's defaults, from the facts of the release checked first (model.codex_versions).
    websocket_connect_timeout_ms: int = DEFAULT.websocket_connect_timeout_ms
    stream_max_retries: int = DEFAULT.stream_max_retries
    request_max_retries: int = DEFAULT.request_max_retries
    query_params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Endpoints:
    """The URLs Codex calls for model turns."""

    http_url: str  # POST target for Responses over HTTP/SSE
    websocket_url: str  # the same path in ws(s):// (probed even when the provider has it off)


@dataclass(frozen=True, slots=True)
class ProfileChoice:
    """A profile that picks its own provider, so the switch does not apply to it."""

    name: str
    model_provider: str
    path: Path
    legacy_table: bool  # a `[profiles.X]` table in config.toml rather than `X.config.toml`


@dataclass(frozen=True, slots=True)
class CodexSettings:
    home: CodexHome
    config_exists: bool
    config_error: ConfigError | None
    provider: ProviderInfo
    login_mode: LoginMode
    login_source: str  # where the mode came from, e.g. "auth.json (auth_mode)"; never a secret
    endpoints: Endpoints
    openai_base_url: str | None
    respect_system_proxy: bool
    dotenv_proxies: tuple[tuple[str, str], ...]  # proxy variables set in $CODEX_HOME/.env
    profiles: tuple[ProfileChoice, ...]
    findings: tuple[Finding, ...]

    @property
    def websockets_enabled(self) -> bool:
        return self.provider.supports_websockets
