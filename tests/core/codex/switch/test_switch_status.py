"""The switch's state, derived from one reading of the settings (what the tray's checks and
`HttpOnlySwitch.status()` both use): for plain, switched, edited, refused, profiled, malformed
and missing set-ups alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from codex_link.core.codex.settings import load_settings
from codex_link.core.codex.switch.status import SwitchStatus, switch_status
from codex_link.core.codex.switch.toggle import HttpOnlySwitch
from codex_link.core.model.codex_home import CodexHome

CUSTOM = '[model_providers.corp]\nname = "Corp"\nbase_url = "https://corp.example/v1"\n'


def write(config: str) -> Callable[[Path], None]:
    def setup(home: Path) -> None:
        (home / "config.toml").write_text(config, encoding="utf-8")

    return setup


def switched_on(home: Path) -> None:
    (home / "config.toml").write_text('model = "gpt-5"\n', encoding="utf-8")


def profile_file(home: Path) -> None:
    (home / "config.toml").write_text(CUSTOM, encoding="utf-8")
    (home / "work.config.toml").write_text('model_provider = "corp"\n', encoding="utf-8")
    (home / "broken.config.toml").write_text("[oops\n", encoding="utf-8")


SETUPS: dict[str, Callable[[Path], None]] = {
    "no config": lambda _home: None,
    "plain": write('model = "gpt-5"\n'),
    "custom provider, WebSocket off by hand": write(
        f'model_provider = "corp"\n{CUSTOM}supports_websockets = false\n'
    ),
    "custom provider with WebSocket": write(
        f'model_provider = "corp"\n{CUSTOM}supports_websockets = true\n'
    ),
    "malformed": write('model = "gpt-5"\n[tui\n'),
    "refused by Codex": write('profile = "work"\n[model_providers.openai]\nname = "x"\n'),
    "unknown provider": write('model_provider = "nowhere"\n'),
    "legacy profile table": write('[profiles.old]\nmodel_provider = "corp"\n' + CUSTOM),
    "profile files": profile_file,
    "model_providers not a table": write("model_providers = 3\n"),
    "model_provider not text": write("model_provider = 3\n"),
}

# (http_only, provider id, ours, config error, number of notes), before and after our "on".
EXPECTED: dict[tuple[str, bool], tuple[bool, str, bool, bool, int]] = {
    ("no config", False): (False, "openai", False, False, 0),
    ("no config", True): (True, "openai_http", True, False, 0),
    ("plain", False): (False, "openai", False, False, 0),
    ("plain", True): (False, "openai", False, False, 0),  # the user put the file back
    ("custom provider, WebSocket off by hand", False): (True, "corp", False, False, 0),
    ("custom provider, WebSocket off by hand", True): (True, "corp", False, False, 0),
    ("custom provider with WebSocket", False): (False, "corp", False, False, 0),
    ("custom provider with WebSocket", True): (False, "corp", False, False, 0),
    ("malformed", False): (False, "", False, True, 0),
    ("malformed", True): (False, "", True, True, 0),  # "off" must stay possible
    ("refused by Codex", False): (False, "openai", False, False, 2),
    ("refused by Codex", True): (False, "openai", False, False, 2),
    ("unknown provider", False): (True, "nowhere", False, False, 1),
    ("unknown provider", True): (True, "nowhere", False, False, 1),
    ("legacy profile table", False): (False, "openai", False, False, 1),
    ("legacy profile table", True): (False, "openai", False, False, 1),
    ("profile files", False): (False, "openai", False, False, 2),
    ("profile files", True): (False, "openai", False, False, 2),
    ("model_providers not a table", False): (False, "openai", False, False, 1),
    ("model_providers not a table", True): (False, "openai", False, False, 1),
    ("model_provider not text", False): (False, "openai", False, False, 1),
    ("model_provider not text", True): (False, "openai", False, False, 1),
}


def both(home: CodexHome, state: Path) -> tuple[SwitchStatus, SwitchStatus]:
    """The status derived from the settings, and what `http-only status` says."""
    switch = HttpOnlySwitch(home, state)
    derived = switch_status(load_settings(home, {}), switch.store.load(home.config_path))
    return derived, switch.status()


@pytest.mark.parametrize("name", list(SETUPS))
@pytest.mark.parametrize("switch_on", [False, True])
def test_the_status_of_each_setup(name: str, switch_on: bool, tmp_path: Path) -> None:
    codex = tmp_path / "codex"
    codex.mkdir()
    home = CodexHome(codex, from_env=True)
    state = tmp_path / "state"
    if switch_on:  # switched by us first, then the file was set up (or edited) as below
        switched_on(codex)
        switch = HttpOnlySwitch(home, state)
        assert switch.apply(switch.plan(True)).changed
    if name != "no config" or not switch_on:
        SETUPS[name](codex)
    derived, status = both(home, state)
    found = (
        derived.http_only,
        derived.provider_id,
        derived.ours,
        derived.config_error is not None,
        len(derived.notes),
    )
    assert found == EXPECTED[name, switch_on]
    assert derived.to_json() == status.to_json()


def test_switched_by_us_is_ours_until_another_provider_is_picked(tmp_path: Path) -> None:
    codex = tmp_path / "codex"
    codex.mkdir()
    home = CodexHome(codex, from_env=True)
    switched_on(codex)
    switch = HttpOnlySwitch(home, tmp_path / "state")
    switch.apply(switch.plan(True))
    derived, _ = both(home, tmp_path / "state")
    assert derived.http_only and derived.ours and derived.provider_id == "openai_http"
    text = (codex / "config.toml").read_text(encoding="utf-8")
    (codex / "config.toml").write_text(
        text.replace('model_provider = "openai_http"', 'model_provider = "corp"')
        + CUSTOM
        + "supports_websockets = false\n",
        encoding="utf-8",
    )
    derived, status = both(home, tmp_path / "state")
    assert derived.http_only and not derived.ours  # HTTP only, but not by our switch
    assert derived.to_json() == status.to_json()


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_an_unusable_codex_folder_is_the_one_note(kind: str, tmp_path: Path) -> None:
    codex = tmp_path / "codex"
    if kind == "a file":
        codex.write_text("", encoding="utf-8")
    home = CodexHome(codex, from_env=True)
    derived, status = both(home, tmp_path / "state")
    assert not derived.http_only and derived.provider_id == ""
    assert derived.config_error is not None and len(derived.notes) == 1
    assert derived.to_json() == status.to_json()
