"""The PyInstaller spec (read, not run: the `dist` test builds it) and what it keeps."""

from __future__ import annotations

import ast
import runpy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codex_link import cli
from tests.packaging import PACKAGING, REPO, packaging_module

SPEC = PACKAGING / "codex-link.spec"


def _calls(tree: ast.AST, name: str) -> list[dict[str, Any]]:
    """Each call of `name(...)` in the spec, as {keyword: literal value or source text}."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
            keywords: dict[str, Any] = {"*args": [ast.unparse(a) for a in node.args]}
            for keyword in node.keywords:
                assert keyword.arg is not None
                try:
                    keywords[keyword.arg] = ast.literal_eval(keyword.value)
                except ValueError:
                    keywords[keyword.arg] = ast.unparse(keyword.value)
            found.append(keywords)
    return found


@pytest.fixture(scope="module")
def spec() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def test_two_executables_share_one_folder(spec: ast.Module) -> None:
    exes = {call["name"]: call for call in _calls(spec, "EXE")}
    assert set(exes) == {"codex-link", "codex-link-tray"}
    assert exes["codex-link-tray"]["console"] is False
    assert exes["codex-link"]["console"] is True
    for exe in exes.values():
        assert exe["exclude_binaries"] is True  # one folder
        assert exe["upx"] is False
        assert exe["strip"] == "STRIP" and exe["icon"] == "ICON"
        assert exe["version"] == "VERSION_INFO"
        assert exe["*args"][2] == "PYTHON_OPTIONS"
    (collect,) = _calls(spec, "COLLECT")
    assert collect["name"] == "codex-link" and collect["upx"] is False
    assert collect["*args"][:2] == ["tray", "cli"]  # the .app's main executable comes first
    source = SPEC.read_text(encoding="utf-8")
    assert "STRIP = not IS_WINDOWS" in source
    assert 'PYTHON_OPTIONS = [("X utf8", None, "OPTION")]' in source
    assert 'ICON = str(ICONS / ("codex-link.icns" if IS_MACOS else "codex-link.ico"))' in source


def test_macos_bundle_is_a_menu_bar_app_with_the_version(spec: ast.Module) -> None:
    (bundle,) = _calls(spec, "BUNDLE")
    assert bundle["name"] == "Codex Link.app"
    plist = ast.literal_eval(
        ast.parse(bundle["info_plist"].replace("VERSION", "'X'"), mode="eval").body
    )
    assert plist["LSUIElement"] is True
    assert plist["NSHighResolutionCapable"] is True
    assert plist["CFBundleExecutable"] == "codex-link-tray"
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == "X"


def test_entry_scripts_call_the_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as the frozen executables run them: the entry point's return is the exit code."""
    calls: list[str] = []

    def entry(name: str) -> Callable[[], int]:
        def called() -> int:
            calls.append(name)
            return 7

        return called

    for script, entry_point in (("entry_cli.py", "main"), ("entry_tray.py", "tray_main")):
        monkeypatch.setattr(cli, entry_point, entry(entry_point))
        with pytest.raises(SystemExit) as exit_:
            runpy.run_path(str(PACKAGING / script), run_name="__main__")
        assert calls.pop() == entry_point and exit_.value.code == 7, script
    assert calls == []


def test_version_is_read_from_the_package_source() -> None:
    import codex_link

    assert packaging_module("distinfo").read_version() == codex_link.__version__


def test_staged_package_is_laid_out_like_the_wheel(tmp_path: Path) -> None:
    bundle_filter = packaging_module("bundle_filter")
    modules = bundle_filter.stage_package(str(REPO), str(tmp_path))
    assert {
        "codex_link",
        "codex_link.cli",
        "codex_link.resources",
        "codex_link.commands.check",
        "codex_link.ui.tray",
    } <= set(modules)
    resources = tmp_path / "codex_link" / "resources"
    assert (resources / "icons" / "codex-link.svg").is_file()
    assert (resources / "translations" / "codexlink_zh_CN.qm").is_file()
    assert (resources / "linux" / "codex-link.desktop").is_file()
    assert not list(resources.rglob("*.ts"))
    assert not list(tmp_path.rglob("__pycache__"))
    datas = bundle_filter.resource_datas(str(tmp_path))
    assert {dest for _src, dest in datas} == {
        "codex_link/resources/icons",
        "codex_link/resources/translations",
        "codex_link/resources/linux",
    }


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqico.so", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/translations/qtdeclarative_zh_CN.qm", False),
        ("PySide6/Qt/qml/QtQuick/Controls/libqtquickcontrols2plugin.so", False),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("PySide6\\opengl32sw.dll", False),
        ("PySide6\\d3dcompiler_47.dll", False),
        ("PySide6\\Qt6Gui.dll", True),
    ],
)
def test_bundle_filter_keeps_what_the_app_loads(dest: str, kept: bool) -> None:
    assert packaging_module("bundle_filter").keep(dest, ["zh_CN"], "linux") is kept


def test_system_libraries_come_from_the_system_on_linux_only() -> None:
    keep = packaging_module("bundle_filter").keep
    assert keep("libglib-2.0.so.0", [], "linux") is False
    assert keep("libfontconfig.so.1", [], "linux") is False
    assert keep("libdbus-1.so.3", [], "linux") is False
    assert keep("libxcb-cursor.so.0", [], "linux") is True
    assert keep("libglib-2.0.0.dylib", [], "darwin") is True


def test_app_languages_are_the_shipped_translations() -> None:
    languages = packaging_module("bundle_filter").app_languages(
        str(REPO / "resources" / "translations")
    )
    assert languages == ["zh_CN"]


def test_libraries_only_dropped_plugins_linked_are_dropped(tmp_path: Path) -> None:
    """gtk3 theme (dropped) links gtk and glib; xcb (kept) links glib: gtk goes, glib stays."""
    files = {}
    for name in (
        "libqgtk3.so",
        "libgtk-3.so.0",
        "libpango.so.0",
        "libglib.so.0",
        "libqxcb.so",
        "libdlopened.so",
    ):
        files[name] = tmp_path / name
        files[name].write_bytes(b"")
    links = {
        "libqgtk3.so": ["libgtk-3.so.0", "libglib.so.0"],
        "libgtk-3.so.0": ["libpango.so.0", "libglib.so.0"],
        "libpango.so.0": ["libglib.so.0"],
        "libqxcb.so": ["libglib.so.0"],
    }

    def imports_of(path: str) -> list[tuple[str, str | None]]:
        return [(name, None) for name in links.get(Path(path).name, [])]

    def entry(name: str) -> tuple[str, str, str]:
        return (f"lib/{name}", str(files[name]), "BINARY")

    kept = [
        entry(n)
        for n in ("libgtk-3.so.0", "libpango.so.0", "libglib.so.0", "libqxcb.so", "libdlopened.so")
    ]
    pruned = packaging_module("bundle_filter").prune_unreachable(
        kept, [entry("libqgtk3.so")], imports_of
    )
    assert [Path(dest).name for dest, _src, _kind in pruned] == [
        "libglib.so.0",
        "libqxcb.so",
        "libdlopened.so",
    ]

    datas = [
        ("libglib.so.0", "lib/libglib.so.0", "SYMLINK"),
        ("libgtk-3.so.0", "lib/libgtk-3.so.0", "SYMLINK"),
        ("a.txt", "/x/a.txt", "DATA"),
    ]
    left = packaging_module("bundle_filter").drop_dangling_symlinks(datas, pruned)
    assert [dest for dest, _src, _kind in left] == ["libglib.so.0", "a.txt"]
