"""Suite-wide set-up: every test runs against throw-away homes, never the user's real files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt logic tests need no display; the screenshot tests start their own Xvfb and override it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_API"] = "pyside6"


# The loopback test harness (TLS endpoint, real proxies) and the real Codex CLI (every pinned
# version, in a private network namespace) as fixtures for every test folder.
pytest_plugins = ["tests.harness.fixtures", "tests.harness.codex_fixtures"]

# Variables that would make a test read the machine's real Codex set-up or real proxies.
_LEAKY_ENV = (
    "CODEX_HOME",
    "OPENAI_API_KEY",
    "CODEX_API_KEY",
    "CODEX_ACCESS_TOKEN",
    "OPENAI_BASE_URL",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "WSS_PROXY",
    "wss_proxy",
    "WS_PROXY",
    "ws_proxy",
    "SOCKS_PROXY",
    "socks_proxy",
    "CODEX_CA_CERTIFICATE",
    "SSL_CERT_FILE",
)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A fresh HOME (so ~/.codex and platformdirs point inside it) and no proxy variables."""
    home = tmp_path_factory.mktemp("home")
    for name in _LEAKY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    yield home


@pytest.fixture
def codex_home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Codex's folder inside the throw-away HOME (`~/.codex`), named by CODEX_HOME too."""
    home = isolated_home / ".codex"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("CODEX_HOME", str(home))
    return home
