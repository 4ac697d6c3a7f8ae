"""The route fix from the window and the menu, the dead-proxy alarm, and auto mode.

The real `RouteFix` and `HttpOnlySwitch` edit an isolated CODEX_HOME: a passing test means the
user's .env really changed, and changed back byte for byte. The monitor is the fake one: the
verdicts are given, what a user sees and what is written are under test.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from codex_link.core.auto_mode import BLOCKED_CHECKS, WORKING_CHECKS, FixChange
from codex_link.core.history import FixEvent
from codex_link.core.model.probe import Transport
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.text import Text
from codex_link.core.model.verdict import Advice, AdviceKind, Health, Verdict
from codex_link.core.prefs import Language, Prefs
from tests import factories as f
from tests.ui.conftest import Rig

PROXY = "http://alice:s3cr3t@127.0.0.1:7890"
PROPOSAL = RouteProposal(RouteMethod.DOTENV, PROXY, ("HTTPS_PROXY",))
ROUTE_ADVICE = Advice(AdviceKind.ROUTE_FIX, Text("Send Codex through the proxy"), PROPOSAL)
ORIGINAL_ENV = b"# mine\r\nOPENAI_LOG=debug\r\n"


def blocked(at: float, *, http_only_advice: bool = True) -> Snapshot:
    """A finished check: WebSocket blocked, a verified route through PROXY offered first."""
    base = f.ws_blocked().report
    assert base is not None
    advice = tuple(
        a
        for a in base.verdict.advice
        if http_only_advice or a.kind is not AdviceKind.SWITCH_TO_HTTP_ONLY
    )
    verdict = dataclasses.replace(base.verdict, advice=(ROUTE_ADVICE, *advice))
    report = dataclasses.replace(base, verdict=verdict, finished_at=at)
    return f.with_last_complete(f.snapshot_of(report))


def dead_proxy(at: float) -> Snapshot:
    """Our proxy stopped answering: the verdict offers the undo."""
    base = f.down().report
    assert base is not None
    undo = Advice(AdviceKind.UNDO_ROUTE_FIX, Text("Undo the route fix"))
    verdict = Verdict(
        Health.DOWN, Text("The proxy 127.0.0.1:7890 Codex is set to use is not answering"), (undo,)
    )
    report = dataclasses.replace(base, verdict=verdict, finished_at=at)
    return f.with_last_complete(f.snapshot_of(report))


@pytest.fixture
def dotenv(codex_home: Path) -> Path:
    path = codex_home / ".env"
    path.write_bytes(ORIGINAL_ENV)
    return path


def test_route_fix_on_and_off_from_the_window(rig: Rig, dotenv: Path) -> None:
    shell = rig.shell
    rig.monitor.publish(blocked(1.0))
    window = shell.window
    assert window.route_button.isVisibleTo(window)
    assert window.route_button.text() == (
        "Send Codex through http://***@127.0.0.1:7890 (keeps WebSocket)"
    )
    assert shell.tray.route_fix_action.isVisible()
    assert "s3cr3t" not in shell.tray.route_fix_action.text()

    window.route_button.click()
    dialog = shell.route_flow.dialog
    assert dialog is not None and dialog.enable
    assert dotenv.read_bytes() == ORIGINAL_ENV  # asking changes nothing
    details = dialog.details_view.toPlainText()
    assert "HTTPS_PROXY" in details and "s3cr3t" not in details
    assert "backup" in dialog.changes_label.text()
    assert "Restart Codex" in dialog.restart_label.text()
    assert not window.route_button.isEnabled()  # one change at a time
    dialog.confirm_button.click()

    written = dotenv.read_bytes()
    assert written.startswith(ORIGINAL_ENV) and b"HTTPS_PROXY=" in written
    assert rig.monitor.config_changes == 1  # the tray follows at once
    assert [(e.change, e.automatic) for e in shell.fix_log.events()] == [
        (FixChange.ROUTE_FIX_ON, False)
    ]
    assert "Restart Codex" in window.feedback_label.text()

    rig.monitor.publish(f.with_last_complete(f.ready_ws()))
    assert window.route_button.text() == "Undo the route fix"
    assert shell.tray.route_fix_action.text() == "Undo the route fix"
    window.route_button.click()
    dialog = shell.route_flow.dialog
    assert dialog is not None and not dialog.enable
    dialog.confirm_button.click()
    assert dotenv.read_bytes() == ORIGINAL_ENV
    assert [e.change for e in shell.fix_log.events()][-1] is FixChange.ROUTE_FIX_OFF


def test_cancel_changes_nothing(rig: Rig, dotenv: Path) -> None:
    rig.monitor.publish(blocked(1.0))
    rig.shell.tray.route_fix_action.trigger()
    dialog = rig.shell.route_flow.dialog
    assert dialog is not None
    dialog.cancel_button.click()
    assert dotenv.read_bytes() == ORIGINAL_ENV
    assert rig.shell.route_flow.dialog is None
    assert rig.shell.fix_log.events() == ()


def test_a_refusal_says_nothing_was_changed(rig: Rig, dotenv: Path) -> None:
    dotenv.chmod(0o444)  # the user made it read-only: theirs to keep so
    rig.monitor.publish(blocked(1.0))
    rig.shell.tray.route_fix_action.trigger()
    assert rig.shell.route_flow.dialog is None
    box = rig.shell.route_flow.message_box
    assert box is not None and box.windowTitle() == "Nothing was changed"
    assert dotenv.read_bytes() == ORIGINAL_ENV
    box.accept()


def turn_on(rig: Rig) -> None:
    rig.monitor.publish(blocked(1.0))
    rig.shell.request_route_fix(True)
    dialog = rig.shell.route_flow.dialog
    assert dialog is not None
    dialog.confirm_button.click()


@pytest.mark.parametrize("tray_available", [True])
def test_a_dead_proxy_is_announced_at_once_with_its_undo(rig: Rig, dotenv: Path) -> None:
    turn_on(rig)
    rig.monitor.publish(dead_proxy(2.0))
    action = rig.shell.tray.route_fix_action
    assert action.text() == "Undo the route fix (the proxy is not answering)"
    assert action.font().bold()
    actions = [a for a in rig.shell.tray.menu.actions() if a.isVisible() and a.text()]
    assert actions.index(action) < actions.index(rig.shell.tray.http_only_action)
    assert rig.shell._on_message_click is not None  # the notification's click undoes it
    rig.shell.tray.icon.messageClicked.emit()
    dialog = rig.shell.route_flow.dialog
    assert dialog is not None and not dialog.enable
    assert dialog.warning_label is not None and "not answering" in dialog.warning_label.text()
    dialog.confirm_button.click()
    assert dotenv.read_bytes() == ORIGINAL_ENV


def auto_rig(rig: Rig) -> Rig:
    rig.shell.set_auto_fix(True)
    assert rig.saved[-1].auto_fix
    assert rig.shell.tray.auto_fix_action.isChecked()
    assert rig.shell.window.auto_fix_box.isChecked()
    return rig


@pytest.mark.parametrize("tray_available", [True])
def test_auto_mode_sends_codex_through_the_proxy_and_the_notification_undoes_it(
    rig: Rig, dotenv: Path
) -> None:
    auto_rig(rig)
    rig.monitor.publish(blocked(1.0, http_only_advice=False))
    assert dotenv.read_bytes() == ORIGINAL_ENV  # once is not yet "blocked"
    for at in range(2, BLOCKED_CHECKS + 1):
        rig.monitor.publish(blocked(float(at), http_only_advice=False))
    assert b"HTTPS_PROXY=" in dotenv.read_bytes()  # no dialog: auto mode's own plan
    assert rig.shell.route_flow.dialog is None
    assert [(e.change, e.automatic) for e in rig.shell.fix_log.events()] == [
        (FixChange.ROUTE_FIX_ON, True)
    ]

    rig.shell.tray.icon.messageClicked.emit()  # "Click to undo."
    dialog = rig.shell.route_flow.dialog
    assert dialog is not None and not dialog.enable
    dialog.confirm_button.click()
    assert dotenv.read_bytes() == ORIGINAL_ENV
    # The user took it back: auto mode does not write it again on the same network.
    for at in range(10, 14):
        rig.monitor.publish(blocked(float(at), http_only_advice=False))
    assert dotenv.read_bytes() == ORIGINAL_ENV


def test_auto_mode_waits_while_codex_runs(rig: Rig, dotenv: Path) -> None:
    running = ["codex exec"]
    rig.shell._running_codex = lambda: running  # what AutoFixer asks through
    rig.shell.fixer._running_codex = lambda: running
    auto_rig(rig)
    for at in range(1, 5):
        rig.monitor.publish(blocked(float(at)))
    assert dotenv.read_bytes() == ORIGINAL_ENV
    running.clear()  # Codex was closed: the next check acts
    rig.monitor.publish(blocked(9.0))
    assert b"HTTPS_PROXY=" in dotenv.read_bytes()


def test_auto_mode_tells_a_refusal_and_does_not_try_it_again(rig: Rig, dotenv: Path) -> None:
    dotenv.chmod(0o444)  # read-only: auto mode's own plan is refused, as a click's would be
    refused: list[tuple[FixChange, str]] = []
    rig.shell.fixer.failed.connect(lambda change, why: refused.append((change, why)))
    auto_rig(rig)
    for at in range(1, BLOCKED_CHECKS + 2):
        rig.monitor.publish(blocked(float(at), http_only_advice=False))
    assert dotenv.read_bytes() == ORIGINAL_ENV
    assert len(refused) == 1  # told once; not tried again on the next check
    change, why = refused[0]
    assert change is FixChange.ROUTE_FIX_ON and str(dotenv) in why
    feedback = rig.shell.window.feedback_label.text()
    assert "Codex Link changed nothing" in feedback and why in feedback
    assert FixChange.ROUTE_FIX_ON in rig.shell.fixer.state.declined
    assert rig.shell.fix_log.events() == ()


def test_auto_mode_asks_when_the_user_changed_our_lines(rig: Rig, dotenv: Path) -> None:
    turn_on(rig)
    lines = dotenv.read_bytes().split(b"\r\n")
    edited = b"\r\n".join(line for line in lines if not line.startswith(b"NO_PROXY="))
    dotenv.write_bytes(edited)  # the user removed one of our lines, kept the proxy
    assert rig.shell._route_fix.status().changed_by_user
    auto_rig(rig)
    rig.monitor.publish(dead_proxy(2.0))
    dialog = rig.shell.route_flow.dialog
    assert dialog is not None and not dialog.enable  # asked, not done
    assert dotenv.read_bytes() == edited
    dialog.cancel_button.click()
    assert dotenv.read_bytes() == edited
    assert FixChange.ROUTE_FIX_OFF in rig.shell.fixer.state.declined


def test_auto_mode_falls_back_to_http_only(rig: Rig, dotenv: Path, codex_home: Path) -> None:
    """No verified route: HTTP only, from auto mode's own plan (the switch's engine)."""
    (codex_home / "config.toml").write_text('model = "gpt-5-codex"\n', encoding="utf-8")
    auto_rig(rig)
    for at in range(1, BLOCKED_CHECKS + 1):
        base = f.ws_blocked().report
        assert base is not None
        rig.monitor.publish(
            f.with_last_complete(f.snapshot_of(dataclasses.replace(base, finished_at=float(at))))
        )
    assert "supports_websockets = false" in (codex_home / "config.toml").read_text()
    assert [(e.change, e.automatic) for e in rig.shell.fix_log.events()] == [
        (FixChange.HTTP_ONLY_ON, True)
    ]
    assert dotenv.read_bytes() == ORIGINAL_ENV


def test_fixes_are_markers_on_the_chart(rig: Rig) -> None:
    points = f.history(30)
    rig.monitor.publish(f.snapshot_of(f.ws_blocked().report, history=points))
    inside = FixEvent(points[10].at, FixChange.ROUTE_FIX_ON, automatic=True)
    before = FixEvent(points[0].at - 3600, FixChange.HTTP_ONLY_OFF, automatic=False)
    rig.shell.fix_log.append(before)
    rig.shell.fix_log.append(inside)
    chart = rig.shell.window.chart
    rig.shell.window.set_fix_events(rig.shell.fix_log.events())
    assert chart.shown_events() == (inside,)
    assert chart.marker_label(inside) == "Route fix on (automatic)"
    assert chart.marker_label(before) == "HTTP only off"
    chart.resize(600, 240)
    chart.grab()  # paints the markers without error


def test_auto_mode_is_off_by_default(prefs: Prefs) -> None:
    assert not Prefs(language=Language.EN).auto_fix
    assert not prefs.auto_fix


def working_without_the_fix(at: float) -> Snapshot:
    """A finished check with our route fix on: WebSocket works, and works directly as well."""
    base = f.ready_ws().report
    assert base is not None
    direct = f.probe(Transport.WEBSOCKET)
    report = dataclasses.replace(base, alternatives=(direct,), finished_at=at)
    return f.with_last_complete(f.snapshot_of(report))


@pytest.mark.parametrize("tray_available", [True])
def test_the_notification_of_an_automatic_undo_puts_the_route_back(rig: Rig, dotenv: Path) -> None:
    auto_rig(rig)
    for at in range(1, BLOCKED_CHECKS + 1):
        rig.monitor.publish(blocked(float(at), http_only_advice=False))
    fixed = dotenv.read_bytes()
    assert b"HTTPS_PROXY=" in fixed
    for at in range(10, 10 + WORKING_CHECKS):
        rig.monitor.publish(working_without_the_fix(float(at)))
    assert dotenv.read_bytes() == ORIGINAL_ENV  # no longer needed: auto mode took it out
    assert [(e.change, e.automatic) for e in rig.shell.fix_log.events()][-1] == (
        FixChange.ROUTE_FIX_OFF,
        True,
    )

    rig.shell.tray.icon.messageClicked.emit()  # "Click to undo.": the same route, asked first
    dialog = rig.shell.route_flow.dialog
    assert dialog is not None and dialog.enable
    dialog.confirm_button.click()
    assert dotenv.read_bytes() == fixed
