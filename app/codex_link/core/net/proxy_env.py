"""The proxy variables Codex sees: its environment with `$CODEX_HOME/.env` laid over it.

Codex (codex-rs/arg0 `load_dotenv`) calls `set_var` for every `.env` entry whose name does not
start with `CODEX_`, before anything reads the environment: a value in `.env` therefore
REPLACES the one Codex was started with. Checked with the real Codex CLI 0.169.0: with
`HTTPS_PROXY` in both, its WebSocket and HTTP requests both went to the proxy named in `.env`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from codex_link.core.model.codex_settings import DOTENV_FORBIDDEN_PREFIX
from codex_link.core.model.probe import RouteSource, SourceKind

# Each group lists the spellings Codex tries, first wins (uppercase first, in both clients).
HTTPS_PROXY = ("HTTPS_PROXY", "https_proxy")
HTTP_PROXY = ("HTTP_PROXY", "http_proxy")
ALL_PROXY = ("ALL_PROXY", "all_proxy")
NO_PROXY = ("NO_PROXY", "no_proxy")
PROXY_GROUPS = (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY)


@dataclass(frozen=True, slots=True)
class ProxyVariable:
    name: str  # as spelled, e.g. "https_proxy"
    value: str
    from_dotenv: bool

    @property
    def source(self) -> RouteSource:
        """Where a route through this value comes from: this variable, here or in .env."""
        kind = SourceKind.DOTENV if self.from_dotenv else SourceKind.ENVIRONMENT
        return RouteSource(kind, variable=self.name)


class CodexEnvironment:
    """Lookups in the merged environment, remembering where each value came from."""

    def __init__(self, env: Mapping[str, str], dotenv: Mapping[str, str]) -> None:
        self._env = env
        self._dotenv = {
            name: value
            for name, value in dotenv.items()
            if not name.upper().startswith(DOTENV_FORBIDDEN_PREFIX)
        }

    def get(self, name: str) -> ProxyVariable | None:
        if name in self._dotenv:
            return ProxyVariable(name, self._dotenv[name], from_dotenv=True)
        if name in self._env:
            return ProxyVariable(name, self._env[name], from_dotenv=False)
        return None

    def first_set(self, names: Sequence[str]) -> ProxyVariable | None:
        """The first spelling that is set, even to an empty value.

        Both of Codex's clients stop at the first spelling that exists, so an empty
        `HTTPS_PROXY=` hides a lowercase `https_proxy` (checked with Codex 0.169.0).
        """
        for name in names:
            found = self.get(name)
            if found is not None:
                return found
        return None

    def first_value(self, names: Sequence[str]) -> ProxyVariable | None:
        """`first_set`, but None when that value is empty (meaning: not set)."""
        found = self.first_set(names)
        return found if found is not None and found.value.strip() else None

    def overridden_by_dotenv(self) -> tuple[tuple[str, str, str], ...]:
        """(name, value in .env, value in the environment) for proxy variables .env replaces."""
        names = [name for group in PROXY_GROUPS for name in group]
        return tuple(
            (name, self._dotenv[name], self._env[name])
            for name in names
            if name in self._dotenv and name in self._env and self._dotenv[name] != self._env[name]
        )
