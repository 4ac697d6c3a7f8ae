"""The settings expand `$VAR` in `$CODEX_HOME/.env` against the environment Codex is started
with (the one given to `load_settings`), not against this process's own environment."""

from __future__ import annotations

from pathlib import Path

from codex_link.core.codex.settings import load_settings
from codex_link.core.model.codex_home import CodexHome


def test_dotenv_variables_expand_from_the_given_environment(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HTTPS_PROXY=http://${PROXY_HOST}:7890\n", encoding="utf-8")
    home = CodexHome(tmp_path, from_env=True)
    settings = load_settings(home, {"PROXY_HOST": "127.0.0.1"})
    assert dict(settings.dotenv_proxies)["HTTPS_PROXY"] == "http://127.0.0.1:7890"
    assert dict(load_settings(home, {}).dotenv_proxies)["HTTPS_PROXY"] == "http://:7890"
