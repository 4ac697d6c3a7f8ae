"""`codex-link http-only status|on|off [--json] [--dry-run]` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_link.cli import main
from tests.corpus.loader import CONFIGS

ORIGINAL = (CONFIGS / "45_crlf_typical.toml").read_bytes()


@pytest.fixture(autouse=True)
def original(codex_home: Path) -> None:
    """Every test starts from one typical config.toml (CRLF line ends)."""
    (codex_home / "config.toml").write_bytes(ORIGINAL)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["http-only", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_status_json(codex_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0
    assert json.loads(out) == {
        "http_only": False,
        "provider_id": "openai",
        "ours": False,
        "config_error": None,
        "notes": [],
    }


def test_dry_run_shows_the_diff_and_writes_nothing(
    codex_home: Path, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    code, out, _ = run(capsys, "on", "--dry-run")
    assert code == 0
    assert '+model_provider = "openai_http"' in out and "+[model_providers.openai_http]" in out
    assert "was not changed" in out
    assert (codex_home / "config.toml").read_bytes() == ORIGINAL
    assert sorted(p.name for p in codex_home.iterdir()) == ["config.toml"]
    assert not (isolated_home / ".local/share/codex-link").exists()


def test_on_status_off_round_trip(
    codex_home: Path, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    code, out, _ = run(capsys, "on")
    assert code == 0
    assert "HTTP only" in out and ".bak" in out and "Restart Codex" in out
    # The state lives in the platform data folder (XDG_DATA_HOME here), not beside the config.
    assert list((isolated_home / ".local/share/codex-link").glob("http-only-*.json"))

    code, out, _ = run(capsys, "status", "--json")
    status = json.loads(out)
    assert (code, status["http_only"], status["provider_id"], status["ours"]) == (
        0,
        True,
        "openai_http",
        True,
    )
    code, out, _ = run(capsys, "status")
    assert "HTTP only" in out and "Codex Link" in out

    code, out, _ = run(capsys, "off", "--json")
    result = json.loads(out)
    assert code == 0 and result["changed"] and result["backup"].endswith(".bak")
    assert (codex_home / "config.toml").read_bytes() == ORIGINAL


def test_refusals_exit_1_with_words(codex_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (codex_home / "config.toml").write_bytes(b'model = "o3"\n[tui\n')
    code, _, err = run(capsys, "on")
    assert code == 1 and "line 2" in err and "Nothing was changed" in err
    code, out, _ = run(capsys, "status", "--json")
    assert code == 1 and json.loads(out)["config_error"]["line"] == 2

    (codex_home / "config.toml").write_bytes(
        b'model_provider = "corp"\n[model_providers.corp]\n'
        b'name = "Corp"\nsupports_websockets = false\n'
    )
    code, _, err = run(capsys, "off")
    assert code == 1 and "not turned on by Codex Link" in err


def test_usage_errors_exit_2(codex_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["http-only", "sideways"])
    assert exited.value.code == 2


def test_a_no_op_on_does_not_warn_about_conversations(
    codex_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Already HTTP-only (a custom provider without WebSockets): nothing moves, no warning."""
    (codex_home / "config.toml").write_bytes(
        (CONFIGS / "15_custom_provider_ws_false.toml").read_bytes()
    )
    code, out, _ = run(capsys, "on")
    assert code == 0 and "already uses HTTP only" in out
    assert "conversations" not in out


def test_a_duplicate_table_is_reported_in_words_not_as_a_python_tuple(
    codex_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = '[projects."C:\\\\Users\\\\amy\\\\code"]\ntrust_level = "trusted"\n'
    (codex_home / "config.toml").write_text(table + "\n" + table)
    code, _, err = run(capsys, "on")
    assert code == 1
    assert "duplicate key" in err and "line 4, column" in err
    assert "('projects'" not in err
