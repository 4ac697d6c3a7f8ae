"""`codex-link --smoke-test`: does this installation work? One run, offscreen, exit 0 or 1.

It is what every way of installing Codex Link is checked with (a source checkout, an installed
wheel, each frozen bundle): the parts a broken install loses are exactly the ones it touches.
It builds the real tray app offscreen (so no window appears), renders every icon, loads the
Chinese catalog, loads Codex's trust store, and runs one real check through the real monitor
against a small endpoint on 127.0.0.1, in a throw-away Codex home, so nothing of the user's
is read or written and nothing leaves the machine. The lines it prints are also written to
`smoke-test.log` in the log folder, for a windowed build that has nowhere to print.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from codex_link.core.model.snapshot import Snapshot
    from codex_link.core.net.self_test_endpoint import SelfTestEndpoint

CHECK_TIMEOUT_S = 20.0  # the check against loopback takes well under a second
REPORT_NAME = "smoke-test.log"
# A sentence the tray menu shows, and so the catalog must translate.
_TRANSLATED = ("Tray", "Quit Codex Link")


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def run_smoke_test() -> int:
    # Offscreen unless the caller chose a platform (a test under Xvfb may ask for xcb).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from codex_link import __version__

    with tempfile.TemporaryDirectory(prefix="codex-link-smoke-") as tmp:
        try:
            steps = _run_steps(Path(tmp))
        except Exception as error:  # a smoke test reports, it does not crash
            steps = [Step("smoke test", False, f"{type(error).__name__}: {error}")]
    ok = all(step.ok for step in steps)
    lines = [f"Codex Link {__version__} smoke test ({_where_installed()})"]
    lines += [step.line() for step in steps]
    lines.append("smoke test passed" if ok else "smoke test FAILED")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    sys.stdout.flush()
    _save(text)
    return 0 if ok else 1


def _where_installed() -> str:
    import codex_link

    kind = "bundle" if getattr(sys, "frozen", False) else "python"
    return f"{kind}, {Path(codex_link.__file__).resolve().parent}"


def _save(text: str) -> None:
    from codex_link.core.log_files import default_log_dir

    with contextlib.suppress(OSError):
        folder = default_log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / REPORT_NAME).write_text(text, encoding="utf-8")


def _run_steps(tmp: Path) -> list[Step]:
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    steps = [
        _guarded("icons", _icons_step),
        _guarded("Chinese translation", lambda: _translation_step(app)),
        _guarded("TLS trust", _trust_step),
    ]
    try:
        steps += _check_steps(app, tmp)
    except Exception as error:
        steps.append(Step("check", False, f"{type(error).__name__}: {error}"))
    return steps


def _guarded(name: str, step: Callable[[], Step]) -> Step:
    """One step's failure is reported under its name; the other steps still run."""
    try:
        return step()
    except Exception as error:
        return Step(name, False, f"{type(error).__name__}: {error}")


def _icons_step() -> Step:
    from codex_link.core.model.verdict import Health
    from codex_link.ui.icons import IconSet

    icons = IconSet()
    names = [h.value for h in Health] + ["codex-link"]
    rendered = [icons.for_health(h) for h in Health] + [icons.app_icon()]
    broken = [
        n
        for n, icon in zip(names, rendered, strict=True)
        if icon.isNull() or icon.pixmap(24, 24).isNull()
    ]
    if broken:
        return Step("icons", False, f"not rendered: {', '.join(broken)}")
    return Step("icons", True, f"{len(names)} rendered ({', '.join(names)})")


def _translation_step(app: QApplication) -> Step:
    from PySide6.QtCore import QCoreApplication

    from codex_link.ui.i18n import CHINESE, Translations

    translations = Translations(app)
    if not translations.apply(CHINESE):
        return Step("Chinese translation", False, "codexlink_zh_CN.qm could not be loaded")
    shown = QCoreApplication.translate(*_TRANSLATED)
    translations.apply("en")
    if shown == _TRANSLATED[1]:
        return Step("Chinese translation", False, f"{_TRANSLATED[1]!r} is not translated")
    return Step("Chinese translation", True, f"{_TRANSLATED[1]!r} -> {shown!r}")


def _trust_step() -> Step:
    import ssl

    from codex_link.core.net.tls import codex_trust, has_hashed_certs

    context = codex_trust({}).context
    if not sys.platform.startswith("linux"):
        return Step("TLS trust", True, "the system's certificate store (truststore)")
    # A bundle carries its own OpenSSL, whose compiled-in paths may not exist on this machine.
    loaded = context.cert_store_stats()["x509_ca"]
    folder = ssl.get_default_verify_paths().openssl_capath
    if loaded:
        return Step("TLS trust", True, f"{loaded} CA certificates loaded")
    if has_hashed_certs(folder):
        return Step("TLS trust", True, f"CA certificates in {folder}")
    return Step("TLS trust", False, "no CA certificates found: HTTPS to OpenAI would fail")


def _check_steps(app: QApplication, tmp: Path) -> list[Step]:
    import qasync

    from codex_link.core.net.self_test_endpoint import SelfTestEndpoint

    endpoint = SelfTestEndpoint()
    snapshot, window_ok = asyncio.run(
        _check_once(app, tmp, endpoint), loop_factory=lambda: qasync.QEventLoop(app)
    )
    return _judge(snapshot, endpoint, window_ok)


async def _check_once(
    app: QApplication, tmp: Path, endpoint: SelfTestEndpoint
) -> tuple[Snapshot | None, bool]:
    from codex_link.core.prefs import Prefs, PrefsStore
    from codex_link.ui.assembly import build_shell
    from codex_link.ui.autostart import Autostart
    from codex_link.ui.icons import IconSet
    from codex_link.ui.startup import TrayOptions

    await endpoint.start()
    codex_home = tmp / "codex"
    codex_home.mkdir()
    (codex_home / "config.toml").write_text(
        f'openai_base_url = "{endpoint.base_url}"\n', encoding="utf-8"
    )
    env = {"CODEX_HOME": str(codex_home), "HOME": str(tmp)}
    config_dir = tmp / "config"
    PrefsStore(config_dir).save(Prefs(check_interval_s=600.0, notifications=False))
    shell, monitor = build_shell(
        app,
        env=env,
        config_dir=config_dir,
        data_dir=tmp / "data",
        icons=IconSet(),
        tray_icon=None,
        options=TrayOptions(interval_s=None, started_at=None),
        autostart=Autostart(sys.platform, tmp, env),
        log_file=None,
        system_proxy=lambda: None,
    )
    finished: asyncio.Future[Snapshot] = asyncio.get_running_loop().create_future()

    def seen(snapshot: Snapshot) -> None:
        report = snapshot.report
        if (
            report is not None
            and not report.verdict.provisional
            and not snapshot.checking
            and not finished.done()
        ):
            finished.set_result(snapshot)

    unsubscribe = monitor.subscribe(seen)
    shell.start()  # offscreen has no tray: this shows the status window, as on such desktops
    task = asyncio.ensure_future(monitor.run())
    try:
        snapshot: Snapshot | None = await asyncio.wait_for(finished, CHECK_TIMEOUT_S)
    except TimeoutError:
        snapshot = None
    window_ok = shell.window.isVisible() and not shell.window.grab().isNull()
    unsubscribe()
    await monitor.stop()
    await asyncio.gather(task, return_exceptions=True)
    shell.close()
    await endpoint.stop()
    return snapshot, window_ok


def _judge(snapshot: Snapshot | None, endpoint: SelfTestEndpoint, window_ok: bool) -> list[Step]:
    from codex_link.core.model.probe import Transport
    from codex_link.core.model.verdict import Health

    steps = [
        Step(
            "tray app",
            window_ok,
            "built offscreen; status window rendered"
            if window_ok
            else "the status window did not render",
        )
    ]
    if snapshot is None or snapshot.report is None:
        return [*steps, Step("check", False, f"no result within {CHECK_TIMEOUT_S:.0f} s")]
    report = snapshot.report
    for transport in (Transport.HTTP, Transport.WEBSOCKET):
        result = report.primary_for(transport)
        ok = result is not None and result.reachable
        detail = "not probed" if result is None else f"{result.reason} ({result.elapsed_ms:.0f} ms)"
        steps.append(Step(f"{transport.value} probe", ok, detail))
    served = f"endpoint saw {len(endpoint.requests)} requests, {endpoint.upgrades} upgrades"
    healthy = report.verdict.health is Health.READY_WS and endpoint.upgrades > 0
    steps.append(Step("verdict", healthy, f"{report.verdict.health.value}; {served}"))
    return steps
