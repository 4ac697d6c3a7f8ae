"""What the settings say of proxy lines in `.env`: the route fix's own lines are information
(Codex Link sent Codex through that proxy), every other proxy line stays a warning."""

from __future__ import annotations

from pathlib import Path

from codex_link.core.codex.route_fix.fix import RouteFix, proxy_proposal
from codex_link.core.codex.settings import load_settings
from codex_link.core.model.codex_home import CodexHome
from codex_link.core.model.findings import Finding, Severity

PROXY = "http://me:s3cret@127.0.0.1:7890"


def fixed(tmp_path: Path, dotenv: bytes | None) -> RouteFix:
    home = tmp_path / "codex"
    home.mkdir()
    if dotenv is not None:
        (home / ".env").write_bytes(dotenv)
    fix = RouteFix(CodexHome(home, from_env=True), tmp_path / "state")
    fix.apply(fix.plan(True, proxy_proposal(PROXY)))
    return fix


def dotenv_findings(fix: RouteFix) -> list[Finding]:
    found = load_settings(fix.home, {}).findings
    return [f for f in found if f.code in ("dotenv_proxy", "dotenv_route_fix")]


def test_the_route_fix_s_lines_are_said_as_ours_not_as_a_stale_proxy(tmp_path: Path) -> None:
    fix = fixed(tmp_path, b"\xef\xbb\xbf# mine\r\nLANG=C")
    (finding,) = dotenv_findings(fix)
    assert (finding.code, finding.severity) == ("dotenv_route_fix", Severity.INFO)
    assert str(finding.message) == (
        "Codex Link's route fix sent Codex through http://***@127.0.0.1:7890: "
        f"{fix.home.dotenv_path} sets HTTPS_PROXY=http://***@127.0.0.1:7890, "
        "NO_PROXY=localhost,127.0.0.1,::1, which Codex loads at every start. Undo the route "
        "fix (codex-link route off) to take these lines out again."
    )


def test_the_user_s_own_proxy_lines_beside_ours_stay_a_warning(tmp_path: Path) -> None:
    fix = fixed(tmp_path, b"ALL_PROXY=socks5h://127.0.0.1:1080\n")
    ours, theirs = dotenv_findings(fix)
    assert ours.code == "dotenv_route_fix" and "ALL_PROXY" not in str(ours.message)
    assert (theirs.code, theirs.severity) == ("dotenv_proxy", Severity.WARNING)
    assert "ALL_PROXY=socks5h://127.0.0.1:1080" in str(theirs.message)


def test_a_proxy_line_the_user_added_after_ours_is_theirs(tmp_path: Path) -> None:
    fix = fixed(tmp_path, None)
    path = fix.home.dotenv_path
    path.write_text(path.read_text() + "# mine\nHTTPS_PROXY=http://x:9\n")
    (finding,) = dotenv_findings(fix)  # the later line is the one Codex reads
    assert finding.code == "dotenv_proxy" and "HTTPS_PROXY=http://x:9" in str(finding.message)
    assert "NO_PROXY" in str(finding.message)  # without our proxy, our NO_PROXY is no route


def test_a_proxy_line_right_under_ours_is_not_taken_for_ours(tmp_path: Path) -> None:
    fix = fixed(tmp_path, None)
    path = fix.home.dotenv_path
    path.write_text(path.read_text() + "FOO=1\nALL_PROXY=socks5h://127.0.0.1:1080\n")
    ours, theirs = dotenv_findings(fix)
    assert ours.code == "dotenv_route_fix" and "ALL_PROXY" in str(theirs.message)


def test_after_off_nothing_is_said(tmp_path: Path) -> None:
    fix = fixed(tmp_path, b"A=1\n")
    fix.apply(fix.plan(False))
    assert dotenv_findings(fix) == []
