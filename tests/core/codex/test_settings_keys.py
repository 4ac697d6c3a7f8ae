"""The settings read keeping only `SETTINGS_KEYS` (a big file parsed in chunks) are the
settings read from the whole parse: every corpus config, and the shapes the switch edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from codex_link.core.codex import settings as settings_module
from codex_link.core.codex.settings import load_settings
from codex_link.core.model.codex_home import CodexHome
from tests.corpus.loader import CONFIGS

CORPUS = sorted(CONFIGS.glob("*.toml"))
SHAPES = {
    "model_providers_not_table": "model_providers = 3\n",
    "model_provider_not_text": "model_provider = 3\n",
}


def _both(home: CodexHome, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    kept = load_settings(home, {})
    with monkeypatch.context() as patch:
        patch.setattr(settings_module, "SETTINGS_KEYS", None)  # read_config: the whole parse
        whole = load_settings(home, {})
    return kept, whole


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_kept_keys_give_the_whole_parse_settings(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.toml").write_bytes(path.read_bytes())
    kept, whole = _both(CodexHome(tmp_path, from_env=True), monkeypatch)
    assert kept == whole


@pytest.mark.parametrize("code", sorted(SHAPES))
def test_a_key_of_the_wrong_kind_is_a_refusal_codex_makes(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.toml").write_text(SHAPES[code], encoding="utf-8")
    kept, whole = _both(CodexHome(tmp_path, from_env=True), monkeypatch)
    assert kept == whole
    settings = load_settings(CodexHome(tmp_path, from_env=True), {})
    assert code in {finding.code for finding in settings.findings}
