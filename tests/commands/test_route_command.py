"""`codex-link route on|off|status [--json] [--dry-run]` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_link.cli import main

ORIGINAL = b"# my settings\r\nexport OPENAI_LOG=info\r\n"
PROXY = "http://127.0.0.1:7890"


@pytest.fixture(autouse=True)
def original(codex_home: Path) -> None:
    (codex_home / ".env").write_bytes(ORIGINAL)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["route", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_status_when_off(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0
    status = json.loads(out)
    assert (status["active"], status["method"], status["path"]) == (False, None, None)
    code, out, _ = run(capsys, "status")
    assert code == 0
    assert out.strip() == "The route fix is off: Codex Link has set no route for Codex."


def test_dry_run_shows_the_diff_and_writes_nothing(
    codex_home: Path, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    code, out, _ = run(capsys, "on", "--proxy", PROXY, "--dry-run")
    assert code == 0
    assert f"+HTTPS_PROXY={PROXY}" in out and "+NO_PROXY=localhost,127.0.0.1,::1" in out
    assert "was not changed" in out
    assert (codex_home / ".env").read_bytes() == ORIGINAL
    assert not (isolated_home / ".local/share/codex-link").exists()


def test_on_status_off_round_trip(
    codex_home: Path, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    code, out, _ = run(capsys, "on", "--proxy", "socks5h://me:s3cret@127.0.0.1:1080")
    assert code == 0
    assert "HTTP_PROXY" in out and ".bak" in out and "Restart Codex" in out
    assert "s3cret" not in out
    assert list((isolated_home / ".local/share/codex-link").glob("route-*.json"))

    code, out, _ = run(capsys, "status", "--json")
    status = json.loads(out)
    assert (code, status["active"], status["method"]) == (0, True, "dotenv")
    assert status["proxy_url"] == "socks5h://***@127.0.0.1:1080"

    code, out, _ = run(capsys, "off", "--json")
    result = json.loads(out)
    assert (code, result["changed"]) == (0, True)
    assert (codex_home / ".env").read_bytes() == ORIGINAL
    code, out, _ = run(capsys, "off")
    assert code == 0 and "not on" in out


def test_a_proxy_the_websocket_cannot_use_is_refused(
    codex_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "on", "--proxy", "https://127.0.0.1:7890", "--json")
    assert code == 1 and "cannot carry" in json.loads(out)["error"]
    assert (codex_home / ".env").read_bytes() == ORIGINAL


def test_system_proxy_writes_config_toml(
    codex_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "on", "--system-proxy")
    assert code == 0 and "system proxy" in out
    assert b"respect_system_proxy = true" in (codex_home / "config.toml").read_bytes()
    code, out, err = run(capsys, "on", "--proxy", PROXY)
    assert code == 1 and "already on" in err
    code, _out, _ = run(capsys, "off")
    assert code == 0 and not (codex_home / "config.toml").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["on", "--proxy", PROXY, "--system-proxy"],
        ["off", "--proxy", PROXY],
        ["status", "--system-proxy"],
        ["sideways"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run(capsys, *argv)
    assert exited.value.code == 2


def test_a_missing_codex_home_is_refused(
    codex_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODEX_HOME", str(codex_home / "nowhere"))
    code, _out, err = run(capsys, "on", "--proxy", PROXY)
    assert code == 1 and "does not exist" in err
